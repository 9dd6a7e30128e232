"""Each editor's private copy of a form they have not saved: the form's fields as
the browser held them, kept for one editor and one article (None: a new article).
Never a revision, never public, never written into the article: restoring puts
the fields back into the form, and the editor saves as usual."""
import json

from django.utils import timezone

from ..models import Autosave

MAX_BYTES = 2 * 1024 * 1024
TOO_LARGE = "Bản lưu tạm quá lớn (hơn 2 MB), chưa lưu được."
NOT_FIELDS = "Bản lưu tạm không hợp lệ: cần một danh sách các trường [tên, giá trị, nhãn]."


class Refused(ValueError):
    """A payload that is not a form's fields; its message is for the editor."""


def parse(body):
    """The fields of a request's JSON body ([[name, value, label], …]), or Refused."""
    if len(body) > MAX_BYTES:
        raise Refused(TOO_LARGE)
    try:
        fields = json.loads(body)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, nested past reason
        raise Refused(NOT_FIELDS) from None
    if not isinstance(fields, list) or not all(_is_field(item) for item in fields):
        raise Refused(NOT_FIELDS)
    return fields


def _is_field(item):
    return isinstance(item, list) and len(item) == 3 and all(_storable(part) for part in item)


def _storable(part):
    # PostgreSQL's jsonb holds neither NUL nor a lone surrogate.
    if not isinstance(part, str) or "\x00" in part:
        return False
    try:
        part.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def store(user, article_id, fields):
    """Keep these fields as the user's copy of the article, replacing the last one."""
    # One statement (INSERT … ON CONFLICT): two ticks racing cannot both insert.
    Autosave.objects.bulk_create(
        [Autosave(user=user, article_id=article_id, fields=fields, saved_at=timezone.now())],
        update_conflicts=True, unique_fields=["user", "article"], update_fields=["fields", "saved_at"],
    )


def offered(user, article):
    """The copy worth offering on the form of article (None: the add form): one
    saved after the article was, since an older one is already in it."""
    copies = Autosave.objects.filter(user=user, article=article)
    if article is not None:
        copies = copies.filter(saved_at__gt=article.updated_at)
    return copies.first()


def discard(user, article_id):
    Autosave.objects.filter(user=user, article_id=article_id).delete()


def spent(user, article_id, added=False):
    """The user saved the article: their copy of it is in it now, and so is their
    copy of the add form when the save was the add form's. (A change elsewhere
    leaves that one alone: it may be a new article typed in another tab.)"""
    discard(user, article_id)
    if added:
        discard(user, None)
