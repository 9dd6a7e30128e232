"""The bare endpoint of the benchmark (ANTD_BENCH_ENDPOINT=1 only)."""
from django.http import HttpResponse

PAGE = ("<!doctype html><html lang=vi><title>bare</title>" + "<p>Kho lưu trữ An Ninh Thủ Đô.</p>" * 560)[:20_000]


def bare(request):
    return HttpResponse(PAGE)
