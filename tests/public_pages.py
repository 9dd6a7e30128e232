"""Every kind of page a reader can ask for, named once for all test modules.

A test builds a World (a public article with its category and tag, from its own
fixture) and takes the pages it needs: PAGES[name].url(world), or select(...).
tests/test_public_pages.py fails when a reader-facing URL pattern has no page here.
"""
from dataclasses import dataclass
from typing import Callable, NamedTuple


@dataclass
class World:
    article: object  # a public Article
    category: object  # its Category
    tag: object  # one of its Tags


class Page(NamedTuple):
    url: Callable[[World], str]
    status: int = 200


def _day(world, parts):
    return "/" + "/".join(f"{value:02d}" for value in world.article.local_date.timetuple()[:parts]) + "/"


def _author(world):
    """The first author of the world's article (every factory article has one); for
    an article without a byline (the founding one), the author of most articles."""
    from django.db.models import Count

    from articles.models import Author

    return (world.article.authors.order_by("authorships__position").first()
            or Author.objects.annotate(written=Count("authorships")).order_by("-written", "id").first())


def _thread(world):
    """An event thread holding the world's article, made on first use (the same one
    after: a page's address must not change as a test's archive grows)."""
    from articles.models import EventThread

    thread, _ = EventThread.objects.get_or_create(slug="dong-su-kien-thu", defaults={"title": "Dòng sự kiện thử"})
    thread.articles.add(world.article)
    return thread


PAGES = {
    "home": Page(lambda w: "/"),
    "home page 2": Page(lambda w: "/?page=2"),
    "article": Page(lambda w: w.article.get_absolute_url()),
    "category": Page(lambda w: w.category.get_absolute_url()),
    "category page 2": Page(lambda w: w.category.get_absolute_url() + "?page=2"),
    "category index": Page(lambda w: "/chuyen-muc/"),
    "tag": Page(lambda w: w.tag.get_absolute_url()),
    "tag page 2": Page(lambda w: w.tag.get_absolute_url() + "?page=2"),
    "tag index": Page(lambda w: "/tag/"),
    "author": Page(lambda w: _author(w).get_absolute_url()),
    "author page 2": Page(lambda w: _author(w).get_absolute_url() + "?page=2"),
    "author index": Page(lambda w: "/tac-gia/"),
    "thread": Page(lambda w: _thread(w).get_absolute_url()),
    "year": Page(lambda w: _day(w, 1)),
    "month": Page(lambda w: _day(w, 2)),
    "day": Page(lambda w: _day(w, 3)),
    "search": Page(lambda w: "/tim-kiem/?q=" + w.tag.slug.replace("-", "+")),
    "search, nothing found": Page(lambda w: "/tim-kiem/?q=khongcotuchnaycatrongkho"),
    "search, bad dates": Page(lambda w: "/tim-kiem/?q=thi+dua&tu_ngay=31/12/2020&den_ngay=01/01/2017", 400),
    "site feed": Page(lambda w: "/rss/"),
    "category feed": Page(lambda w: f"/chuyen-muc/{w.category.slug}/rss/"),
    "tag feed": Page(lambda w: f"/tag/{w.tag.slug}/rss/"),
    "author feed": Page(lambda w: f"/tac-gia/{_author(w).slug}/rss/"),
    "thread feed": Page(lambda w: f"/dong-su-kien/{_thread(w).slug}/rss/"),
    "sitemap index": Page(lambda w: "/sitemap.xml"),
    "articles sitemap": Page(lambda w: "/sitemap-articles.xml"),
    "news sitemap": Page(lambda w: "/sitemap-news.xml"),
    "categories sitemap": Page(lambda w: "/sitemap-categories.xml"),
    "tags sitemap": Page(lambda w: "/sitemap-tags.xml"),
    "archives sitemap": Page(lambda w: "/sitemap-archives.xml"),
    "authors sitemap": Page(lambda w: "/sitemap-authors.xml"),
    "threads sitemap": Page(lambda w: "/sitemap-threads.xml"),
    "corrections": Page(lambda w: "/dinh-chinh/"),
    "corrections feed": Page(lambda w: "/dinh-chinh/rss/"),
    "robots.txt": Page(lambda w: "/robots.txt"),
    "favicon.ico": Page(lambda w: "/favicon.ico", 301),  # to the static file
    "not found": Page(lambda w: "/khong-co-trang-nay/", 404),
    "article not found": Page(lambda w: "/2017/02/15/khong-co-bai-nay/", 404),
}

SECOND_PAGES = {name for name in PAGES if name.endswith("page 2")}
SEARCHES = {name for name in PAGES if name.startswith("search")}
ERRORS = {name for name, page in PAGES.items() if page.status != 200}
# Not HTML: feeds, sitemaps, robots.txt, the icon.
FILES = {name for name in PAGES if name.endswith(("feed", "sitemap", "sitemap index", ".txt", ".ico"))}


def select(*, without=()):
    """The names of PAGES but those in the sets given."""
    left_out = set().union(*without)
    return [name for name in PAGES if name not in left_out]
