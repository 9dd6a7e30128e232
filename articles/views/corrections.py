"""/dinh-chinh/: the corrections of public articles, newest first (its feed is
feeds.CorrectionFeed)."""
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import queries
from .shared import breadcrumbs, existing, requested_page

TITLE = "Đính chính"


@require_safe
def corrections(request):
    page = existing(queries.corrections_page(requested_page(request)))
    return render(request, "articles/corrections/list.html", {"page": page, "breadcrumbs": breadcrumbs(TITLE)})
