"""An article's photo: the file as decoded and cleaned (never the bytes sent), its
caption and credit, and its renditions. Where it stands is the body's to say
(a placeholder, articles/richtext/)."""
from django.core.exceptions import ValidationError
from django.db import models

from ..photos import images, uploads
from ..photos.uploads import photo_upload_to
from .article import Article
from .base import NormalizedModel


class Photo(NormalizedModel):
    article = models.ForeignKey(Article, verbose_name="bài viết", on_delete=models.CASCADE, related_name="photos")
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

    def __str__(self):
        return self.caption[:80] or self.alt_text or f"Ảnh #{self.pk}"

    def clean(self):
        super().clean()
        if not self.image and not self.caption:
            raise ValidationError("Ảnh cần có tệp ảnh hoặc chú thích.")

    @property
    def alt(self):
        return self.alt_text or self.caption

    def save(self, *args, **kwargs):
        self.normalize_text()
        if self.image and not self.image._committed:
            # Store what was decoded, never the bytes that were sent.
            stem = self.image.name.rsplit(".", 1)[0]
            self.source_digest = images.digest(self.image.file)
            clean_file = images.sanitized_upload(self.image.file, stem)
            self.image.save(clean_file.name, clean_file, save=False)
            uploads.remember(self.image)
            self.renditions = {}
        elif not self.image:
            self.renditions = {}  # the file was cleared; signals delete the old renditions
        super().save(*args, **kwargs)

    def refresh_renditions(self):
        """Make this photo's renditions and drop the previous ones (after commit only)."""
        old = images.rendition_names(self.renditions)
        made = {}
        if self.image:
            with self.image.open("rb") as handle:
                made = images.make_renditions(handle.read(), owner=self.image.name)
        self.renditions = made
        # A save, not an update(): its signal tells the cache that pages show a new srcset.
        self.save(update_fields=["renditions"])
        for name in set(old) - set(images.rendition_names(made)):
            self.image.storage.delete(name)

    def _urls(self, fmt):
        return [(width, self.image.storage.url(name)) for width, _, name in self.renditions.get(fmt, [])]

    def srcset(self, fmt="jpeg"):
        return ", ".join(f"{url} {width}w" for width, url in self._urls(fmt))

    def url_for_width(self, width, fmt="jpeg"):
        """The smallest rendition at least this wide (else the largest), or the original."""
        urls = self._urls(fmt)
        if not urls:
            return self.image.url
        return next((url for w, url in urls if w >= width), urls[-1][1])
