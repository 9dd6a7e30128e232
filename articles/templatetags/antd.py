from django import template
from django.utils import timezone

from .. import caching, dates, search, seo

register = template.Library()


@register.filter
def news_datetime(value):
    return dates.news_datetime(value) if value else ""


@register.filter
def news_date(value):
    return dates.news_date(value) if value else ""


@register.filter
def newsroom_time(value):
    """ "09:15 02/12/2026": a correction's time, an update's, a take-down's."""
    return dates.newsroom_time(value) if value else ""


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return seo.absolute(context["request"], path)


@register.simple_tag(takes_context=True)
def json_ld(context, text):
    """The JSON-LD script element, allowed by the page's CSP through its hash."""
    return seo.json_ld(context["request"], text)


@register.filter
def marked(value):
    return search.marked(value or "")


@register.filter
def iso(value):
    """ISO 8601 to the second: HTML's datetime attribute takes at most milliseconds."""
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else ""


@register.tag
def fragment(parser, token):
    """{% fragment "name" part … %}…{% endfragment %}: the enclosed HTML, rendered
    once per content version for these parts (caching's key rule)."""
    name, *parts = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(name, parts, nodelist)


class FragmentNode(template.Node):
    def __init__(self, name, parts, nodelist):
        self.name, self.parts, self.nodelist = name, parts, nodelist

    def render(self, context):
        parts = tuple(part.resolve(context) for part in self.parts)
        return caching.fragment(self.name.resolve(context), parts, lambda: self.nodelist.render(context))
