"""Pages of a listing whose cost does not grow with the archive.

Django's Paginator counts every row (COUNT(*) over a million articles) and reads
whole rows up to the page's offset. Here a page's ids are read from a narrow
index that covers the listing's order (an index-only scan, skipping the offset
inside the index), and only the rows of those ids are read whole: a listing
page asks for them in the same statement, its ids a subquery (window_of,
queries.py). Nothing is counted: a page knows there is a next one by asking for
one row more (values.Page).
"""

# Far beyond any listing (20 million articles), and an offset PostgreSQL can hold.
MAX_PAGE = 1_000_000


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
    return list(window_of(ordered, number, per_page))


def window_of(ordered, number, per_page):
    """window() as a sliced queryset, not yet read: a subquery of another statement."""
    offset = (number - 1) * per_page
    return ordered[offset : offset + per_page + 1]
