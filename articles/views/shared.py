"""What every reader view shares: the breadcrumb trail and the page asked for."""
from django.http import Http404
from django.utils.functional import SimpleLazyObject

from ..context_processors import site_urls
from ..pagination import InvalidPage, page_number


def _fixed(name):
    """One of the site's fixed addresses (site_urls: reversed once per process),
    read when a page first needs it: reverse_lazy reversed it again at every use
    (a listing asked for four, a tenth of a warm page's time in one process)."""
    return SimpleLazyObject(lambda: site_urls()[name])


HOME = ("Trang chủ", _fixed("home"))
CATEGORIES = ("Chuyên mục", _fixed("categories"))
TAGS = ("Thẻ", _fixed("tags"))
AUTHORS = ("Tác giả", _fixed("author_index"))


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
