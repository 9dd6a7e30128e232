"""A card: an article in a list (home, listings, archives, related articles,
search results) as HTML, from a values.Card.

Written in Python rather than by a template: a listing or a results page shows
twenty cards, and Django's template engine took 5.4 ms for twenty (2.3 of them
the thumbnail's two nested includes) where this takes 0.9. The markup is the one
the stylesheet (static/css/site.css, .card) is written for; every value goes
through html.escape, as in photos/markup.py.
"""
from html import escape

from django.utils.safestring import mark_safe

from . import dates, text
from .photos.markup import picture

# The width a thumbnail takes, by the card's variant (its sizes), and the widest it
# is ever shown, in CSS pixels, where that is narrow: a row's 10rem, a tile's half
# of a phone's 40rem less its gap. Its srcset then stops at the rendition that
# covers that on the densest screens (photos/markup.py): the front page's 46
# thumbnails are 21 KB less HTML, and no browser would have picked what is left out.
THUMB_SIZES = {
    "lead": ("(min-width: 40rem) 38rem, calc(100vw - 2rem)", None),
    "tile": ("(min-width: 64rem) 15rem, (min-width: 40rem) calc(25vw - 1.5rem), calc(50vw - 1.5rem)", 296),
    "row": ("(min-width: 40rem) 10rem, 7rem", 160),
    "": ("(min-width: 40rem) 14rem, calc(100vw - 2rem)", None),
    "thread": ("(min-width: 64rem) 20rem, calc(100vw - 2rem)", None),
}
# "": a listing's card; "tile": its photo above the title; "row": a small photo beside
# it; "brief": no photo, no sapo. "thread" is a thumbnail's only: a featured event
# thread's (includes/_thread_card.html).
VARIANTS = ("", "tile", "row", "brief")
LEAD_WORDS = 40


def card(article, *, variant="", level=2, lead=False, compact=False, hide_category=False):
    """The card of a values.Card. lead: the front page's first story (a larger
    title, its photo loaded at once); compact: no sapo; level: its heading's."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown card variant {variant!r}")
    classes = "card" + (" card-lead-story" if lead else "") + (f" card-{variant}" if variant else "")
    level, title_class = (2, "card-title card-title-lead") if lead else (int(level), "card-title")
    sapo = "" if compact else f'<p class="card-lead">{escape(text.first_words(article.lead, LEAD_WORDS))}</p>'
    return mark_safe(
        f'<article class="{classes}">\n  {"" if variant == "brief" else thumb(article, variant, lead)}\n'
        f'  <div class="card-text">\n'
        f'    <h{level} class="{title_class}"><a href="{escape(article.url)}">{escape(article.title)}</a></h{level}>\n'
        f"    {meta(article, hide_category)}\n    {sapo}\n  </div>\n</article>\n"
    )


def thumb(article, variant="", lead=False):
    """A card's thumbnail linking to its article (anything with a url and a
    picture: a values.Card, a ThreadCard), or "" when it has no photo."""
    if not article.picture:
        return ""
    sizes, widest = THUMB_SIZES["lead" if lead else variant if variant in THUMB_SIZES else ""]
    return mark_safe(
        f'<a class="card-thumb" href="{escape(article.url)}" tabindex="-1" aria-hidden="true">'
        f'{picture(article.picture, sizes, "", bool(lead), widest)}</a>'
    )


def meta(article, hide_category=False):
    """Its category and day: "Giao thông · 15/02/2017"."""
    category = article.category if not hide_category else None
    section = f'<a href="{escape(category.url)}">{escape(category.name)}</a> · ' if category else ""
    when = article.published_at
    day = f'<time datetime="{dates.iso(when)}">{dates.news_date(when)}</time>' if when else '<time datetime=""></time>'
    return mark_safe(f'<p class="meta">{section}{day}</p>')
