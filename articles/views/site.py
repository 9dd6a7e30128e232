"""Files of the site as a whole."""
from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from ..seo import site_root


@require_safe
def robots_txt(request):
    lines = ["User-agent: *"]
    if settings.ADMIN_URL == "admin/":
        lines.append("Disallow: /admin/")  # a custom admin address is not advertised
    lines += [
        "Disallow: /xem-truoc/",
        "Disallow: /tim-kiem/",
        f"Sitemap: {site_root(request)}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    # Browsers and crawlers ask the root for it, whatever a page's <link rel="icon"> says.
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
