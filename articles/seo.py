"""What search engines and social networks read: absolute URLs, JSON-LD."""
import json

from django.contrib.sites.shortcuts import get_current_site
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

from antd_site.middleware import allow_inline_script


def site_root(request):
    """Scheme and domain of absolute links. The domain is the Site's (admin:
    "Trang web"), so feeds, sitemaps and canonical links name one host."""
    return f"{request.scheme}://{get_current_site(request).domain}"


def absolute(request, path):
    return path if "://" in path else site_root(request) + path


def json_ld_text(data):
    """JSON that can never close its script element early."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_json_script_escapes)


def json_ld(request, text):
    """The script element, allowed by the Content-Security-Policy through its hash
    (registered on every request, also when the text comes from the cache)."""
    allow_inline_script(request, text)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def news_article(request, article, site_name):
    """The NewsArticle JSON-LD text of an article."""
    photo = article.lead_photo
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.lead,
        "datePublished": article.published_at,
        "dateModified": article.updated_at,
        "mainEntityOfPage": absolute(request, article.get_absolute_url()),
        "author": {"@type": "Person" if article.author else "Organization", "name": article.author or site_name},
        "publisher": {"@type": "Organization", "name": site_name, "url": site_root(request) + "/"},
        "inLanguage": "vi",
    }
    if photo:
        data["image"] = [absolute(request, photo.image.url)]
    if article.category:
        data["articleSection"] = article.category.name
    return json_ld_text(data)
