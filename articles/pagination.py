"""Pages of a listing whose cost does not grow with the archive.

Django's Paginator counts every row (COUNT(*) over a million articles) and reads
whole rows up to the page's offset. Here a page is found in two steps: the ids,
read from a narrow index that covers the listing's order (an index-only scan,
skipping the offset inside the index), then the rows of just those ids. Nothing
is counted: a page knows there is a next one by asking for one row more.
"""
from collections.abc import Sequence
from functools import partial

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator


# Far beyond any listing (20 million articles), and an offset PostgreSQL can hold.
MAX_PAGE = 1_000_000


class Rows(Sequence):
    """A page's rows, read only when something looks at them: a listing whose
    rendered fragment is cached never does, and costs its ids query alone."""

    def __init__(self, fetch):
        self._fetch = fetch
        self._rows = None

    def _all(self):
        if self._rows is None:
            self._rows = self._fetch()
        return self._rows

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self):
        return len(self._all())


class ArchivePage(Page):
    def __init__(self, object_list, number, paginator, has_next):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        if not self._has_next:
            raise EmptyPage("Không có trang sau.")
        return self.number + 1

    def start_index(self):
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self):
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class ArchivePaginator(Paginator):
    """ids: an ordered queryset of primary keys (values_list), ideally index-only;
    rows: the queryset that fetches what a page shows (it is filtered by id)."""

    def __init__(self, rows, per_page, ids=None, **kwargs):
        super().__init__(rows, per_page, **kwargs)
        self.ids = rows.values_list("pk", flat=True) if ids is None else ids

    def validate_number(self, number):
        if isinstance(number, str) and not number.isdigit():
            raise PageNotAnInteger("Số trang phải là số nguyên dương.")
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("Số trang phải là số nguyên dương.") from None
        if number < 1:
            raise EmptyPage("Số trang phải từ 1 trở lên.")
        if number > MAX_PAGE:
            raise EmptyPage("Trang này không có bài nào.")
        return number

    def page(self, number):
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        ids = list(self.ids[offset : offset + self.per_page + 1])
        if not ids and number > 1:
            raise EmptyPage("Trang này không có bài nào.")
        shown = ids[: self.per_page]
        return ArchivePage(Rows(partial(self._rows, shown)), number, self, has_next=len(ids) > self.per_page)

    def _rows(self, shown):
        by_id = {row.pk: row for row in self.object_list.filter(pk__in=shown)} if shown else {}
        return [by_id[pk] for pk in shown if pk in by_id]

    @property
    def count(self):
        raise NotImplementedError("ArchivePaginator does not count; pages link to the next one.")

    @property
    def num_pages(self):
        raise NotImplementedError("ArchivePaginator does not count; pages link to the next one.")


__all__ = ["ArchivePaginator", "ArchivePage", "InvalidPage"]
