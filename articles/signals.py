"""Photo files and their rows, once the transaction commits: a rolled-back save
must not lose a file that the database still points to, and renditions are made
only for uploads that are really there.

An original outlives its photo row: a revision may name it, and restoring that
revision brings it back (newsroom/revisions.py). Originals go when the article
and its revisions are purged from the trash (newsroom/trash.py); renditions,
which can be made again, go with the row or the file they were made from.

A video placed in a saved body is described by its host after commit too
(oembed.py), so that a host that is slow or away never holds up the save."""
from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from . import authors, caching, oembed
from .models import Article, Author, Authorship, Category, Correction, EventThread, Photo, Tag, Video
from .newsroom import notify
from .photos import images, uploads
from .richtext import videos


# Pictured records (models/pictured.py): an article's photos, authors' portraits, threads' covers.
# Photos keep their originals (keeps_originals); a portrait's goes with it.
@receiver(post_delete, sender=Photo)
@receiver(post_delete, sender=Author)
@receiver(post_delete, sender=EventThread)
def delete_renditions(sender, instance, **kwargs):
    file = instance.picture_file
    kept = [] if instance.keeps_originals else [file.name]
    uploads.delete_after_commit(file.storage, [*images.rendition_names(instance.picture_renditions), *kept])


@receiver(pre_save, sender=Photo)
@receiver(pre_save, sender=Author)
@receiver(pre_save, sender=EventThread)
def note_replaced_file(sender, instance, **kwargs):
    file, fields = instance.picture_file, (instance.picture_field, instance.renditions_field)
    old = sender.objects.filter(pk=instance.pk).values_list(*fields).first() if instance.pk else None
    instance._image_changed = old is None or old[0] != file.name
    if old and instance._image_changed:
        kept = [] if instance.keeps_originals else [old[0]]
        uploads.delete_after_commit(file.storage, [*images.rendition_names(old[1]), *kept])


@receiver(post_save, sender=Photo)
@receiver(post_save, sender=Author)
@receiver(post_save, sender=EventThread)
def make_renditions_after_commit(sender, instance, **kwargs):
    if getattr(instance, "_image_changed", False) and instance.picture_file:
        # robust: a failed rendition is logged and retried by rebuild_renditions,
        # it never turns a committed save into an error page.
        transaction.on_commit(partial(_refresh, sender, instance.pk), robust=True)


def _refresh(model, pk):
    pictured = model.objects.filter(pk=pk).first()
    if pictured and pictured.picture_file:
        pictured.refresh_renditions()


@receiver(post_save, sender=Article)
def fetch_videos_after_commit(sender, instance, **kwargs):
    urls = videos.placed(instance.body)
    if urls:
        # After commit and robust: the host is asked only about a body really saved,
        # and a host that fails never turns the save into an error page.
        transaction.on_commit(partial(oembed.fetch_new, urls), robust=True)


@receiver([post_save, post_delete], sender=Article)
@receiver([post_save, post_delete], sender=Photo)
@receiver([post_save, post_delete], sender=Tag)
@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Video)
@receiver([post_save, post_delete], sender=Correction)
@receiver([post_save, post_delete], sender=Author)
@receiver([post_save, post_delete], sender=Authorship)
@receiver([post_save, post_delete], sender=EventThread)
@receiver(m2m_changed, sender=Article.tags.through)
@receiver(m2m_changed, sender=EventThread.articles.through)
def content_changed(sender, **kwargs):
    """Anything readers could see changed: cached pages and fragments go."""
    caching.changed()


@receiver(post_save, sender=Author)
def rename_in_bylines(sender, instance, created, **kwargs):
    """A renamed author's articles name them anew in their byline text."""
    if not created:
        authors.refresh_bylines(instance.authorships.values_list("article_id", flat=True))


@receiver(post_save, sender=Article)
def tell_the_desk(sender, instance, created, **kwargs):
    before = None if created else getattr(instance, "saved_status", None)
    if before != instance.status:
        notify.status_changed(instance, before)
    instance.saved_status = instance.status
