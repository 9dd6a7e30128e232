"""Authors ("Tác giả") and their place in an article's byline."""
from django.db import models

from .. import bylines, paths, text
from ..photos import images
from ..photos.uploads import portrait_upload_to
from .base import VI_COLLATION, SluggedByName
from .pictured import Pictured


class AuthorQuerySet(models.QuerySet):
    def for_names(self, names):
        """The authors of these names in this order, created when missing: one per
        normalized slug, so "MINH ANH" finds "Minh Anh"."""
        found = {}
        for name in bylines.names_in(list(names)):
            slug = text.slugify(name)
            found[slug], _ = self.get_or_create(slug=slug, defaults={"name": name})
        return list(found.values())


class Author(Pictured, SluggedByName):
    name = models.CharField("tên", max_length=100, db_collation=VI_COLLATION)
    slug = models.SlugField("đường dẫn", max_length=120, unique=True, blank=True)
    bio = models.TextField("giới thiệu", blank=True, help_text="Vài dòng về tác giả, hiện trên trang tác giả.")
    # Stored and rendered as an article's photo is (models/pictured.py).
    photo = images.PhotoField(
        "ảnh chân dung", upload_to=portrait_upload_to, blank=True, width_field="photo_width",
        height_field="photo_height",
        help_text="JPEG, PNG, WebP hoặc GIF, tối đa 25 MB. Hiện nhỏ, cắt tròn, trên trang tác giả.",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)

    objects = AuthorQuerySet.as_manager()
    duplicate_message = "Tác giả “{name}” trùng với tác giả “{other}” đã có."

    class Meta:
        app_label = "articles"
        verbose_name = "tác giả"
        verbose_name_plural = "tác giả"
        ordering = ["name"]
        # The authors index (queries.author_index): in Vietnamese order, as the tag index.
        indexes = [models.Index(fields=["name"], name="author_by_name")]

    picture_field = "photo"
    renditions_field = "photo_renditions"
    rendition_steps = images.PORTRAIT_WIDTHS

    def save(self, *args, **kwargs):
        self.name = bylines.display_name(self.name)
        self.store_picture()
        super().save(*args, **kwargs)

    @property
    def description(self):
        # What a listing's Section shows under its heading (values.Section.of).
        return self.bio

    def get_absolute_url(self):
        return paths.author_path(self.slug)


class Authorship(models.Model):
    """An author's place in an article's byline, first (0) to last."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(
        Author, verbose_name="tác giả", on_delete=models.PROTECT, related_name="authorships",
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        app_label = "articles"
        verbose_name = "tác giả của bài"
        verbose_name_plural = "tác giả của bài"
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint("article", "author", name="authorship_once_per_article")]
        # An author's page: the articles of one author (queries.author_page).
        indexes = [models.Index(fields=["author", "article"], name="authorship_by_author")]

    def __str__(self):
        return str(self.author)
