from django import template

from .. import caching, cards, dates, seo
from ..photos import markup

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


@register.simple_tag
def picture(photo, sizes, alt="", first=False):
    """{% picture photo sizes alt first %}: a values.Picture as <picture> (photos/markup.py)."""
    return markup.picture(photo, sizes, alt, first)


@register.simple_tag
def card(article, **options):
    """{% card article variant="tile" level=3 lead=False compact=True hide_category=True %}:
    a values.Card as HTML (cards.py)."""
    return cards.card(article, **options)


@register.simple_tag
def thumb(article, variant=""):
    """{% thumb article "thread" %}: a card's linked thumbnail, or nothing (cards.py)."""
    return cards.thumb(article, variant)


@register.simple_tag
def card_meta(article):
    """{% card_meta article %}: a card's category and day (cards.py)."""
    return cards.meta(article)


@register.filter
def iso(value):
    return dates.iso(value) if value else ""


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
