"""Event threads ("Dòng sự kiện"): articles about one ongoing story, chosen by hand."""
from django.core.exceptions import ValidationError
from django.db import models

from .. import paths, text
from ..photos import images
from ..photos.uploads import cover_upload_to
from .base import NormalizedModel
from .pictured import Pictured


class EventThread(Pictured, NormalizedModel):
    title = models.CharField("tiêu đề", max_length=300)
    # Made from the title on save, so that it follows the site's one slug rule.
    slug = models.SlugField("đường dẫn", max_length=200, unique=True, blank=True)
    introduction = models.TextField("giới thiệu", blank=True)
    # Stored and rendered as an article's photo is (models/pictured.py).
    cover = images.PhotoField(
        "ảnh bìa", upload_to=cover_upload_to, blank=True, width_field="cover_width", height_field="cover_height",
        help_text="JPEG, PNG, WebP hoặc GIF, tối đa 25 MB. Để trống thì dùng ảnh của bài mới nhất trong dòng.",
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_renditions = models.JSONField(default=dict, blank=True, editable=False)
    featured = models.BooleanField("nổi bật trên trang chủ", default=False)
    articles = models.ManyToManyField("articles.Article", related_name="threads", blank=True, verbose_name="tin bài")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        app_label = "articles"
        verbose_name = "dòng sự kiện"
        verbose_name_plural = "dòng sự kiện"
        ordering = ["-created_at", "-id"]

    picture_field = "cover"
    renditions_field = "cover_renditions"

    def clean(self):
        super().clean()
        slug = self.slug or text.slugify(self.title)
        if not slug:
            raise ValidationError({"title": "Tiêu đề phải có ít nhất một chữ cái hoặc chữ số."})
        if EventThread.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            raise ValidationError({"title": "Đã có dòng sự kiện với đường dẫn này."})

    def save(self, *args, **kwargs):
        self.normalize_text()
        self.store_picture()
        if not self.slug:
            self.slug = text.slugify(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return paths.thread_path(self.slug)

    def __str__(self):
        return self.title
