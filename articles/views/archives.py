"""Year, month and day archives: one template, a heading and a trail each."""
from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import dates, queries
from ..caching import cached
from ..values import Period
from .shared import breadcrumbs, kept_listing, requested_page, shown

HEADINGS = {"year": dates.year_heading, "month": dates.month_heading, "day": dates.day_heading}
LEVELS = ("year", "month", "day")


@require_safe
def year(request, year):
    return _archive(request, "year", year)


@require_safe
def month(request, year, month):
    return _archive(request, "month", year, month)


@require_safe
def day(request, year, month, day):
    return _archive(request, "day", year, month, day)


def _period(kind, *parts):
    try:
        return Period(kind, date(*parts, *[1] * (3 - len(parts))))
    except ValueError:
        raise Http404("Ngày tháng không hợp lệ.") from None


@cached
def period_view(kind, start, number):
    """What a period's page shows of the archive, kept for the content version as
    one value (as listings.section_page): kept_listing's Page and HTML, then the
    periods before and after it that have public articles. Cold, a day's page
    reads the cache once, where its page, its neighbours and its listing's fragment
    were three reads."""
    return (*kept_listing(queries.period_page(kind, start, number)), queries.adjacent_periods(kind, start))


def _archive(request, kind, *parts):
    period = _period(kind, *parts)
    page, listing, adjacent = period_view(kind, period.start, requested_page(request))
    if not page.items:
        raise Http404("Không có bài nào trong thời gian này.")
    heading = HEADINGS[kind]
    trail = [(HEADINGS[level](period.start), Period(level, period.start).url) for level in LEVELS[: LEVELS.index(kind)]]
    context = {
        "page": page, "listing": shown(listing), "heading": heading(period.start),
        "breadcrumbs": breadcrumbs(*trail, heading(period.start)),
        "period_links": [(rel, heading(other.start), other.url) for rel, other in zip(("prev", "next"), adjacent) if other],
    }
    if kind == "year":
        context["months"] = [(Period("month", first).url, first.month, count) for first, count in queries.months_of(period.start.year)]
    return render(request, "articles/archives/archive.html", context)
