"""Pages of a listing whose cost does not grow with the archive.

Django's Paginator counts every row (COUNT(*) over a million articles) and reads
whole rows up to the page's offset. Here a page's ids are read from a narrow
index that covers the listing's order (an index-only scan, skipping the offset
inside the index), and only the rows of those ids are read whole: a listing
page asks for them in the same statement, its ids a subquery (queries._listing).
Nothing is counted: a page knows there is a next one by asking for one row more
(values.Page).
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
    offset = offset_of(number, per_page)
    return list(ordered[offset : offset + per_page + 1])


def offset_of(number, per_page):
    """Where page `number` starts: how many items come before it."""
    return (number - 1) * per_page
