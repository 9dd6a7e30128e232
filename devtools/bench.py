"""The bare endpoint of the benchmark (ANTD_BENCH_ENDPOINT=1 only)."""
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

PAGE = ("<!doctype html><html lang=vi><title>bare</title>" + "<p>Kho lưu trữ An Ninh Thủ Đô.</p>" * 560)[:20_000]


@never_cache  # the ceiling is the stack itself, also beside the page cache
def bare(request):
    return HttpResponse(PAGE)
