"""Revisions of an article: every change is kept, can be read as it was,
compared and restored.

The database records them (migration 0010): at the end of any transaction that
wrote an article, one of its photos or one of its tags, the article's content
is kept when it differs from its newest revision, whatever wrote it. Writers
here only say who they are and why (attributed), so that the history names
them; a write outside attributed() is recorded as "Thay đổi khác" by nobody.
"""
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from .. import authors, dates, text
from ..richtext import layout
from ..models import Article, AuditEntry, Category, Photo, Revision, Tag

Kind = Revision.Kind
# The content's keys (articles_revision_content in migration 0010), as editors name them.
FIELDS = {
    "title": "Tiêu đề", "slug": "Đường dẫn", "lead": "Sapo", "body": "Nội dung", "status": "Trạng thái",
    "published_at": "Thời gian xuất bản", "category": "Chuyên mục", "tags": "Thẻ", "author": "Tác giả",
    "source": "Nguồn", "photos": "Ảnh",
}
COPIED = ("title", "slug", "lead", "body", "status", "author", "source")
TRIGGERS = "articles_revision_on_article, articles_revision_on_photo, articles_revision_on_tagging"


# Recording ----------------------------------------------------------------

@contextmanager
def attributed(user, kind, note=""):
    """Revisions of what is written inside name this user (None: a command) and
    kind; they are recorded as the block ends, inside its transaction. A change of
    status inside is a transition of the audit log, with this note (newsroom/desk.py)."""
    with transaction.atomic():
        record_pending()  # what an enclosing block wrote is its own revision
        before = _attribution()
        _attribute(getattr(user, "pk", None), kind, note)
        yield
        record_pending()
        _attribute(*before)


def _attribution():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('antd.user_id', true), current_setting('antd.revision_kind', true),"
                       " current_setting('antd.desk_note', true)")
        return cursor.fetchone()


def _attribute(user_id, kind, note=""):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('antd.user_id', %s, true), set_config('antd.revision_kind', %s, true),"
            " set_config('antd.desk_note', %s, true)",
            [str(user_id or ""), kind or "", note or ""],
        )


def record_pending():
    """Record now the revisions this transaction has queued; otherwise its commit does."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {TRIGGERS} IMMEDIATE")
        cursor.execute(f"SET CONSTRAINTS {TRIGGERS} DEFERRED")


def record_bulk(cursor, article_ids):
    """The revisions of articles a bulk loader wrote past the triggers (antd.bulk_load)."""
    cursor.execute("SELECT articles_record_revisions(%s)", [list(article_ids)])


# Reading ------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One revision as the history page lists it."""

    id: int
    created_at: datetime
    who: str
    kind: str
    changed: tuple  # the names of the fields it changed, () for the first
    content: dict


def history(article_id):
    """The article's revisions, newest first, each with what it changed."""
    entries, before = [], None
    for revision in Revision.objects.filter(article=article_id).select_related("user").order_by("id"):
        entries.append(_entry(revision, before))
        before = revision.content
    return entries[::-1]


def entry(revision):
    """One revision as the history lists it, against the one before it alone."""
    before = (
        Revision.objects.filter(article=revision.article_id, id__lt=revision.pk).order_by("-id")
        .values_list("content", flat=True).first()
    )
    return _entry(revision, before)


def _entry(revision, before):
    return Entry(
        revision.pk, revision.created_at, text.person_name(revision.user, nobody="Hệ thống"),
        revision.get_kind_display(), changed_fields(before, revision.content), revision.content,
    )


def changed_fields(before, after):
    if before is None:
        return ()
    return tuple(label for key, label in FIELDS.items() if before.get(key) != after.get(key))


def published_at(content):
    value = content.get("published_at")
    return datetime.fromisoformat(value) if value else None


# Restoring ----------------------------------------------------------------

def restore(revision, user):
    """Put the article back as it was in revision, as a new revision: nothing is
    overwritten, and the restore can itself be undone. A photo comes back with
    its stored file (files are kept while a revision names them)."""
    content = revision.content
    with attributed(user, Kind.RESTORE):
        article = Article.objects.select_for_update().get(pk=revision.article_id)
        for name in COPIED:
            setattr(article, name, content[name])
        article.published_at = published_at(content)
        article.category = _category(content["category"])
        article.updated_by = user
        article.save()
        article.tags.set(_tags(content["tags"]))
        authors.assign(article, content["author"])  # the byline text names the authors again
        renumbered = _photos(article, content["photos"])
        if renumbered:
            # A photo deleted since came back under a new id: the body names it by that id.
            article.body = layout.renumber(article.body, renumbered)
            article.save(update_fields=["body"])
        when = dates.newsroom_time(revision.created_at)
        AuditEntry.objects.create(
            at=timezone.now(), user=user, action=AuditEntry.Action.RESTORE, article=article, title=article.title,
            note=f"Phiên bản #{revision.pk} lúc {when}",
        )
    return article


def _category(stored):
    if stored is None:
        return None
    return Category.objects.filter(pk=stored["id"]).first() or Category.objects.for_name(stored["name"])


def _tags(stored):
    found = {tag.pk: tag for tag in Tag.objects.filter(pk__in=[item["id"] for item in stored])}
    missing = [item["name"] for item in stored if item["id"] not in found]
    return [*found.values(), *Tag.objects.for_names(missing)]


def _photos(article, stored):
    """The article's photos as stored; returns {stored id: new id} of those made anew."""
    current = {photo.pk: photo for photo in article.photos.all()}
    renumbered = {}
    for item in stored:
        photo = current.pop(item["id"], None) or Photo(article=article)
        for name in ("caption", "credit", "alt_text"):
            setattr(photo, name, item[name])
        if (photo.image.name or "") != (item["image"] or ""):
            # The stored file itself, not a new upload: no decoding, new renditions after commit.
            photo.image.name = item["image"] or None
            photo.width, photo.height, photo.renditions = item["width"], item["height"], {}
        photo.save()
        if photo.pk != item["id"]:
            renumbered[item["id"]] = photo.pk
    for extra in current.values():
        extra.delete()
    return renumbered
