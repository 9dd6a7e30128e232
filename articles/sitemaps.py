"""Sitemaps: articles (paged at 50,000), the Google News window, listings and archives."""
from datetime import timedelta

from functools import partial

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from . import cache as content_cache
from .models import Article, Category, Tag

NEWS_WINDOW = timedelta(hours=48)


class CountedOncePaginator(Paginator):
    """The sitemap index asks how many pages there are on every request; the
    answer is kept for the content version instead of counting a million rows."""

    def __init__(self, object_list, per_page, key):
        super().__init__(object_list, per_page)
        self.key = key

    @cached_property
    def count(self):
        return content_cache.fragment(self.key, partial(Paginator.count.func, self))


class ArticleSitemap(Sitemap):
    # The protocol allows 50,000 URLs a file; 2,000 keeps each file quick to
    # make (and cheap to fetch) however large the archive grows.
    limit = 2_000

    def items(self):
        return Article.objects.published().order_by("-published_at", "-id").only("slug", "published_at", "updated_at")

    @property
    def paginator(self):
        return CountedOncePaginator(self._items(), self.limit, key=f"sitemap:{type(self).__name__}:count")

    def location(self, article):
        day = article.local_date
        return f"/{day.year:04d}/{day.month:02d}/{day.day:02d}/{article.slug}/"  # as articles:article, without reverse()

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        # Django would walk every item for this; the database knows it at once.
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class NewsSitemap(ArticleSitemap):
    """Google News wants articles of the last two days only."""

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published().filter(published_at__gte=since).order_by("-published_at")
            .only("title", "slug", "published_at", "updated_at")[:1000]
        )

    def get_latest_lastmod(self):
        return None


class CategorySitemap(Sitemap):
    def items(self):
        public = Q(articles__in=Article.objects.published())
        return Category.objects.annotate(last=Max("articles__updated_at", filter=public)).order_by("position", "name")

    def lastmod(self, category):
        return category.last


class TagSitemap(Sitemap):
    limit = 50_000

    def items(self):
        return Tag.objects.filter(articles__in=Article.objects.published()).distinct().order_by("slug")


class ArchiveSitemap(Sitemap):
    """Every year, month and day that has public articles."""

    def items(self):
        return content_cache.fragment("sitemap:archives", self._periods)

    @staticmethod
    def _periods():
        public = Article.objects.published()
        return [(kind, date) for kind in ("year", "month", "day") for date in public.dates("published_at", kind)]

    def location(self, item):
        kind, date = item
        parts = {"year": date.year, "month": date.month, "day": date.day}
        names = {"year": ["year"], "month": ["year", "month"], "day": ["year", "month", "day"]}[kind]
        return reverse(f"articles:{kind}", kwargs={name: parts[name] for name in names})


SITEMAPS = {
    "articles": ArticleSitemap,
    "news": NewsSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "archives": ArchiveSitemap,
}
