"""The archive's own words, for "did you mean" suggestions (articles/search/)."""
from django.contrib.postgres.indexes import GinIndex
from django.db import models


class SearchTerm(models.Model):
    """A word of the archive's titles and sapos, for "did you mean" suggestions."""

    word = models.CharField(max_length=100, primary_key=True)
    plain = models.CharField(max_length=100, help_text="The word without diacritics (unaccent).")
    frequency = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "articles"
        verbose_name = "từ tìm kiếm"
        verbose_name_plural = "từ tìm kiếm"
        indexes = [GinIndex(fields=["plain"], name="searchterm_plain_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self):
        return self.word
