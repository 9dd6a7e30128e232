"""A stored body laid out for readers: its HTML between the photos and video
cards it places. A photo of the article that the body does not place stands
after it, so that nothing the newsroom attached is lost from the page."""
import re

from ..values import Block, Picture, VideoCard
from .sanitize import safe

# The canonical placeholders (sanitize.Canonical writes exactly these forms).
PLACEHOLDER = re.compile(r'<figure data-photo="(\d+)"></figure>')
# Either, split into (photo id, video URL) pairs: one of the two is None.
_PLACED = re.compile(r'<figure data-photo="(\d+)"></figure>|<figure data-video="([^"<>]+)"></figure>')


def renumber(html, ids):
    """The body with its placeholders naming new photo ids (ids: old -> new)."""
    return PLACEHOLDER.sub(lambda found: f'<figure data-photo="{ids.get(int(found[1]), found[1])}"></figure>', html)


def placed_ids(html):
    return [int(found) for found in PLACEHOLDER.findall(html or "")]


def compose(html, photos, videos=()):
    """Blocks in reading order: ("html", its markup), ("figure", its picture) and
    ("video", its card). videos: the Video rows known of those the body places."""
    by_id = {photo.pk: photo for photo in photos}
    by_url = {video.url: video for video in videos}
    parts = _PLACED.split(safe(html))
    order, chunks = [], []
    for index in range(0, len(parts), 3):
        if parts[index].strip():
            chunks.append(parts[index])
        photo, url = parts[index + 1:index + 3] or (None, None)
        if photo and int(photo) in by_id and int(photo) not in order:
            order.append(int(photo))
            chunks.append(int(photo))
        elif url:
            chunks.append(VideoCard.of(url, by_url.get(url)))
    unplaced = [pk for pk in sorted(by_id) if pk not in order]
    chunks += unplaced
    # The first picture a reader sees loads at once; the others lazily.
    first = next((pk for pk in order + unplaced if by_id[pk].image), None)
    return tuple(_block(chunk, by_id, first) for chunk in chunks)


def _block(chunk, photos, first):
    if isinstance(chunk, int):
        return Block("figure", picture=Picture.of(photos[chunk]), first_figure=chunk == first)
    if isinstance(chunk, VideoCard):
        return Block("video", video=chunk)
    return Block("html", html=chunk)


def unplaced(html, photos):
    placed = set(placed_ids(html))
    return [photo for photo in photos if photo.pk not in placed]
