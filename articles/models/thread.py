"""Event threads ("Dòng sự kiện"): articles about one ongoing story, chosen by hand."""
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from .. import text
from .base import NormalizedModel


class EventThread(NormalizedModel):
    title = models.CharField("tiêu đề", max_length=300)
    # Made from the title on save, so that it follows the site's one slug rule.
    slug = models.SlugField("đường dẫn", max_length=200, unique=True, blank=True)
    introduction = models.TextField("giới thiệu", blank=True)
    featured = models.BooleanField("nổi bật trên trang chủ", default=False)
    articles = models.ManyToManyField("articles.Article", related_name="threads", blank=True, verbose_name="tin bài")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        app_label = "articles"
        verbose_name = "dòng sự kiện"
        verbose_name_plural = "dòng sự kiện"
        ordering = ["-created_at", "-id"]

    def clean(self):
        super().clean()
        slug = self.slug or text.slugify(self.title)
        if not slug:
            raise ValidationError({"title": "Tiêu đề phải có ít nhất một chữ cái hoặc chữ số."})
        if EventThread.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            raise ValidationError({"title": "Đã có dòng sự kiện với đường dẫn này."})

    def save(self, *args, **kwargs):
        self.normalize_text()
        if not self.slug:
            self.slug = text.slugify(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:thread", kwargs={"slug": self.slug})

    def __str__(self):
        return self.title
