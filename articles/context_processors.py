from functools import cache, partial

from django.conf import settings
from django.urls import reverse

from . import cache as content_cache
from .models import Category
from .seo import site_root

NAV_CATEGORIES = 8


@cache
def site_urls():
    """The fixed addresses every page links to, reversed once per process."""
    return {name: reverse(f"articles:{name}") for name in ("home", "search", "feed", "categories", "tags")}


def site(request):
    """The site's name, and the canonical URL of the page (page number kept)."""
    page = request.GET.get("page", "")
    query = f"?page={page}" if page.isdigit() and page != "1" else ""
    root = site_root(request)
    return {
        "site": settings.ANTD,
        "canonical_url": f"{root}{request.path}{query}",
        "site_root": root,
        # Part of every rendered-fragment key ({% cache %}): a change readers could
        # see makes a new version, so no fragment outlives what it shows.
        "content_version": content_cache.content_version(),
        "urls": site_urls(),
        # Called by the template only when its cached menu fragment is rebuilt.
        "nav_categories": partial(content_cache.fragment, "nav", lambda: list(Category.objects.all()[:NAV_CATEGORIES])),
    }
