"""The editorial desk: an article's way from draft to review to published, who
may move it, and the queue of what waits.

    Nháp (draft) --Gửi duyệt--> Chờ duyệt (review) --Xuất bản--> Đã xuất bản
         ^                          |
         +--Rút về nháp / Trả lại---+

A reporter sends a draft for review and may withdraw it; while it waits, only
editors change it. An editor publishes (now or at a chosen time) or returns it
with a note; editors may also publish their own drafts directly. Reporters never
publish: every move is checked here, whatever the request. Each move is one
locked save inside revisions.attributed(), so the database records it as a
transition of the audit log (who, when, from, to, note) beside the revision.
"""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .. import publication, text
from ..models import Article, AuditEntry
from . import revisions

Status = publication.Status
PUBLISH_PERMISSION = "articles.publish_article"


class Refused(Exception):
    """A move the desk does not allow; the message is for the newsroom."""


def may_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def may_change(user, status):
    """Who may edit an article in this status (reporters: their drafts only)."""
    return status == Status.DRAFT or may_publish(user)


def submit(article_id, user):
    """Nháp → Chờ duyệt."""
    return _move(article_id, user, revisions.Kind.SUBMIT, Status.DRAFT, Status.REVIEW)


def withdraw(article_id, user):
    """Chờ duyệt → Nháp, by its reporter (or an editor), to work on it again."""
    return _move(article_id, user, revisions.Kind.WITHDRAW, Status.REVIEW, Status.DRAFT)


def return_to_reporter(article_id, user, note):
    """Chờ duyệt → Nháp with the editor's reason, which the reporter reads on the form."""
    note = text.normalized(note or "")
    if not note:
        raise Refused("Hãy ghi lý do trả lại bài để phóng viên biết cần sửa gì.")
    _editor_only(user, "trả lại bài")
    return _move(article_id, user, revisions.Kind.RETURN, Status.REVIEW, Status.DRAFT, note)


def publish(article_id, user, at=None):
    """Chờ duyệt (or an editor's draft) → Đã xuất bản, now or at `at`."""
    _editor_only(user, "xuất bản")
    return _move(article_id, user, revisions.Kind.PUBLISH, (Status.REVIEW, Status.DRAFT), Status.PUBLISHED, at=at)


def _editor_only(user, what):
    if not may_publish(user):
        raise Refused(f"Chỉ biên tập viên mới được {what}.")


def _move(article_id, user, kind, sources, target, note="", at=None):
    sources = (sources,) if isinstance(sources, str) else sources
    with revisions.attributed(user, kind, note):
        article = Article.objects.select_for_update().filter(pk=article_id).outside_trash().first()
        if article is None:
            raise Refused("Không còn bài này (đã bị xóa?).")
        if article.status not in sources:
            raise Refused(f"Bài đang ở trạng thái “{article.get_status_display()}”: không thể làm việc này.")
        article.status, article.updated_by = target, user
        if at is not None:
            article.published_at = at
        article.desk_note = note  # the notification's (notify.py)
        article.save()
    return article


# The queue -------------------------------------------------------------------

@dataclass(frozen=True)
class Waiting:
    article_id: int
    title: str
    reporter: str
    since: datetime


def queue():
    """What waits for an editor, oldest first: since when, and whose it is."""
    submitted = AuditEntry.objects.filter(article=OuterRef("pk"), action=AuditEntry.Action.SUBMIT).order_by("-at")
    rows = (
        Article.objects.outside_trash().filter(status=Status.REVIEW)
        .annotate(since=Subquery(submitted.values("at")[:1]))
        .select_related("created_by").order_by("since", "id")
    )
    return [Waiting(a.pk, a.title, text.person_name(a.created_by, nobody="—"), a.since or a.updated_at) for a in rows]


def with_last_move(articles):
    """Articles annotated with their latest move (last_move, last_note): a list
    shows a returned draft's reason."""
    moves = AuditEntry.objects.filter(article=OuterRef("pk"), to_status__gt="").order_by("-at", "-id")
    return articles.annotate(last_move=Subquery(moves.values("action")[:1]),
                             last_note=Subquery(moves.values("note")[:1]))


def last_return(article):
    """(editor's name, when, note) of the return that sent this draft back, if that
    is the draft's latest move; else None."""
    if article is None or article.status != Status.DRAFT:
        return None
    latest = AuditEntry.objects.filter(article=article, to_status__gt="").select_related("user").first()
    if latest is None or latest.action != AuditEntry.Action.RETURN:
        return None
    return text.person_name(latest.user, nobody="Hệ thống"), latest.at, latest.note


def waited(since, now=None):
    """"3 giờ", "2 ngày": how long something has waited, as the newsroom says it."""
    minutes = int(((now or timezone.now()) - since).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} phút"
    if minutes < 24 * 60:
        return f"{minutes // 60} giờ"
    return f"{minutes // (24 * 60)} ngày"
