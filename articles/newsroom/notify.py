"""E-mail about the desk's moves, through Django's mail: editors hear of what is
sent for review; a reporter hears that their article was returned or published.
Sent after the commit, and never in the way of a save: a failure is logged."""
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from .. import publication

log = logging.getLogger("antd.notify")
Status = publication.Status


def status_changed(article, before):
    """Called on every saved change of status (signals); e-mail goes out after commit."""
    message = _message(article, before)
    if message is None:
        return
    subject, body, recipients = message
    if recipients:
        transaction.on_commit(lambda: _send(subject, body, recipients))


def _message(article, before):
    link = settings.ANTD.get("ADMIN_BASE_URL", "") + reverse("admin:articles_article_change", args=[article.pk])
    note = getattr(article, "desk_note", "")
    if article.status == Status.REVIEW:
        return (f"Bài chờ duyệt: {article.title}", f"Có bài mới gửi duyệt: “{article.title}”.\n\n{link}\n",
                _editors())
    reporter = _reporter(article)
    if before == Status.REVIEW and article.status == Status.DRAFT and note:
        return (f"Bài bị trả lại: {article.title}",
                f"Biên tập viên đã trả lại bài “{article.title}”.\n\nLý do: {note}\n\n{link}\n", reporter)
    if article.status == Status.PUBLISHED:
        return (f"Bài đã xuất bản: {article.title}",
                f"Bài “{article.title}” đã được xuất bản.\n\n{link}\n", reporter)
    return None


def _editors():
    perm = Q(user_permissions__codename="publish_article") | Q(groups__permissions__codename="publish_article")
    users = get_user_model().objects.filter(perm | Q(is_superuser=True), is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _reporter(article):
    """Who wrote it, unless they made this move themselves."""
    user = article.created_by
    if user is None or not user.is_active or not user.email or article.updated_by_id == user.pk:
        return []
    return [user.email]


def _send(subject, body, recipients):
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # any mail failure: the article is saved; the newsroom reads the log
        log.exception("Không gửi được thư “%s” tới %s", subject, ", ".join(recipients))
