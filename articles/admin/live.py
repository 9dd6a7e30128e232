"""Live notices on an article's form: who else has it open, and the editor's
autosaved copy (newsroom/presence.py, newsroom/autosave.py).

The form's script (static/articles/admin/newsroom.js) speaks to the endpoints
below, all POST, all JSON; the template gives it their addresses."""
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.urls import path, reverse
from django.utils import timezone

from .. import dates
from ..newsroom import autosave, presence
from .shared import admin_view, article_or_404

INTERVAL_SECONDS = 10  # within the 15 s for autosave and 30 s for presence
ADD_URL_NAME = "articles_article_add"


def urls(model_admin):
    def view(function):
        return admin_view(model_admin, function, post_only=True)

    # The add form's first: "<path:object_id>/autosave/" would take "add" for an id.
    return [
        path("add/autosave/", view(autosave_view), name="articles_article_add_autosave"),
        path("add/autosave/discard/", view(discard_view), name="articles_article_add_autosave_discard"),
        path("<path:object_id>/presence/", view(presence_view), name="articles_article_presence"),
        path("<path:object_id>/presence/leave/", view(leave_view), name="articles_article_presence_leave"),
        path("<path:object_id>/autosave/", view(autosave_view), name="articles_article_autosave"),
        path("<path:object_id>/autosave/discard/", view(discard_view), name="articles_article_autosave_discard"),
    ]


def _editable(model_admin, request, object_id):
    """The article whose form this user may fill (None: the add form's new one)."""
    if object_id is None:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
        return None
    article = article_or_404(model_admin, request, object_id)
    # A reporter may read a published article but not change it: nothing to keep.
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    return article


def presence_view(model_admin, request, object_id):
    article = article_or_404(model_admin, request, object_id)
    presence.seen(article.pk, request.user, presence.page_of(_json(request).get("page")))
    presence.forget_old()  # forms that closed without a word, now and then
    names = presence.others(article.pk, request.user)
    return JsonResponse({"others": names, "notice": presence.notice(names)})


def leave_view(model_admin, request, object_id):
    # A beacon: a form, with the CSRF token and the page in it.
    page = presence.page_of(request.POST.get("page"))
    presence.left(article_or_404(model_admin, request, object_id).pk, request.user, page)
    return HttpResponse(status=204)


def _json(request):
    """The request's JSON object, or {} (an empty or broken body is an old script's)."""
    try:
        found = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def autosave_view(model_admin, request, object_id=None):
    article = _editable(model_admin, request, object_id)
    try:
        fields = autosave.parse(request.body)
    except autosave.Refused as refused:
        return JsonResponse({"error": str(refused)}, status=400)
    autosave.store(request.user, article and article.pk, fields)
    return JsonResponse({"saved_at": dates.newsroom_time(timezone.now())})


def discard_view(model_admin, request, object_id=None):
    # Only the editor's own copy goes, so reading the article is enough.
    article = None if object_id is None else article_or_404(model_admin, request, object_id)
    autosave.discard(request.user, article and article.pk)
    return HttpResponse(status=204)


def _url(request, name, article):
    namespace = request.resolver_match.namespace if request.resolver_match else "admin"
    return reverse(f"{namespace}:{name}", args=[article.pk] if article else [])


def context(request, article):
    """What the change form's template needs for its notices (the template shows
    the autosave part only to whoever may save the form)."""
    kind = "articles_article" if article else "articles_article_add"
    live = {
        "interval": settings.ANTD.get("LIVE_INTERVAL_SECONDS", INTERVAL_SECONDS),
        "autosave_url": _url(request, f"{kind}_autosave", article),
        "discard_url": _url(request, f"{kind}_autosave_discard", article),
    }
    if article:
        page = presence.new_page()
        presence.seen(article.pk, request.user, page)  # so that whoever opens it next sees us at once
        live.update(
            page=page,
            presence_url=_url(request, "articles_article_presence", article),
            leave_url=_url(request, "articles_article_presence_leave", article),
            others=presence.notice(presence.others(article.pk, request.user)),
        )
    return {"live": live, "autosave_offer": _offer(request, article)}


def _offer(request, article):
    # A form sent back with errors already holds what the editor typed.
    if request.method == "POST":
        return None
    copy = autosave.offered(request.user, article)
    return copy and {"saved_at": dates.newsroom_time(copy.saved_at), "fields": copy.fields}


def saved(request, article):
    """The editor saved the form: their autosaved copy is spent."""
    added = bool(request.resolver_match) and request.resolver_match.url_name == ADD_URL_NAME
    autosave.spent(request.user, article.pk, added=added)
