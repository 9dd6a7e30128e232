""""Dòng sự kiện": an event thread's page, its public articles newest first."""
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import queries
from ..models import EventThread
from .shared import breadcrumbs, existing, requested_page


@require_safe
def detail(request, slug):
    try:
        thread = queries.thread(slug)
    except EventThread.DoesNotExist:
        raise Http404("Không có dòng sự kiện này.") from None
    page = existing(queries.thread_page(thread.id, requested_page(request)))
    return render(request, "articles/threads/detail.html", {
        "thread": thread, "page": page, "breadcrumbs": breadcrumbs("Dòng sự kiện: " + thread.name),
    })
