"""Who has an article's form open: each open form says so every few seconds
(admin/live.py), and the others are named on it."""
import datetime
import re
import secrets

from django.utils import timezone

from .. import text
from ..models import EditingSession

# A form that has not spoken for this long is closed, crashed or offline; three
# missed heartbeats, so one slow request does not make a colleague vanish.
WINDOW = datetime.timedelta(seconds=30)
# Rows this old can only be forms that left without saying so.
FORGOTTEN_AFTER = datetime.timedelta(hours=1)


# What names a browser page: new_page()'s, or the script's own after the page came
# back from the back-forward cache. Anything else is not a page's name.
PAGE = re.compile(r"[A-Za-z0-9_-]{1,40}")


def new_page():
    """A name for one opening of the form in a browser."""
    return secrets.token_urlsafe(12)


def page_of(value):
    """The page a request names, or "" when it names none that could be one."""
    return value if isinstance(value, str) and PAGE.fullmatch(value) else ""


def seen(article_id, user, page=""):
    """The user's form of this article is open now, in this browser page ("" when
    not told: the form being opened). A page that has left is not brought back by
    a heartbeat it sent before leaving that arrived after: one UPDATE decides,
    after any leave of the same row has committed."""
    mine = EditingSession.objects.filter(article_id=article_id, user=user)
    if page:
        mine = mine.exclude(page=page, left=True)
    if not mine.update(seen_at=timezone.now(), page=page, left=False):
        # No row, or this page's row marked left (then get finds it and nothing changes).
        EditingSession.objects.get_or_create(
            article_id=article_id, user=user, defaults={"seen_at": timezone.now(), "page": page},
        )


def left(article_id, user, page=""):
    """The user's page has closed. Another page of theirs that spoke since (a second
    tab) keeps them there."""
    mine = EditingSession.objects.filter(article_id=article_id, user=user)
    if page:
        mine.filter(page=page).update(left=True)
    else:
        mine.delete()


def others(article_id, user):
    """The names of the other people who have this article's form open."""
    sessions = (
        EditingSession.objects.filter(article_id=article_id, left=False, seen_at__gte=timezone.now() - WINDOW)
        .exclude(user=user).select_related("user").order_by("seen_at", "id")
    )
    return [text.person_name(session.user) for session in sessions]


def forget_old():
    EditingSession.objects.filter(seen_at__lt=timezone.now() - FORGOTTEN_AFTER).delete()


def notice(names):
    """'Nguyễn Văn An đang sửa bài này', or '' when nobody else is there."""
    return f"{', '.join(names)} đang sửa bài này" if names else ""
