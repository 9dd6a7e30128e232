from django.conf import settings

from . import cache as content_cache
from .models import Category
from .seo import site_root

NAV_CATEGORIES = 8


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
        "nav_categories": content_cache.fragment("nav", lambda: list(Category.objects.all()[:NAV_CATEGORIES])),
    }
