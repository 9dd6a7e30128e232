"""The readers' template engine: Jinja2 (settings.TEMPLATES, templates/), with the
site's filters and functions. The newsroom's pages are Django admin's, in Django's
own template language (articles/templates/admin/).

Why Jinja2 for readers: it compiles a template to Python, where Django's engine
walks its nodes and resolves each variable at every render. A cold article page,
rendered for one reader and never again, spent about 2 ms of its 6 in Django's
templates.
"""
from functools import partial

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment, Undefined
from markupsafe import Markup

from . import caching, cards, dates, seo
from .photos.markup import picture


def environment(**options):
    # Django's backend would print a missing value as its own {{ name }} under
    # DEBUG: a page is the same in development as in production, where it is empty.
    options["undefined"] = Undefined
    # Django's engine keeps a template's last newline; so does this one, so that
    # every page's bytes stay what they were.
    env = Environment(keep_trailing_newline=True, **options)
    env.globals.update(
        static=static, url=url, querystring=querystring, absolute_url=seo.absolute,
        json_ld_script=seo.json_ld, picture=picture, card=cards.card, thumb=cards.thumb,
        card_meta=cards.meta, fragment=fragment,
    )
    env.filters.update(
        news_datetime=_or_empty(dates.news_datetime), news_date=_or_empty(dates.news_date),
        newsroom_time=_or_empty(dates.newsroom_time), iso=_or_empty(dates.iso),
        linebreaks=defaultfilters.linebreaks_filter, linebreaksbr=defaultfilters.linebreaksbr,
        truncatewords=defaultfilters.truncatewords, truncatechars=defaultfilters.truncatechars,
        floatformat=defaultfilters.floatformat, urlencode=defaultfilters.urlencode,
    )
    return env


def _or_empty(format_):
    """A date filter that leaves a missing date empty."""
    return lambda value: format_(value) if value else ""


def url(name, *args, **kwargs):
    return reverse(name, args=args or None, kwargs=kwargs or None)


def querystring(query, **changes):
    """A request's query string (its request.GET) with changes: what Django's
    {% querystring %} gives (a search's pager keeps its query)."""
    query = query.copy()
    for key, value in changes.items():
        query[key] = value
    return f"?{query.urlencode()}"


def fragment(name, *parts, caller):
    """{% call fragment("name", part, …) %}…{% endcall %}: the enclosed HTML,
    rendered once per content version for these parts (caching's key rule)."""
    return Markup(caching.fragment(name, parts, partial(_rendered, caller)))


def _rendered(caller):
    return str(caller())
