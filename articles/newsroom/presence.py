"""Who has an article's form open: each open form says so every few seconds
(admin/live.py), and the others are named on it."""
import datetime

from django.utils import timezone

from .. import text
from ..models import EditingSession

# A form that has not spoken for this long is closed, crashed or offline; three
# missed heartbeats, so one slow request does not make a colleague vanish.
WINDOW = datetime.timedelta(seconds=30)
# Rows this old can only be forms that left without saying so.
FORGOTTEN_AFTER = datetime.timedelta(hours=1)


def seen(article_id, user):
    """The user's form of this article is open now."""
    EditingSession.objects.update_or_create(article_id=article_id, user=user, defaults={"seen_at": timezone.now()})


def left(article_id, user):
    EditingSession.objects.filter(article_id=article_id, user=user).delete()


def others(article_id, user):
    """The names of the other people who have this article's form open."""
    sessions = (
        EditingSession.objects.filter(article_id=article_id, seen_at__gte=timezone.now() - WINDOW)
        .exclude(user=user).select_related("user").order_by("seen_at", "id")
    )
    return [text.person_name(session.user) for session in sessions]


def forget_old():
    EditingSession.objects.filter(seen_at__lt=timezone.now() - FORGOTTEN_AFTER).delete()


def notice(names):
    """'Nguyễn Văn An đang sửa bài này', or '' when nobody else is there."""
    return f"{', '.join(names)} đang sửa bài này" if names else ""
