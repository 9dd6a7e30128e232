"""Sitemaps: articles (2,000 URLs a file), the Google News window, listings and archives."""
from datetime import datetime, timedelta
from functools import partial

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Exists, Max, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape

from . import cache as content_cache
from .models import Article, Category, Tag, Tagging, archive_path

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


class CachedSitemap(Sitemap):
    """Counts and latest dates asked by the sitemap index, kept per content version."""

    @property
    def paginator(self):
        return CountedOncePaginator(self._items(), self.limit, key=f"sitemap:{type(self).__name__}:count")

    def get_latest_lastmod(self):
        return content_cache.fragment(f"sitemap:{type(self).__name__}:lastmod", lambda: self.latest() or "") or None

    def latest(self):
        return None


class ArticleSitemap(CachedSitemap):
    # The protocol allows 50,000 URLs a file; 2,000 keeps each file quick to
    # make (and cheap to fetch) however large the archive grows.
    limit = 2_000

    def items(self):
        return Article.objects.published().order_by("-published_at", "-id").only("slug", "published_at", "updated_at")

    def lastmod(self, article):
        return article.updated_at

    def latest(self):
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

    def latest(self):
        return None


class CategorySitemap(CachedSitemap):
    def items(self):
        return content_cache.fragment("sitemap:categories", self._categories)

    @staticmethod
    def _categories():
        # The newest article's change (article_public_by_category), not a scan of every edit.
        last = (
            Article.objects.published().filter(category=OuterRef("pk"))
            .order_by("-published_at", "-id").values("updated_at")[:1]
        )
        return list(Category.objects.annotate(last=Subquery(last)).order_by("position", "name"))

    def lastmod(self, category):
        return category.last

    def latest(self):
        return max((c.last for c in self.items() if c.last), default=None)


class TagSitemap(CachedSitemap):
    limit = 10_000

    def items(self):
        public = Tagging.objects.published().filter(tag=OuterRef("pk"))
        return Tag.objects.filter(Exists(public)).order_by("slug").only("slug")


class ArchiveSitemap(CachedSitemap):
    """Every year, month and day that has public articles."""

    def items(self):
        return content_cache.fragment("sitemap:archives", self._periods)

    @staticmethod
    def _periods():
        days = sorted(Article.objects.publication_days())
        months = sorted({day.replace(day=1) for day in days})
        years = sorted({day.replace(month=1, day=1) for day in days})
        return [("year", y) for y in years] + [("month", m) for m in months] + [("day", d) for d in days]

    def location(self, item):
        kind, date = item
        return archive_path(date, kind)


SITEMAPS = {
    "articles": ArticleSitemap,
    "news": NewsSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "archives": ArchiveSitemap,
}


def section(request, section):
    """One sitemap file, written directly: Django's template costs ~60 µs a URL,
    which makes a file of a few thousand URLs slower than any page."""
    sitemap_class = SITEMAPS.get(section)
    if sitemap_class is None:
        raise Http404("Không có sitemap này.")
    sitemap = sitemap_class()
    try:
        urls = sitemap.get_urls(page=request.GET.get("p", 1), site=get_current_site(request), protocol=request.scheme)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("Không có trang sitemap này.") from None
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in urls:
        when = url.get("lastmod")
        when = timezone.localtime(when) if isinstance(when, datetime) else when
        lastmod = f"<lastmod>{when:%Y-%m-%d}</lastmod>" if when else ""
        parts.append(f"<url><loc>{escape(url['location'])}</loc>{lastmod}</url>")
    parts.append("</urlset>\n")
    return HttpResponse("".join(parts), content_type="application/xml")
