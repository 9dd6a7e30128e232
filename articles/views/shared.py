"""What every reader view shares: the breadcrumb trail and the page asked for."""
from django.http import Http404
from django.urls import reverse_lazy

from ..pagination import InvalidPage, page_number

HOME = ("Trang chủ", reverse_lazy("articles:home"))
CATEGORIES = ("Chuyên mục", reverse_lazy("articles:categories"))
TAGS = ("Thẻ", reverse_lazy("articles:tags"))
AUTHORS = ("Tác giả", reverse_lazy("articles:author_index"))


def breadcrumbs(*trail):
    """Home, then (name, url) pairs, then the current page's name."""
    return [HOME, *trail[:-1], (trail[-1], None)]


def requested_page(request):
    """The ?page= number, or a 404 for one that names no page."""
    try:
        return page_number(request.GET.get("page"))
    except InvalidPage as error:
        raise Http404(str(error)) from None


def existing(page):
    """A page past the end of its listing is a 404; the first page may be empty."""
    if page.number > 1 and not page.items:
        raise Http404("Trang này không có bài nào.")
    return page
