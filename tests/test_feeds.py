"""RSS 2.0 feeds: the whole site, each category and each tag, read with feedparser."""
import calendar
import datetime

import feedparser
import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, PhotoFactory, TagFactory, hanoi
from tests.reader import Page, site_root

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(db):
    """A category and a tag with three public articles (two with photos), a draft,
    a scheduled article, and one public article elsewhere."""
    category = CategoryFactory(name="Pháp luật", description="Tin pháp luật, xét xử.")
    tag = TagFactory(name="Ma túy")
    other_tag = TagFactory(name="Xét xử")
    common = {"category": category, "tags": [tag, other_tag]}
    newest = ArticleFactory(
        title="Triệt phá đường dây ma túy lớn", lead="Công an Hà Nội vừa triệt phá “đường dây” ma túy xuyên tỉnh.",
        published_at=hanoi(2021, 3, 4, 23, 45, 17), author="NGUYỄN HÙNG", **common,
    )
    middle = ArticleFactory(
        title="Xét xử vụ án ma túy", lead="Tòa án nhân dân TP Hà Nội mở phiên xét xử sơ thẩm.",
        published_at=hanoi(2021, 3, 4, 6, 5), **common,
    )
    oldest = ArticleFactory(
        title="Tuyên truyền phòng chống ma túy", lead="Nhiều hoạt động tuyên truyền trong học đường.",
        published_at=hanoi(2020, 12, 31, 0, 15), author="", **common,
    )
    photos = {
        newest.pk: PhotoFactory(article=newest, position=2),
        oldest.pk: PhotoFactory(article=oldest, position=0),
    }
    PhotoFactory(article=newest, position=0, image=None, caption="Ảnh lưu trữ đã mất tệp")  # no file: not the lead photo
    ArticleFactory(title="Bản nháp ma túy", status=Article.Status.DRAFT, published_at=hanoi(2021, 3, 5, 8), **common)
    ArticleFactory(title="Tin hẹn giờ ma túy", published_at=timezone.now() + datetime.timedelta(days=1), **common)
    elsewhere = ArticleFactory(title="Tin chuyên mục khác", published_at=hanoi(2021, 1, 1, 8))
    return {
        "category": category, "tag": tag, "articles": [newest, middle, oldest],
        "photos": photos, "elsewhere": elsewhere,
    }


FEEDS = {
    "site": lambda w: ("/rss/", "/"),
    "category": lambda w: (f"/chuyen-muc/{w['category'].slug}/rss/", w["category"].get_absolute_url()),
    "tag": lambda w: (f"/tag/{w['tag'].slug}/rss/", w["tag"].get_absolute_url()),
}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    return feed


def expected_articles(kind, world):
    articles = list(world["articles"])
    if kind == "site":
        articles.append(world["elsewhere"])
        articles.sort(key=lambda a: a.published_at, reverse=True)
    return articles


@pytest.mark.parametrize("kind", FEEDS)
def test_feed_is_valid_rss_listing_public_articles_newest_first(client, newsroom, kind):
    feed_url, page_url = FEEDS[kind](newsroom)
    feed = parse(client, feed_url)
    articles = expected_articles(kind, newsroom)
    root = site_root()
    assert [entry.title for entry in feed.entries] == [a.title for a in articles]
    assert [entry.link for entry in feed.entries] == [root + a.get_absolute_url() for a in articles]
    assert feed.feed.link == root + page_url
    assert feed.feed.language == "vi"
    assert feed.feed.title.startswith("An Ninh Thủ Đô – ")


@pytest.mark.parametrize("kind", FEEDS)
def test_feed_entries_carry_the_sapo_the_exact_time_and_the_lead_photo(client, newsroom, kind):
    feed_url, _ = FEEDS[kind](newsroom)
    feed = parse(client, feed_url)
    root = site_root()
    for entry, article in zip(feed.entries, expected_articles(kind, newsroom), strict=True):
        article.refresh_from_db()
        assert entry.summary == article.lead
        published = datetime.datetime.fromtimestamp(calendar.timegm(entry.published_parsed), datetime.timezone.utc)
        assert published == article.published_at.astimezone(datetime.timezone.utc).replace(microsecond=0)
        photo = newsroom["photos"].get(article.pk)
        if photo is None:
            assert entry.enclosures == [], article.title
        else:
            [enclosure] = entry.enclosures
            assert enclosure.href == root + photo.image.url
            assert enclosure.href.startswith("http://") or enclosure.href.startswith("https://")
            assert enclosure.type == "image/jpeg"
            assert int(enclosure.length) == photo.image.size == len(photo.image.storage.open(photo.image.name).read())


def test_feed_times_are_the_articles_own(client, newsroom):
    """23:45:17 in Hanoi on 4 March is 16:45:17 UTC the same day."""
    entry = parse(client, "/rss/").entries[0]
    assert entry.published_parsed[:6] == (2021, 3, 4, 16, 45, 17)


def test_feed_entries_name_their_category_tags_and_author(client, newsroom):
    entry = parse(client, "/rss/").entries[0]
    assert {tag.term for tag in entry.tags} == {"Pháp luật", "Ma túy", "Xét xử"}
    assert entry.author == "Nguyễn Hùng"  # from the author records, written the Vietnamese way


def test_feed_stops_at_fifty_items(client):
    category = CategoryFactory()
    for n in range(53):
        ArticleFactory(category=category, published_at=hanoi(2020, 1, 1, 8) + datetime.timedelta(minutes=n))
    assert len(parse(client, "/rss/").entries) == 50
    assert len(parse(client, f"/chuyen-muc/{category.slug}/rss/").entries) == 50


@pytest.mark.parametrize("kind", FEEDS)
def test_each_feed_is_advertised_on_its_page(client, newsroom, kind):
    feed_url, page_url = FEEDS[kind](newsroom)
    page = Page(client.get(page_url))
    alternates = [link for link in page.links("alternate") if link.get("type") == "application/rss+xml"]
    assert feed_url in [link["href"] for link in alternates]
    advertised = next(link for link in alternates if link["href"] == feed_url)
    assert advertised.get("title")
    assert parse(client, advertised["href"]).feed.title == advertised["title"]


@pytest.mark.parametrize("url", ["/chuyen-muc/khong-co-muc-nay/rss/", "/tag/khong-co-the-nay/rss/"])
def test_feed_of_an_unknown_slug_is_404(client, newsroom, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_empty_feeds_are_still_valid(client):
    category = CategoryFactory(name="Mục mới")
    tag = TagFactory(name="Thẻ mới")
    ArticleFactory(category=category, tags=[tag], status=Article.Status.DRAFT)
    for url in ("/rss/", "/chuyen-muc/muc-moi/rss/", "/tag/the-moi/rss/"):
        assert parse(client, url).entries == []


def test_a_photo_file_missing_from_storage_does_not_break_the_feeds(client):
    """The article page still renders when a photo's file is gone (a partial restore,
    a manual clean-up); the feeds must too, rather than answer 500 for every entry."""
    category, tag = CategoryFactory(name="Lưu trữ"), TagFactory(name="Ảnh mất")
    article = ArticleFactory(title="Bài có ảnh mất tệp", category=category, tags=[tag])
    photo = PhotoFactory(article=article)
    photo.image.storage.delete(photo.image.name)
    assert client.get(article.get_absolute_url()).status_code == 200
    for url in ("/rss/", "/chuyen-muc/luu-tru/rss/", "/tag/anh-mat/rss/"):
        [entry] = parse(client, url).entries
        assert entry.title == "Bài có ảnh mất tệp"
        assert entry.summary == article.lead
