"""Categories and tags: names in Vietnamese order, one record per normalized slug."""
from django.db import models

from .. import paths, text
from .base import VI_COLLATION, SluggedByName


class CategoryQuerySet(models.QuerySet):
    def for_name(self, name):
        """The category of this name, created when missing (one per normalized slug)."""
        return self.filter(slug=text.slugify(name)).first() or self.create(name=name)


class Category(SluggedByName):
    name = models.CharField("tên", max_length=120, db_collation=VI_COLLATION)
    slug = models.SlugField("đường dẫn", max_length=140, unique=True, blank=True)
    description = models.TextField("mô tả", blank=True)
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    objects = CategoryQuerySet.as_manager()

    duplicate_message = "Chuyên mục “{name}” trùng với chuyên mục “{other}” đã có."

    class Meta:
        app_label = "articles"
        verbose_name = "chuyên mục"
        verbose_name_plural = "chuyên mục"
        ordering = ["position", "name"]

    def get_absolute_url(self):
        return paths.category_path(self.slug)


class TagQuerySet(models.QuerySet):
    def for_names(self, names):
        """The tags for these names, created when missing, one per normalized slug."""
        tags = {}
        for name in names:
            name = text.collapse_spaces(text.nfc(name))
            slug = text.slugify(name)
            if slug and slug not in tags:
                tags[slug], _ = self.get_or_create(slug=slug, defaults={"name": name})
        return list(tags.values())


class Tag(SluggedByName):
    name = models.CharField("tên", max_length=100, db_collation=VI_COLLATION)
    slug = models.SlugField("đường dẫn", max_length=120, unique=True, blank=True)

    objects = TagQuerySet.as_manager()
    duplicate_message = "Thẻ “{name}” trùng với thẻ “{other}” đã có."

    class Meta:
        app_label = "articles"
        verbose_name = "thẻ"
        verbose_name_plural = "thẻ"
        ordering = ["name"]
        # The tag index walks this, in Vietnamese order (the column's collation),
        # instead of sorting every tag for each page.
        indexes = [models.Index(fields=["name"], name="tag_by_name")]

    def get_absolute_url(self):
        return paths.tag_path(self.slug)
