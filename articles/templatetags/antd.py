from django import template

from .. import dates, seo

register = template.Library()


@register.filter
def news_datetime(value):
    return dates.news_datetime(value) if value else ""


@register.filter
def news_date(value):
    return dates.news_date(value) if value else ""


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article):
    return seo.news_article(context["request"], article, context["site"]["SITE_NAME"])


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return seo.absolute(context["request"], path)
