"""An article's history in the admin ("Lịch sử"): its revisions newest first,
each readable as it was, any two compared word by word, any one restored as a
new revision; beside them, the article's entries in the audit log."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .. import text
from ..models import Article, AuditEntry, Revision
from ..newsroom import diff, revisions
from .shared import admin_view, article_or_404

PUBLISHED = "published"


def urls(model_admin):
    def view(function):
        return admin_view(model_admin, function)

    return [
        path("<path:object_id>/history/compare/", view(compare_view), name="articles_article_compare"),
        path("<path:object_id>/history/<int:revision_id>/", view(revision_view), name="articles_article_revision"),
        path("<path:object_id>/history/<int:revision_id>/restore/", view(restore_view), name="articles_article_restore"),
    ]


def _revision(article, revision_id):
    revision = Revision.objects.filter(pk=revision_id, article=article).select_related("user").first()
    if revision is None:
        raise Http404("Bài này không có phiên bản đó.")
    return revision


def may_restore(model_admin, request, article, revision):
    """Whoever may edit the article may restore it; a reporter only into a draft
    (restoring a published revision would publish)."""
    if not model_admin.has_change_permission(request, article):
        return False
    return model_admin.has_publish_permission(request) or revision.content.get("status") != PUBLISHED


def _context(model_admin, request, article, title, **extra):
    return {
        **model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "original": article,
        "title": title, "subtitle": article.title, **extra,
    }


def history_view(model_admin, request, object_id):
    article = article_or_404(model_admin, request, object_id)
    entries = revisions.history(article.pk)
    audit = [
        (item.at, text.person_name(item.user, nobody="Hệ thống"), item.get_action_display(), _move(item), item.note)
        for item in AuditEntry.objects.filter(article=article).select_related("user")
    ]
    return TemplateResponse(request, "admin/articles/article/history.html", _context(
        model_admin, request, article, "Lịch sử sửa bài", entries=entries, audit=audit,
    ))


def _move(entry):
    """"Bản nháp → Chờ duyệt" for a transition of the desk, "" for other entries."""
    if not entry.to_status:
        return ""
    names = dict(Article.Status.choices)
    return f"{names.get(entry.from_status, entry.from_status)} → {names.get(entry.to_status, entry.to_status)}"


def revision_view(model_admin, request, object_id, revision_id):
    article = article_or_404(model_admin, request, object_id)
    revision = _revision(article, revision_id)
    entry = revisions.entry(revision)
    return TemplateResponse(request, "admin/articles/article/revision.html", _context(
        model_admin, request, article, f"Phiên bản #{revision.pk}", entry=entry,
        rows=diff.compare(revision.content, revision.content),
        may_restore=may_restore(model_admin, request, article, revision),
    ))


def compare_view(model_admin, request, object_id):
    article = article_or_404(model_admin, request, object_id)
    try:
        ids = sorted({int(request.GET["from"]), int(request.GET["to"])})
    except (KeyError, ValueError):
        return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))
    older, newer = _revision(article, ids[0]), _revision(article, ids[-1])
    return TemplateResponse(request, "admin/articles/article/compare.html", _context(
        model_admin, request, article, f"So sánh phiên bản #{older.pk} và #{newer.pk}",
        older=older, newer=newer, rows=diff.compare(older.content, newer.content),
    ))


def restore_view(model_admin, request, object_id, revision_id):
    article = article_or_404(model_admin, request, object_id)
    revision = _revision(article, revision_id)
    if not may_restore(model_admin, request, article, revision):
        raise PermissionDenied
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "POST":
        revisions.restore(revision, request.user)
        messages.success(request, (
            f"Đã khôi phục phiên bản #{revision.pk} thành một phiên bản mới. Bản trước đó vẫn còn trong "
            "lịch sử: muốn quay lại, hãy khôi phục nó."
        ))
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
    current = Revision.objects.filter(article=article).order_by("-id").first()
    return TemplateResponse(request, "admin/articles/article/restore.html", _context(
        model_admin, request, article, f"Khôi phục phiên bản #{revision.pk}?", revision=revision,
        rows=diff.compare(current.content if current else revision.content, revision.content),
    ))
