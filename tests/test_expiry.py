"""Take-down ("Gỡ lúc", Article.expires_at): at that moment an article leaves every
public surface by itself, with nothing saved (the content version ends then), and
its address answers 410 with the site's page; staff still read it, with a notice.

The clock is frozen (django.utils.timezone.now and the content version's clock)
and moved past a take-down, on every reader page of tests/public_pages.py, with
the whole-page cache on: what was kept before the moment must not outlive it."""
import datetime
import re
import time
from types import SimpleNamespace

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import publication
from articles.caching import version as content_cache
from articles.models import Article, SearchTerm
from articles.search import suggestions
from tests.factories import (
    ArticleFactory, CategoryFactory, CorrectionFactory, PhotoFactory, TagFactory, UserFactory, hanoi,
)
from tests.public_pages import ERRORS, PAGES, SECOND_PAGES, World, select
from tests.reader import Page, card_urls

pytestmark = pytest.mark.django_db

NOW = hanoi(2026, 3, 10, 12, 0)
# Sooner than the version's longest life (an hour), so that only the take-down can end it.
LEAVES_AT = hanoi(2026, 3, 10, 12, 40)
AFTER = LEAVES_AT + datetime.timedelta(seconds=1)


class Clock:
    """timezone.now() and the content version's time.time(), set by the test."""

    def __init__(self, monkeypatch, now):
        self.now = now
        monkeypatch.setattr(timezone, "now", lambda: self.now)
        shim = SimpleNamespace(time=lambda: self.now.timestamp(), time_ns=time.time_ns, monotonic=time.monotonic)
        monkeypatch.setattr(content_cache, "time", shim)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, NOW)


@pytest.fixture
def page_cache(settings):
    settings.ANTD = {**settings.ANTD, "PAGE_CACHE_SECONDS": 600}


@pytest.fixture
def world(clock):
    """Three public articles of 10/03/2026 (the last one leaves at 12:40) and one
    of February already taken down at 11:30, all sharing a category and a tag."""
    category = CategoryFactory(name="Giao thông")
    tag = TagFactory(name="Phân luồng giao thông")
    common = {"category": category, "tags": [tag]}
    gone = ArticleFactory(
        title="Lễ hội khinh khí cầu đã gỡ", published_at=hanoi(2026, 2, 20, 9), expires_at=hanoi(2026, 3, 10, 11, 30),
        **common,
    )
    older = ArticleFactory(title="Phân luồng buổi sáng ở Cầu Giấy", published_at=hanoi(2026, 3, 10, 9), **common)
    staying = ArticleFactory(title="Phân luồng giữa buổi ở Hoàn Kiếm", published_at=hanoi(2026, 3, 10, 10), **common)
    leaving = ArticleFactory(
        title="Cấm đường tạm thời ở Ba Đình", published_at=hanoi(2026, 3, 10, 11), expires_at=LEAVES_AT, **common,
    )
    for article in (gone, leaving):
        PhotoFactory(article=article)
        CorrectionFactory(article=article, published_at=article.published_at + datetime.timedelta(minutes=30))
    CorrectionFactory(article=staying, published_at=hanoi(2026, 3, 10, 10, 30))
    return SimpleNamespace(
        reader=World(staying, category, tag), gone=gone, older=older, staying=staying, leaving=leaving, tag=tag,
    )


def traces(article):
    """What would give an article away on a page: its title, address, slug, photo."""
    found = [article.title, article.get_absolute_url(), f"/{article.slug}/"]
    return found + [photo.image.url for photo in article.photos.all()]


def shown(body, article):
    return [trace for trace in traces(article) if trace in body]


READER_PAGES = select(without=[ERRORS, SECOND_PAGES])
# The pages that list the article leaving at 12:40 (its neighbour's page: as next
# and related); the others name no single article of the day.
LISTING_IT = {
    "home", "article", "category", "tag", "year", "month", "day", "search", "site feed", "category feed",
    "tag feed", "articles sitemap", "news sitemap", "corrections", "corrections feed",
}
assert LISTING_IT <= set(READER_PAGES)


@pytest.mark.parametrize("name", READER_PAGES)
def test_a_taken_down_article_is_on_no_reader_page(client, world, name):
    url = PAGES[name].url(world.reader)
    body = client.get(url).content.decode()
    assert shown(body, world.gone) == [], url
    if name in LISTING_IT:
        assert shown(body, world.leaving), f"{url} should list the article still public"


@pytest.mark.parametrize("name", READER_PAGES)
def test_an_article_leaves_every_reader_page_at_its_time_with_nothing_saved(client, world, clock, page_cache, name):
    url = PAGES[name].url(world.reader)
    before = client.get(url)
    assert before.status_code == 200, url
    if name in LISTING_IT:
        assert shown(before.content.decode(), world.leaving), url
    assert client.get(url).content == before.content  # kept (page cache, read functions) until then

    clock.now = AFTER
    after = client.get(url)
    assert after.status_code == 200, url
    assert shown(after.content.decode(), world.leaving) == [], url


def test_neighbours_and_related_articles_follow_the_take_down(client, world, clock):
    page = Page(client.get(world.staying.get_absolute_url()))
    assert page.anchor("next")[0]["href"] == world.leaving.get_absolute_url()
    assert card_urls(page.section("related", tag="section")) == [
        world.leaving.get_absolute_url(), world.older.get_absolute_url(),
    ]
    assert Page(client.get(world.older.get_absolute_url())).anchor("prev") is None  # not February's, taken down

    clock.now = AFTER
    page = Page(client.get(world.staying.get_absolute_url()))
    assert page.anchor("next") is None
    assert card_urls(page.section("related", tag="section")) == [world.older.get_absolute_url()]


def month_counts(client, year):
    html = Page(client.get(f"/{year}/")).html
    return dict(re.findall(r'<a href="(/\d{4}/\d{2}/)">Tháng \d+</a> <span class="count">\((\d+) bài\)</span>', html))


def tag_count(client, tag):
    html = Page(client.get("/tag/")).html
    counts = dict(re.findall(r'<a href="(/tag/[^"]+/)">[^<]+</a> <span class="count">\((\d+)\)</span>', html))
    return counts[tag.get_absolute_url()]


def test_counts_and_periods_leave_taken_down_articles_out(client, world, clock):
    # February held only the article taken down: no month, no day, no link back to it.
    assert month_counts(client, 2026) == {"/2026/03/": "3"}
    assert client.get("/2026/02/").status_code == 404
    assert client.get("/2026/02/20/").status_code == 404
    assert Page(client.get("/2026/03/")).anchor("prev") is None
    archives = client.get("/sitemap-archives.xml").content.decode()
    assert "/2026/02/" not in archives
    assert tag_count(client, world.tag) == "3"

    clock.now = AFTER
    assert month_counts(client, 2026) == {"/2026/03/": "2"}
    assert tag_count(client, world.tag) == "2"


def test_search_and_its_suggestions_leave_taken_down_articles_out(client, world, clock):
    suggestions.refresh_terms()
    words = set(SearchTerm.objects.values_list("word", flat=True))
    assert "khinh" not in words and "cấm" in words
    found = client.get("/tim-kiem/?q=khinh+khí+cầu").content.decode()
    assert shown(found, world.gone) == []
    assert world.leaving.get_absolute_url() in client.get("/tim-kiem/?q=cấm+đường").content.decode()

    clock.now = AFTER
    assert shown(client.get("/tim-kiem/?q=cấm+đường").content.decode(), world.leaving) == []
    suggestions.refresh_terms()
    assert "cấm" not in set(SearchTerm.objects.values_list("word", flat=True))


def test_feeds_leave_the_article_at_its_time(client, world, clock):
    def links(url):
        return [entry.link for entry in feedparser.parse(client.get(url).content).entries]

    assert any(world.leaving.get_absolute_url() in link for link in links("/rss/"))
    assert any(world.leaving.get_absolute_url() in link for link in links("/dinh-chinh/rss/"))
    clock.now = AFTER
    for url in ("/rss/", f"/tag/{world.tag.slug}/rss/", "/dinh-chinh/rss/"):
        found = links(url)
        assert found, url
        assert not [link for link in found if world.leaving.get_absolute_url() in link], url


def test_a_taken_down_address_answers_410_with_the_sites_page(client, world, clock):
    response = client.get(world.gone.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert "Bài viết này đã bị gỡ" in html and '<html lang="vi">' in html
    assert world.gone.title not in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]

    assert client.get(world.leaving.get_absolute_url()).status_code == 200
    clock.now = AFTER
    assert client.get(world.leaving.get_absolute_url()).status_code == 410
    # Made-up and unpublished addresses stay 404.
    assert client.get("/2026/03/10/khong-co-bai-nay/").status_code == 404
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=NOW, expires_at=NOW)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_article_brought_back_answers_again(client, world, page_cache):
    assert client.get(world.gone.get_absolute_url()).status_code == 410
    world.gone.expires_at = None
    world.gone.save()
    page = Page(client.get(world.gone.get_absolute_url()))
    assert world.gone.title in page.titles[0]


def test_staff_still_read_a_taken_down_article_with_a_notice(client, world):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = Page(client.get(world.gone.get_absolute_url()))
    assert world.gone.title in page.html
    notice = page.section("notice", tag="p")
    assert "Bài đã gỡ lúc 11:30 10/03/2026" in notice
    assert page.meta("robots") == "noindex, nofollow"
    assert page.json_ld() == []  # not a public article: nothing told to search engines
    assert page.anchor("next") is None and page.section("related", tag="section") == ""


def test_the_content_version_ends_at_the_next_take_down(world, clock):
    assert publication.next_change(Article.objects) == LEAVES_AT
    content_cache.forget_local_version()
    assert content_cache.current()["until"] == LEAVES_AT.timestamp()
    # A scheduled article coming out earlier ends it first; a draft's expiry never does.
    ArticleFactory(status=Article.Status.DRAFT, published_at=NOW, expires_at=hanoi(2026, 3, 10, 12, 5))
    scheduled = ArticleFactory(published_at=hanoi(2026, 3, 10, 12, 20))
    assert content_cache.current()["until"] == scheduled.published_at.timestamp()

    clock.now = hanoi(2026, 3, 10, 12, 25)
    assert content_cache.current()["until"] == LEAVES_AT.timestamp()  # renewed by itself, nothing saved
    clock.now = AFTER
    version = content_cache.current()
    assert version["until"] > AFTER.timestamp()
    assert publication.next_change(Article.objects) is None


def test_the_next_change_is_two_index_steps_and_leaves_the_trash_out():
    """A scheduled article in the trash will never come out, so it does not end the
    version; and each side of next_change is a step along a partial index (with
    every other way off, PostgreSQL could only scan the table: 150 ms at a million
    articles when the trash was not ruled out)."""
    ArticleFactory(published_at=NOW + datetime.timedelta(minutes=10), deleted_at=NOW)
    coming = ArticleFactory(published_at=NOW + datetime.timedelta(minutes=20))
    assert publication.next_change(Article.objects, now=NOW) == coming.published_at

    with CaptureQueriesContext(connection) as statements:
        publication.next_change(Article.objects, now=NOW)
    [statement] = statements.captured_queries
    with connection.cursor() as cursor:
        for way in ("seqscan", "bitmapscan"):
            cursor.execute(f"SET LOCAL enable_{way} = off")
        cursor.execute(f"EXPLAIN {statement['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Each side reads a partial index of INDEXED: leaving, the expiry's; coming out,
    # by_date at a million articles, and on a test's few rows whichever PostgreSQL's
    # statistics of them favour.
    assert len(re.findall(r"using article_public_\w+ on ", plan)) == 2, plan
    assert "using article_public_by_expiry" in plan and "Seq Scan" not in plan, plan
