"""Year, month and day archives: one template, a heading and a trail each."""
from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import dates, queries
from ..values import Period
from .shared import breadcrumbs, requested_page

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


def _archive(request, kind, *parts):
    period = _period(kind, *parts)
    page = queries.period_page(kind, period.start, requested_page(request))
    if not page.items:
        raise Http404("Không có bài nào trong thời gian này.")
    heading = HEADINGS[kind]
    trail = [(HEADINGS[level](period.start), Period(level, period.start).url) for level in LEVELS[: LEVELS.index(kind)]]
    context = {
        "page": page, "heading": heading(period.start), "breadcrumbs": breadcrumbs(*trail, heading(period.start)),
        "period_links": [
            (rel, heading(other.start), other.url)
            for rel, other in zip(("prev", "next"), queries.adjacent_periods(kind, period.start)) if other
        ],
    }
    if kind == "year":
        context["months"] = [(Period("month", first).url, first.month, count) for first, count in queries.months_of(period.start.year)]
    return render(request, "articles/archives/archive.html", context)
