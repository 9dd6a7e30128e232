"""The editorial desk's own records: corrections published with an article, and
the internal notes between its reporter and editors (never public)."""
from django.conf import settings
from django.db import models
from django.db.models import F

from .article import Article
from .base import NormalizedModel


class Correction(NormalizedModel):
    """"Đính chính": dated, shown on the article and listed at /dinh-chinh/."""

    article = models.ForeignKey(Article, verbose_name="bài viết", on_delete=models.CASCADE,
                                related_name="corrections")
    published_at = models.DateTimeField("ngày đính chính")
    text = models.TextField("nội dung đính chính")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người viết", on_delete=models.SET_NULL,
                                   null=True, editable=False, related_name="+")

    class Meta:
        app_label = "articles"
        verbose_name = "đính chính"
        verbose_name_plural = "đính chính"
        ordering = ["published_at", "id"]
        indexes = [
            # /dinh-chinh/ and its feed, newest first.
            models.Index(F("published_at").desc(), name="correction_by_time"),
        ]

    def __str__(self):
        return f"Đính chính: {self.article}"


class EditorialNote(NormalizedModel):
    """"Ghi chú biên tập": one message of the thread kept with an article."""

    article = models.ForeignKey(Article, verbose_name="bài viết", on_delete=models.CASCADE,
                                related_name="editorial_notes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người viết", on_delete=models.SET_NULL,
                             null=True, editable=False, related_name="+")
    at = models.DateTimeField("lúc", auto_now_add=True)
    text = models.TextField("ghi chú")

    class Meta:
        app_label = "articles"
        verbose_name = "ghi chú biên tập"
        verbose_name_plural = "ghi chú biên tập"
        ordering = ["at", "id"]

    def __str__(self):
        return self.text[:80]
