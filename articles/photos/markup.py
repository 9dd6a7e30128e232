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


def picture(photo, sizes, alt, first):
    """A values.Picture as <picture>: AVIF and WebP sources, then the JPEG <img>
    with its size; lazy unless it is the first thing a reader sees."""
    srcsets, sizes = photo.srcsets, escape(sizes)
    sources = "".join(
        f'<source type="{kind}" srcset="{escape(srcsets[fmt])}" sizes="{sizes}">'
        for fmt, kind in SOURCES if srcsets.get(fmt)
    )
    jpeg = f' srcset="{escape(srcsets["jpeg"])}" sizes="{sizes}"' if srcsets.get("jpeg") else ""
    return mark_safe(
        f'<picture>{sources}<img src="{escape(photo.fallback)}"{jpeg} alt="{escape(alt)}" '
        f'width="{photo.width}" height="{photo.height}"{"" if first else LAZY}></picture>'
    )
