"""A video a body shows as a card (articles/richtext/videos.py names it by its
canonical URL): the title and thumbnail its host gave, the thumbnail kept as our
own file so that a reader's page loads nothing from that host. Rows are made and
refreshed after commit by articles/oembed.py, never inside an article's save."""
from django.db import models

from ..photos.uploads import video_thumbnail_to
from ..richtext import videos
from .base import NormalizedModel


class VideoQuerySet(models.QuerySet):
    def placed_in(self, *bodies):
        """The rows known of the videos these bodies place. No query for bodies that
        place none: most do not, and the article page's queries are counted."""
        urls = {url for body in bodies for url in videos.placed(body)}
        return list(self.filter(url__in=urls)) if urls else []


class Video(NormalizedModel):
    url = models.CharField("địa chỉ video", max_length=500, unique=True)
    title = models.CharField("tiêu đề", max_length=300, blank=True)
    thumbnail = models.ImageField(
        "ảnh đại diện", upload_to=video_thumbnail_to, blank=True, width_field="thumbnail_width",
        height_field="thumbnail_height",
    )
    thumbnail_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    fetched_at = models.DateTimeField("lấy thông tin lúc", null=True, blank=True)  # the last attempt
    error = models.TextField("lỗi", blank=True)  # why the last attempt failed; empty once it worked

    objects = VideoQuerySet.as_manager()

    class Meta:
        app_label = "articles"
        verbose_name = "video"
        verbose_name_plural = "video"
        ordering = ["id"]

    def __str__(self):
        return self.title or self.url

    @property
    def needs_fetch(self):
        return self.fetched_at is None or bool(self.error)
