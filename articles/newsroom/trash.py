"""Deleting an article moves it to the trash: off every public surface at once,
its address answering 410, restorable with its photos, tags and revisions for
TRASH_DAYS days, then purged (manage.py purge_trash).

The trash is one column, deleted_at, in the public rule (publication.CONDITIONS):
nothing else of the article is touched, so a restore brings back exactly what
was there. Purging deletes the rows and then every file the article ever named,
originals kept for its revisions included (signals.py keeps them until then)."""
import math
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from .. import dates
from ..models import Article, AuditEntry, Photo
from ..photos import images, uploads
from ..redirects import forget_gone, record_gone

TRASH_DAYS = 30
# Saved when an article goes in or out: updated_at too, so that a form opened
# before refuses to save over it (newsroom/editing.py's edit token).
TRASH_FIELDS = ["deleted_at", "deleted_by", "updated_at"]


# Moving in and out -----------------------------------------------------------

def move_to_trash(articles, user):
    """Trash these articles (models or a queryset); those already there are left
    as they are. Returns the articles trashed."""
    now = timezone.now()
    with transaction.atomic():
        trashed = list(_locked(articles, in_trash=False))
        for article in trashed:
            article.deleted_at, article.deleted_by = now, user
            article.save(update_fields=TRASH_FIELDS)
            if article.published_at:
                record_gone(article.get_absolute_url())
        _audit(trashed, user, AuditEntry.Action.TRASH, now)
    return trashed


def restore_from_trash(articles, user):
    """Take these articles out of the trash as they were; returns those restored."""
    now = timezone.now()
    with transaction.atomic():
        restored = list(_locked(articles, in_trash=True))
        for article in restored:
            article.deleted_at = article.deleted_by = None
            article.save(update_fields=TRASH_FIELDS)
            if article.published_at:
                forget_gone(article.get_absolute_url())
        _audit(restored, user, AuditEntry.Action.UNTRASH, now)
    return restored


def _locked(articles, in_trash):
    # Locked as a form's save locks them: a save and a trash of one article
    # happen one after the other, never interleaved.
    ids = [article.pk for article in articles]
    return Article.objects.filter(pk__in=ids, deleted_at__isnull=not in_trash).select_for_update().order_by("pk")


def _audit(articles, user, action, at):
    AuditEntry.objects.bulk_create([
        AuditEntry(at=at, user=user, action=action, article=article, title=article.title)
        for article in articles
    ])


def trashed_message(what):
    return f"Đã chuyển {what} vào thùng rác. Có thể khôi phục trong {TRASH_DAYS} ngày."


def days_left(article, now=None):
    """Whole days, rounded up, before purge() may take the article (0: at its next run)."""
    remaining = article.deleted_at + timedelta(days=TRASH_DAYS) - (now or timezone.now())
    return max(0, math.ceil(remaining / timedelta(days=1)))


# Purging ---------------------------------------------------------------------

def purge(older_than_days=TRASH_DAYS, now=None):
    """Delete for good the articles trashed more than older_than_days ago, with
    their photos, tag links and revisions, and then their files. Their addresses
    keep answering 410. Returns how many were purged."""
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    with transaction.atomic():
        articles = list(Article.objects.filter(deleted_at__lt=cutoff).select_for_update().order_by("pk"))
        if not articles:
            return 0
        ids = [article.pk for article in articles]
        files = _files_of(ids)
        _audit_purge(articles)
        Article.objects.filter(pk__in=ids).delete()  # photos, tag links, revisions cascade
        storage = Photo._meta.get_field("image").storage
        uploads.delete_after_commit(storage, sorted(files - _named_elsewhere(files, ids)))
    return len(articles)


def _audit_purge(articles):
    # The log outlives the article: no link to it (the delete would unset it
    # anyway), its title, and when it went to the trash.
    now = timezone.now()
    AuditEntry.objects.bulk_create([
        AuditEntry(
            at=now, user=None, action=AuditEntry.Action.PURGE, article=None, title=article.title,
            note=f"Bài #{article.pk}, chuyển vào thùng rác lúc {dates.newsroom_time(article.deleted_at)}",
        )
        for article in articles
    ])


def _files_of(ids):
    """Every file these articles name: their photos' originals and renditions, and
    the originals their revisions name (photos replaced or removed since)."""
    files = set()
    for image, renditions in Photo.objects.filter(article__in=ids).values_list("image", "renditions"):
        files.update([image, *images.rendition_names(renditions)])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT p->>'image' FROM articles_revision r, jsonb_array_elements(r.content->'photos') p"
            " WHERE r.article_id = ANY(%s)", [ids],
        )
        files.update(name for (name,) in cursor.fetchall())
    return {name for name in files if name}


def _named_elsewhere(files, ids):
    """Those of files another article's photo or revision still names. Upload
    names are unique, so this should find none; a file is never lost on a guess.
    It reads every revision once, which a daily command can afford."""
    if not files:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT image FROM articles_photo WHERE image = ANY(%(files)s) AND NOT article_id = ANY(%(ids)s)"
            " UNION SELECT p->>'image' FROM articles_revision r, jsonb_array_elements(r.content->'photos') p"
            " WHERE p->>'image' = ANY(%(files)s) AND NOT r.article_id = ANY(%(ids)s)",
            {"files": sorted(files), "ids": ids},
        )
        return {name for (name,) in cursor.fetchall()}
