"""A stored body laid out for readers: its HTML between the photos it places.
A photo of the article that the body does not place stands after it, so that
nothing the newsroom attached is lost from the page."""
import re

from ..values import Block, Picture
from .sanitize import safe

# The canonical placeholder (sanitize.Canonical writes exactly this form).
PLACEHOLDER = re.compile(r'<figure data-photo="(\d+)"></figure>')


def renumber(html, ids):
    """The body with its placeholders naming new photo ids (ids: old -> new)."""
    return PLACEHOLDER.sub(lambda found: f'<figure data-photo="{ids.get(int(found[1]), found[1])}"></figure>', html)


def placed_ids(html):
    return [int(found) for found in PLACEHOLDER.findall(html or "")]


def compose(html, photos):
    """Blocks in reading order: ("html", its markup) and ("figure", its picture)."""
    by_id = {photo.pk: photo for photo in photos}
    parts = PLACEHOLDER.split(safe(html))
    order, chunks = [], []
    for index, part in enumerate(parts):
        if index % 2 and int(part) in by_id and int(part) not in order:
            order.append(int(part))
            chunks.append(int(part))
        elif not index % 2 and part.strip():
            chunks.append(part)
    unplaced = [pk for pk in sorted(by_id) if pk not in order]
    chunks += unplaced
    # The first picture a reader sees loads at once; the others lazily.
    first = next((pk for pk in order + unplaced if by_id[pk].image), None)
    return tuple(
        Block("figure", picture=Picture.of(by_id[chunk]), first_figure=chunk == first) if isinstance(chunk, int)
        else Block("html", html=chunk)
        for chunk in chunks
    )


def unplaced(html, photos):
    placed = set(placed_ids(html))
    return [photo for photo in photos if photo.pk not in placed]
