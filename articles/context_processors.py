from functools import cache

from django.conf import settings
from django.urls import reverse

from . import queries
from .seo import site_root


@cache
def site_urls():
    """The fixed addresses every page links to, reversed once per process."""
    return {name: reverse(f"articles:{name}") for name in ("home", "search", "feed", "categories", "tags", "author_index", "corrections")}


def site(request):
    """The site's name, its menu, and the canonical URL of the page (page number kept)."""
    page = request.GET.get("page", "")
    query = f"?page={page}" if page.isdigit() and page != "1" else ""
    root = site_root(request)
    return {
        "site": settings.ANTD,
        "canonical_url": f"{root}{request.path}{query}",
        "site_root": root,
        "urls": site_urls(),
        "nav_categories": queries.menu(),
    }
