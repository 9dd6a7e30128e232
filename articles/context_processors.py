from django.conf import settings

from . import cache as content_cache
from .models import Category
from .seo import site_root

NAV_CATEGORIES = 8


def site(request):
    """The site's name, and the canonical URL of the page (page number kept)."""
    page = request.GET.get("page", "")
    query = f"?page={page}" if page.isdigit() and page != "1" else ""
    return {
        "site": settings.ANTD,
        "canonical_url": f"{site_root(request)}{request.path}{query}",
        "site_root": site_root(request),
        "nav_categories": content_cache.fragment("nav", lambda: list(Category.objects.all()[:NAV_CATEGORIES])),
    }
