"""What every reader view shares: the breadcrumb trail and the page asked for."""
from django.http import Http404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from ..pagination import InvalidPage, page_number


def _fixed(name):
    """The address of this URL name, reversed when a page first needs it and then
    kept: reverse_lazy would reverse it again on every page (a listing asked for
    four, a tenth of a warm page's time in one process)."""
    return SimpleLazyObject(lambda: reverse(name))


HOME = ("Trang chủ", _fixed("articles:home"))
CATEGORIES = ("Chuyên mục", _fixed("articles:categories"))
TAGS = ("Thẻ", _fixed("articles:tags"))
AUTHORS = ("Tác giả", _fixed("articles:author_index"))


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
