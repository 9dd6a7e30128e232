"""What every reader view shares: the breadcrumb trail, the page asked for, and a
page of cards as one cached value keeps it."""
from dataclasses import replace

from django.http import Http404
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

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


def kept_listing(page, hide_category=False):
    """A page of cards as a page's one cached value holds it (listings.section_page,
    archives.period_view): (the Page, its items the articles' ids; its listing's
    HTML, cards and pager, in UTF-8). Vietnamese makes a str two bytes a character
    (77 KB for a page of twenty cards, 39 in UTF-8), and each worker keeps 300 values."""
    listing = render_to_string("articles/includes/_cards.html", {"page": page, "hide_category": hide_category})
    return replace(page, items=tuple(card.id for card in page.items)), listing.encode()


def shown(listing):
    """kept_listing's HTML, for a template."""
    return mark_safe(listing.decode())
