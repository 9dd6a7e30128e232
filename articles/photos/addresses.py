"""A stored picture's renditions as addresses: what a srcset lists and which one
a browser without srcset loads. Plain functions of the storage and the
renditions' JSON ({format: [[width, height, name], …]}), for a model instance
(models/pictured.py) and for a photo read as a row (values.Picture.of_row) alike."""


def rendition_urls(storage, renditions):
    """{format: [(width, URL), …]}, narrowest first."""
    # Bound once: the default storage is a lazy proxy, which costs each lookup
    # through it more than the join itself (a page of cards asks 300 of them).
    url = storage.url
    return {fmt: [(width, url(name)) for width, _, name in entries] for fmt, entries in (renditions or {}).items()}


def for_width(urls, width, fmt="jpeg"):
    """The smallest rendition at least this wide (else the largest), or None when
    there is none in that format (rendition_urls: urls)."""
    found = urls.get(fmt, [])
    if not found:
        return None
    return next((url for w, url in found if w >= width), found[-1][1])
