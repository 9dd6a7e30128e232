"""Search: a form, the engine's result (search/), a page of highlighted cards."""
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import search
from ..forms import SearchForm
from .shared import existing, requested_page


@require_safe
def results(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"form": form, "query": query, "page": None}
    if query:
        data = form.cleaned_data
        found = search.find(
            query, newest_first=data["sap_xep"] == "moi-nhat", category=data["chuyen_muc"],
            since=data["tu_ngay"], until=data["den_ngay"],
        )
        page = existing(found.page(requested_page(request)))
        context.update(page=page, result_count=found.count, count_limit=search.COUNT_LIMIT)
        if not page.items:
            context["suggestion"] = search.suggest(query)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "articles/search/results.html", context, status=status)
