"""An article's photo: the file as decoded and cleaned (never the bytes sent), its
caption and credit, and its renditions. Where it stands is the body's to say
(a placeholder, articles/richtext/)."""
from contextlib import contextmanager

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef
from django.db.models.functions import JSONObject

from ..photos import images, markup
from ..photos.uploads import photo_upload_to
from .article import Article
from .base import NormalizedModel
from .pictured import Pictured


class Photo(Pictured, NormalizedModel):
    # Indexed with its order (Meta.indexes), which also serves the key's own lookups.
    article = models.ForeignKey(
        Article, verbose_name="bài viết", on_delete=models.CASCADE, related_name="photos", db_index=False,
    )
    image = images.PhotoField(
        "tệp ảnh", upload_to=photo_upload_to, blank=True, width_field="width", height_field="height",
        help_text="JPEG, PNG, WebP hoặc GIF, tối đa 25 MB và 50 megapixel. Có thể để trống với ảnh lưu trữ "
        "đã mất tệp: chú thích vẫn hiện.",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.TextField("chú thích", blank=True)
    credit = models.CharField("nguồn ảnh", max_length=200, blank=True)
    alt_text = models.CharField(
        "mô tả thay thế", max_length=300, blank=True,
        help_text="Mô tả ảnh cho người khiếm thị; để trống thì dùng chú thích.",
    )
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    source_digest = models.CharField(
        max_length=64, blank=True, editable=False, help_text="SHA-256 of the file as uploaded, to spot re-imports."
    )

    class Meta:
        app_label = "articles"
        verbose_name = "ảnh"
        verbose_name_plural = "ảnh"
        ordering = ["id"]
        indexes = [
            # An article's photos in order (photo_rows): a page's, and its card's
            # photo as the triggers of migration 0028 find it, the first with a
            # file. Walked in order, the first found ends it; the key's own index
            # made PostgreSQL read and sort all of an article's photos.
            models.Index(fields=["article", "id"], name="photo_by_article"),
        ]

    # Its original outlives it: a revision may name the file, and restoring that
    # revision brings the photo back (newsroom/revisions.py, signals.py).
    keeps_originals = True

    def __str__(self):
        return self.caption[:80] or self.alt_text or f"Ảnh #{self.pk}"

    def clean(self):
        super().clean()
        if not self.image and not self.caption:
            raise ValidationError("Ảnh cần có tệp ảnh hoặc chú thích.")

    @property
    def alt(self):
        return markup.alt_of(self.alt_text, self.caption)

    @contextmanager
    def saving_renditions(self):
        # Its article's row first, as the admin's form, a restore and an import lock
        # it before they write its photos: this save's trigger locks that row too
        # (migration 0028), and two writers taking the two rows in opposite orders
        # could each wait for the other.
        with transaction.atomic():
            list(Article.objects.select_for_update().filter(pk=self.article_id).values_list("pk", flat=True))
            yield

    def save(self, *args, **kwargs):
        self.normalize_text()
        sent = self.store_picture()  # what was decoded, never the bytes that were sent
        if sent:
            self.source_digest = sent
        super().save(*args, **kwargs)


# What a page shows of a photo, read as JSON in its article's row; a card's photo
# (Article.card_photo) has the same keys.
ROW_FIELDS = ("id", "image", "width", "height", "caption", "credit", "alt_text", "renditions")


def photo_rows():
    """An article's photos in order, as one JSON array column of its row: its page
    reads them in the article's own query."""
    rows = Photo.objects.filter(article=OuterRef("pk")).order_by("id")
    return ArraySubquery(rows.values(json=JSONObject(**{name: name for name in ROW_FIELDS})))


def photos_from_rows(rows):
    """The Photos of photo_rows(), unsaved, to render (srcset, renditions' URLs)."""
    return [Photo(**row) for row in rows or ()]
