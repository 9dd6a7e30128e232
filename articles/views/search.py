"""Search: a form, the engine's result (search/), a page of highlighted cards."""
import logging

from django.db import OperationalError
from django.shortcuts import render
from django.views.decorators.http import require_safe

from antd_site.middleware import is_statement_timeout

from .. import search
from ..forms import SearchForm
from .shared import existing, requested_page

log = logging.getLogger("antd.search")


@require_safe
def results(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"form": form, "query": query, "page": None}
    status = 400 if form.is_bound and not form.is_valid() else 200
    if query:
        try:
            context.update(_found(request, form.cleaned_data, query))
        except OperationalError as error:
            if not is_statement_timeout(error):
                raise
            # A search PostgreSQL did not finish in a web worker's time (a phrase of
            # common words on a loaded server): its reader is told so, not shown an error.
            log.warning("Tìm kiếm quá thời gian cho phép, đã dừng: %s", request.path)
            context["too_slow"], status = True, 503
    response = render(request, "articles/search/results.html", context, status=status)
    if status == 503:
        response["Retry-After"] = "30"
    return response


def _found(request, data, query):
    found = search.find(
        query, newest_first=data["sap_xep"] == "moi-nhat", category=data["chuyen_muc"],
        since=data["tu_ngay"], until=data["den_ngay"],
    )
    page = existing(found.page(requested_page(request)))
    shown = {"page": page, "result_count": found.count, "count_limit": search.COUNT_LIMIT}
    if not page.items:
        shown["suggestion"] = search.suggest(query)
    return shown
