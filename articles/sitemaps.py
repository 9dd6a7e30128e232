"""Sitemaps: articles (2,000 URLs a file), the Google News window, listings (authors too) and archives."""
from datetime import datetime, timedelta

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Exists, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape

from . import publication, queries
from .caching import cached
from .models import Article, Author, Authorship, Category, EventThread, Tag, Tagging
from .paths import archive_path

NEWS_WINDOW = timedelta(hours=48)
# What readers are told changed last: a substantive update or a correction, else
# the publication (values.Story.date_modified); a typo fix moves neither.
LAST_MODIFIED = Coalesce("modified_at", "published_at")


@cached
def item_count(section):
    """How many URLs a sitemap has: asked on every request for its number of pages,
    counted once per content version instead of over a million rows each time."""
    return Paginator(SITEMAPS[section]()._items(), 1).count


@cached
def latest_change(section):
    return SITEMAPS[section]().latest()


class CountedOncePaginator(Paginator):
    def __init__(self, object_list, per_page, section):
        super().__init__(object_list, per_page)
        self.section = section

    @cached_property
    def count(self):
        return item_count(self.section)


class ByIdPaginator(CountedOncePaginator):
    """Pages whose rows are read by id: the page's ids first, from the listing's
    index alone (skipping the offset inside the index), then only their rows. Read
    whole, the 458th file of a million articles walked 916,000 rows to its offset
    and ran past the readers' statement timeout (a 500, bench-cold, 06/12/2026)."""

    def page(self, number):
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        ids = self.object_list.values("pk")[offset:offset + self.per_page]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class CachedSitemap(Sitemap):
    """Counts and latest dates asked by the sitemap index, kept per content version."""

    section = None

    @property
    def paginator(self):
        return CountedOncePaginator(self._items(), self.limit, self.section)

    def get_latest_lastmod(self):
        return latest_change(self.section)

    def latest(self):
        return None


class ArticleSitemap(CachedSitemap):
    section = "articles"
    # The protocol allows 50,000 URLs a file; 2,000 keeps each file quick to
    # make (and cheap to fetch) however large the archive grows.
    limit = 2_000

    @property
    def paginator(self):
        return ByIdPaginator(self._items(), self.limit, self.section)

    def items(self):
        return Article.objects.published().order_by("-published_at", "-id").only("slug", "published_at", "modified_at")

    def lastmod(self, article):
        return article.modified_at or article.published_at

    def latest(self):
        # Django would walk every item for this; the database knows it at once
        # (article_public_by_modification).
        return Article.objects.published().aggregate(latest=Max(LAST_MODIFIED))["latest"]


class NewsSitemap(ArticleSitemap):
    """Google News wants articles of the last two days only."""

    section = "news"
    paginator = CachedSitemap.paginator  # one file of at most 1,000, its items a slice already

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published().filter(published_at__gte=since).order_by("-published_at")
            .only("title", "slug", "published_at", "modified_at")[:1000]
        )

    def latest(self):
        return None


@cached
def category_changes():
    """((category URL, its newest article's change or None), …) in menu order: one
    step down article_public_by_category each, not a scan of every edit."""
    last = (
        Article.objects.published().filter(category=OuterRef("pk"))
        .order_by("-published_at", "-id").values(last=LAST_MODIFIED)[:1]
    )
    return tuple((c.get_absolute_url(), c.last) for c in Category.objects.annotate(last=Subquery(last)).order_by("position", "name"))


class CategorySitemap(CachedSitemap):
    section = "categories"

    def items(self):
        return list(category_changes())

    def location(self, item):
        return item[0]

    def lastmod(self, item):
        return item[1]

    def latest(self):
        return max((last for _, last in category_changes() if last), default=None)


class TagSitemap(CachedSitemap):
    section = "tags"
    limit = 10_000

    def items(self):
        public = Tagging.objects.published().filter(tag=OuterRef("pk"))
        return Tag.objects.filter(Exists(public)).order_by("slug").only("slug")


class AuthorSitemap(CachedSitemap):
    section = "authors"
    limit = 10_000

    def items(self):
        public = Authorship.objects.filter(publication.public_q("article__"), author=OuterRef("pk"))
        return Author.objects.filter(Exists(public)).order_by("slug").only("slug")


class ThreadSitemap(CachedSitemap):
    """Event threads with at least one public article."""

    section = "threads"
    limit = 10_000

    def items(self):
        public = Article.objects.published().filter(threads=OuterRef("pk"))
        return EventThread.objects.filter(Exists(public)).order_by("slug").only("slug")


class ArchiveSitemap(CachedSitemap):
    """Every year, month and day that has public articles."""

    section = "archives"

    def items(self):
        return list(archive_periods())

    def location(self, item):
        kind, date = item
        return archive_path(date, kind)


@cached
def archive_periods():
    """(kind, first day) of every year, month and day with public articles."""
    days = sorted(queries.publication_days())
    months = sorted({day.replace(day=1) for day in days})
    years = sorted({day.replace(month=1, day=1) for day in days})
    return tuple([("year", y) for y in years] + [("month", m) for m in months] + [("day", d) for d in days])


SITEMAPS = {
    "articles": ArticleSitemap,
    "news": NewsSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "archives": ArchiveSitemap,
    "threads": ThreadSitemap,
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
