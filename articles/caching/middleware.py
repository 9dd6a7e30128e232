"""Whole public pages from the cache, and headers that let a CDN hold them."""
from django.conf import settings
from django.utils.cache import patch_cache_control

from antd_site.local_first_cache import batched_writes
from antd_site.middleware import is_public_request

from . import store
from .version import pinned_version


class PublicPageCacheMiddleware:
    """Keys carry the content version (version.py), so publishing, editing or
    unpublishing anything invalidates every page at once, correctly."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public = is_public_request(request)
        seconds = settings.ANTD["PAGE_CACHE_SECONDS"]
        # The page and its fragments: one version, and what it keeps, one round trip.
        with pinned_version(), batched_writes():
            if public and seconds:
                response = store.response(request, lambda: self.get_response(request), limit=seconds)
            else:
                response = self.get_response(request)
        if public and response.status_code in (200, 301, 404) and not response.cookies:
            # A CDN may hold the page a minute; a browser asks again each time
            # (a cheap 304 with the ETag), so a reader never misses a new article.
            response.setdefault("Cache-Control", f"public, max-age=0, s-maxage={settings.ANTD['CDN_MAX_AGE']}")
        else:
            patch_cache_control(response, private=True, no_store=True)
        return response
