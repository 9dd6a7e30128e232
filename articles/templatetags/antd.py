from django import template
from django.utils import timezone

from .. import cache as content_cache
from .. import dates, search, seo

register = template.Library()


@register.filter
def news_datetime(value):
    return dates.news_datetime(value) if value else ""


@register.filter
def news_date(value):
    return dates.news_date(value) if value else ""


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article):
    request = context["request"]
    text = content_cache.fragment(
        f"json-ld:{article.pk}:{request.scheme}:{request.get_host()}",
        lambda: seo.news_article(request, article, context["site"]["SITE_NAME"]),
    )
    return seo.json_ld(request, text)


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return seo.absolute(context["request"], path)


@register.filter
def srcset(photo, fmt="jpeg"):
    return photo.srcset(fmt)


@register.filter
def rendition_url(photo, width):
    return photo.url_for_width(int(width))


@register.filter
def marked(value):
    return search.marked(value or "")


@register.filter
def iso(value):
    """ISO 8601 to the second: HTML's datetime attribute takes at most milliseconds."""
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else ""
