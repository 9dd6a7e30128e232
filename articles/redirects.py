"""A published article that moves (new slug or date) keeps answering at its old
address, through django.contrib.redirects; one in the trash, or purged from it,
answers 410 there (an empty new_path), with the site's own page."""
from django.conf import settings
from django.contrib.redirects.middleware import RedirectFallbackMiddleware
from django.contrib.redirects.models import Redirect
from django.http import HttpResponseGone
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers


def record_move(old_path, new_path):
    """Make old_path answer 301 to new_path, keeping earlier moves one hop long."""
    site_id = settings.SITE_ID
    Redirect.objects.filter(site_id=site_id, old_path=new_path).delete()
    Redirect.objects.filter(site_id=site_id, new_path=old_path).update(new_path=new_path)
    Redirect.objects.update_or_create(site_id=site_id, old_path=old_path, defaults={"new_path": new_path})


def record_gone(path):
    """Make path answer 410: its article is in the trash or purged. Addresses that
    moved to it keep their 301, and so end at the 410 too."""
    Redirect.objects.update_or_create(site_id=settings.SITE_ID, old_path=path, defaults={"new_path": ""})


def forget_gone(path):
    """path is an article's again (restored from the trash): no more 410."""
    Redirect.objects.filter(site_id=settings.SITE_ID, old_path=path, new_path="").delete()


class GoneFallbackMiddleware(RedirectFallbackMiddleware):
    """Django's fallback, whose 410 is the site's Vietnamese page (templates/410.html)
    rather than an empty body. response_gone_class is built without the request,
    which the page's menu and canonical URL need, so the answer is replaced here."""

    def process_response(self, request, response):
        answer = super().process_response(request, response)
        if answer.status_code != HttpResponseGone.status_code or answer is response:
            return answer
        return gone_page(request)


def gone_page(request):
    page = HttpResponseGone(render_to_string("410.html", request=request))
    # Not kept by the whole-page cache (it keeps 200s only) nor by a browser or CDN:
    # a restored article must answer at once.
    add_never_cache_headers(page)
    return page
