"""The one visibility rule, on every public surface: readers never see a draft, a
scheduled article or one taken down, nor anything that gives one away (title, URL,
a count, a date, a correction). tests/test_expiry.py moves the clock past a take-down."""
import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, CorrectionFactory, PhotoFactory, TagFactory
from tests.public_pages import ERRORS, PAGES, SEARCHES, SECOND_PAGES, World, select
from tests.reader import Page, card_urls, site_root

pytestmark = pytest.mark.django_db


def local(when):
    return timezone.localtime(when).date()


def archive_paths(day):
    return [f"/{day:%Y}/", f"/{day:%Y/%m}/", f"/{day:%Y/%m/%d}/"]


@pytest.fixture
def world(db):
    """Public articles with a draft, a scheduled one and one taken down among them,
    all sharing a category and a tag; the hidden ones also share a tag of their own."""
    now = timezone.now()
    category = CategoryFactory(name="An ninh trật tự")
    tag = TagFactory(name="Trật tự đô thị")
    secret_tag = TagFactory(name="Chuyên án bí mật")
    common = {"category": category}
    older = ArticleFactory(title="Tin công khai cũ", published_at=now - datetime.timedelta(hours=3), tags=[tag], **common)
    public = ArticleFactory(title="Tin công khai giữa", published_at=now - datetime.timedelta(hours=2), tags=[tag], **common)
    draft = ArticleFactory(
        title="Bản nháp chưa duyệt", status=Article.Status.DRAFT,
        published_at=now - datetime.timedelta(minutes=90), tags=[tag, secret_tag], **common,
    )
    newer = ArticleFactory(title="Tin công khai mới", published_at=now - datetime.timedelta(hours=1), tags=[tag], **common)
    scheduled = ArticleFactory(
        title="Tin hẹn giờ ngày kia", published_at=now + datetime.timedelta(days=2), tags=[tag, secret_tag], **common,
    )
    undated = ArticleFactory(
        title="Bản nháp chưa có ngày", status=Article.Status.DRAFT, published_at=None, tags=[tag, secret_tag], **common,
    )
    expired = ArticleFactory(
        title="Tin đã gỡ xuống", published_at=now - datetime.timedelta(minutes=150),
        expires_at=now - datetime.timedelta(minutes=10), tags=[tag, secret_tag], **common,
    )
    for article in (public, draft, scheduled, expired):
        PhotoFactory(article=article)
        CorrectionFactory(article=article)
    return {
        "category": category, "tag": tag, "secret_tag": secret_tag,
        "public": [older, public, newer], "hidden": [draft, scheduled, undated, expired],
        "draft": draft, "scheduled": scheduled, "undated": undated, "expired": expired, "middle": public,
    }


def assert_nothing_hidden(body, world, where):
    for article in world["hidden"]:
        assert article.title not in body, f"{article.title!r} on {where}"
        assert article.get_absolute_url() not in body, f"{article.get_absolute_url()} on {where}"
        assert f"/{article.slug}/" not in body, f"slug {article.slug} on {where}"


# Every shared listing, feed and sitemap (articles and archives are below), and the
# secret tag that only hidden articles share.
ONE_PER_KIND = {"article", "year", "month", "day"}
LISTINGS = {
    **{name: PAGES[name].url for name in select(without=[ONE_PER_KIND, SEARCHES, ERRORS, SECOND_PAGES])},
    "secret tag": lambda w: w.secret_tag.get_absolute_url(),
    "secret tag feed": lambda w: f"/tag/{w.secret_tag.slug}/rss/",
}


@dataclass
class HiddenWorld(World):
    secret_tag: object = None


def reader_world(world):
    return HiddenWorld(world["middle"], world["category"], world["tag"], world["secret_tag"])


def article_pages_and_archives(world):
    urls = [article.get_absolute_url() for article in world["public"]]
    for article in world["public"]:
        urls += archive_paths(article.local_date)
    return list(dict.fromkeys(urls))


def public_surfaces(world):
    return [url(reader_world(world)) for url in LISTINGS.values()] + article_pages_and_archives(world)


@pytest.mark.parametrize("surface", LISTINGS)
def test_hidden_articles_are_absent_from_every_listing_feed_and_sitemap(client, world, surface):
    url = LISTINGS[surface](reader_world(world))
    response = client.get(url)
    assert response.status_code == 200, url
    assert_nothing_hidden(response.content.decode(), world, url)


def test_hidden_articles_are_absent_from_public_article_pages_and_archives(client, world):
    for url in article_pages_and_archives(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_nothing_hidden(response.content.decode(), world, url)


def test_public_article_neighbours_and_related_skip_hidden_ones(client, world):
    older, middle, newer = world["public"]
    page = Page(client.get(middle.get_absolute_url()))
    assert page.anchor("prev")[0]["href"] == older.get_absolute_url()
    assert page.anchor("next")[0]["href"] == newer.get_absolute_url()  # not the draft between them
    assert card_urls(page.section("related", tag="section")) == [newer.get_absolute_url(), older.get_absolute_url()]
    newest = Page(client.get(newer.get_absolute_url()))
    assert newest.anchor("next") is None  # not the scheduled one


def test_hidden_articles_own_urls_are_404_for_readers_and_410_once_taken_down(client, world):
    for article in world["hidden"]:
        response = client.get(article.get_absolute_url())
        assert response.status_code == (410 if article is world["expired"] else 404), article.title
        assert article.title not in response.content.decode()
    for path in archive_paths(local(world["scheduled"].published_at))[2:]:
        # The day that has only a scheduled article has no archive yet.
        assert client.get(path).status_code == 404, path


def test_photos_of_hidden_articles_are_not_linked(client, world):
    hidden_photos = [photo.image.url for a in world["hidden"] for photo in a.photos.all() if photo.image]
    assert hidden_photos
    for url in public_surfaces(world):
        body = client.get(url).content.decode()
        for photo_url in hidden_photos:
            assert photo_url not in body, (photo_url, url)


def test_tag_index_counts_public_articles_only(client, world):
    page = Page(client.get("/tag/"))
    counts = dict(re.findall(r'<a href="(/tag/[^"]+/)">[^<]+</a> <span class="count">\((\d+)\)</span>', page.html))
    assert counts == {world["tag"].get_absolute_url(): "3"}  # and no entry for the secret tag


def test_archive_counts_are_of_public_articles_only(client, world):
    publics = world["public"]
    for article in publics:
        day = article.local_date
        year = Page(client.get(f"/{day:%Y}/"))
        months = dict(re.findall(r'<a href="(/\d{4}/\d{2}/)">Tháng \d+</a> <span class="count">\((\d+) bài\)</span>', year.html))
        expected_in_month = sum(1 for a in publics if (a.local_date.year, a.local_date.month) == (day.year, day.month))
        assert months[f"/{day:%Y/%m}/"] == str(expected_in_month)
        for path, same_period in [
            (f"/{day:%Y}/", lambda d: d.year == day.year),
            (f"/{day:%Y/%m}/", lambda d: (d.year, d.month) == (day.year, day.month)),
            (f"/{day:%Y/%m/%d}/", lambda d: d == day),
        ]:
            listed = card_urls(Page(client.get(path)).html)
            assert sorted(listed) == sorted(a.get_absolute_url() for a in publics if same_period(a.local_date)), path


def test_hidden_articles_count_nowhere_in_the_sitemaps(client, world):
    body = "".join(client.get(url).content.decode() for url in (
        "/sitemap-articles.xml", "/sitemap-news.xml", "/sitemap-tags.xml", "/sitemap-archives.xml",
    ))
    root = site_root()
    article_locs = re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap-articles.xml").content.decode())
    assert sorted(article_locs) == sorted(root + a.get_absolute_url() for a in world["public"])
    assert world["secret_tag"].get_absolute_url() not in body
    scheduled_day = archive_paths(local(world["scheduled"].published_at))[2]
    assert root + scheduled_day not in body
    for loc in re.findall(r"<loc>([^<]+)</loc>", body):
        assert client.get(urlsplit(loc).path).status_code == 200, loc
