"""How often each article was read, per hour: what the most-read lists rank
(articles/reads/). Rows are written by the flush of Redis's pending counts, or
one view at a time when there is no Redis; nothing says who read."""
from django.db import models

from .article import Article


class HourlyReads(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()  # the start of the hour, UTC
    count = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "articles"
        verbose_name = "lượt đọc theo giờ"
        verbose_name_plural = "lượt đọc theo giờ"
        constraints = [
            # The flush adds to a row by it (INSERT … ON CONFLICT).
            models.UniqueConstraint(fields=["article", "hour"], name="hourlyreads_article_hour"),
        ]
        indexes = [
            # The lists' windows (reads/ranking.py): the last 7 days, then sums per article.
            models.Index(fields=["hour", "article", "count"], name="hourlyreads_by_hour"),
        ]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.count}"
