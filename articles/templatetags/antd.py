from django import template

from .. import dates

register = template.Library()


@register.filter
def news_datetime(value):
    return dates.news_datetime(value) if value else ""


@register.filter
def news_date(value):
    return dates.news_date(value) if value else ""
