"""A photo's markup: the <picture> every page shows (a figure in a story, a
card's thumbnail, a thread's cover, an author's portrait).

Written in Python rather than by a template include: a listing shows twenty of
them, and an include costs more than the markup it makes. Every value goes through
html.escape, which is what Django's escape does (without its check for lazy
strings: these values are plain).
"""
from html import escape

from django.utils.safestring import mark_safe

SOURCES = (("avif", "image/avif"), ("webp", "image/webp"))
LAZY = ' loading="lazy"'
# The densest screens a srcset is cut for (picture's widest): phones' 3x.
DENSEST = 3


def alt_of(alt_text, caption):
    """A photo's alt text: its description for readers who cannot see it, else its caption."""
    return alt_text or caption


def picture(photo, sizes, alt, first, widest=None):
    """A values.Picture as <picture>: AVIF and WebP sources, then the JPEG <img>
    with its size; lazy unless it is the first thing a reader sees. widest: the
    most CSS pixels it is ever shown at, when its sizes say so (cards.THUMB_SIZES)."""
    srcsets, sizes = photo.srcsets, escape(sizes)
    most = widest * DENSEST if widest else None
    sources = "".join(
        f'<source type="{kind}" srcset="{escape(cut(srcsets[fmt], most))}" sizes="{sizes}">'
        for fmt, kind in SOURCES if srcsets.get(fmt)
    )
    jpeg = f' srcset="{escape(cut(srcsets["jpeg"], most))}" sizes="{sizes}"' if srcsets.get("jpeg") else ""
    return mark_safe(
        f'<picture>{sources}<img src="{escape(photo.fallback)}"{jpeg} alt="{escape(alt)}" '
        f'width="{photo.width}" height="{photo.height}"{"" if first else LAZY}></picture>'
    )


def srcset(candidates):
    """ "url 320w, url 640w, …" of (width, url) renditions, narrowest first."""
    return ", ".join(f"{url} {width}w" for width, url in candidates)


def cut(srcset, most=None):
    """A srcset without the candidates after the first that is at least most
    (device pixels) wide: a browser picks the narrowest that covers what it needs,
    never a wider one. (A storage's URL never holds ", ": a space is quoted.)"""
    if not most:
        return srcset
    candidates = srcset.split(", ")
    for shown, candidate in enumerate(candidates, 1):
        if int(candidate.rsplit(" ", 1)[1][:-1]) >= most:
            return ", ".join(candidates[:shown])
    return srcset
