"""Pages of a listing whose cost does not grow with the archive.

Django's Paginator counts every row (COUNT(*) over a million articles) and reads
whole rows up to the page's offset. Here a page's ids are read from a narrow
index that covers the listing's order (an index-only scan, skipping the offset
inside the index), and only the rows of those ids are read whole: a listing
page asks for them in the same statement, its ids a subquery (queries._listing).
Nothing is counted: a page knows there is a next one by asking for one row more
(values.Page).

Skipping inside the index still costs a fraction of a microsecond an entry: a
category's last pages, some 30,000 entries in, spent 3-8 ms on it. So a deep
page starts from an anchor: the key (publication time, id) of every STRIDE-th
entry, read once per content version in one statement, each anchor a step of
STRIDE entries along the index from the one before (queries._anchors). The page
is then the listing from that key on, past fewer than STRIDE entries.
"""
from datetime import datetime, timezone

# Far beyond any listing (20 million articles), and an offset PostgreSQL can hold.
MAX_PAGE = 1_000_000
# Entries between anchors: a deep page skips fewer than this many from its anchor.
STRIDE = 1000
# The key a page that needs no anchor starts from: before every entry, newest first.
FIRST = (datetime(9999, 12, 31, tzinfo=timezone.utc), 2**63 - 1)
# Anchors are read for the first REACH entries of a listing (a category's every
# page), or for a power of two beyond a deeper page's offset: the read stops
# there, so a page no deeper than the others costs no more than they do.
REACH = 2**17


class InvalidPage(ValueError):
    """A page number that names no page; readers get a 404."""


def page_number(raw):
    """The page a ?page= value asks for: 1 when absent, else a whole number from 1."""
    if raw in (None, ""):
        return 1
    if not raw.isdigit() or not raw.isascii():
        raise InvalidPage("Số trang phải là số nguyên dương.")
    number = int(raw)
    if not 1 <= number <= MAX_PAGE:
        raise InvalidPage("Trang này không có bài nào.")
    return number


def window(ordered, number, per_page):
    """Page `number` of an ordered queryset, and one item more (is there a next page?)."""
    offset = offset_of(number, per_page)
    return list(ordered[offset : offset + per_page + 1])


def offset_of(number, per_page):
    """Where page `number` starts: how many items come before it."""
    return (number - 1) * per_page


def start(offset, anchors):
    """(key, skip): the page at this offset is the listing's entries from key on
    (published at or before its time; at that time, of its id or less), past the
    first `skip` of them. anchors(reach) gives the key of the listing's
    STRIDE-th, 2×STRIDE-th… entries among its first `reach`; it is called only
    for a page deep enough to need one."""
    if offset < STRIDE:
        return FIRST, offset
    keys = anchors(max(REACH, 1 << offset.bit_length()))
    nearest = min((offset + 1) // STRIDE, len(keys))  # the entry at nearest × STRIDE starts the page's stretch
    if not nearest:
        return FIRST, offset
    return keys[nearest - 1], offset + 1 - nearest * STRIDE
