"""Sitemaps and robots.txt, read with xml.etree.ElementTree."""
import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles import queries
from articles.sitemaps import ArticleSitemap
from tests.factories import ArticleFactory, CategoryFactory, TagFactory, hanoi
from tests.reader import site_root

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS = "{%s}" % NEWS_NS
SECTIONS = ("articles", "news", "categories", "tags", "authors", "archives", "threads")


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locs(root):
    return [el.text for el in root.iter(f"{SM}loc")]


def test_sitemap_index_names_every_section(client):
    ArticleFactory()
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{SM}sitemapindex"
    assert sorted(locs(root)) == sorted(f"{site_root()}/sitemap-{section}.xml" for section in SECTIONS)
    for loc in locs(root):
        assert xml(client, loc.removeprefix(site_root())).tag == f"{SM}urlset"


def test_robots_txt_names_the_sitemap_index(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {site_root()}/sitemap.xml" in lines
    assert lines[0] == "User-agent: *"


def test_article_sitemap_lists_public_articles_only(client):
    public = [ArticleFactory(published_at=hanoi(2019, 1, n + 1, 9)) for n in range(3)]
    Article.objects.filter(pk=public[0].pk).update(modified_at=hanoi(2019, 3, 5, 9))  # "Cập nhật nội dung"
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=hanoi(2019, 2, 1, 9))
    undated = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=1))
    root = xml(client, "/sitemap-articles.xml")
    assert root.tag == f"{SM}urlset"
    assert locs(root) == [site_root() + a.get_absolute_url() for a in reversed(public)]
    for hidden in (draft, undated, scheduled):
        assert hidden.get_absolute_url() not in str(locs(root))
    # What readers are told changed: a substantive update, else the publication;
    # never updated_at, which every save (today's) moves.
    lastmods = [url.find(f"{SM}lastmod").text for url in root.iter(f"{SM}url")]
    assert lastmods == ["2019-01-03", "2019-01-02", "2019-03-05"]
    for loc in locs(root):
        assert client.get(loc.removeprefix(site_root())).status_code == 200


def test_article_sitemap_is_split_into_pages(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = [ArticleFactory(published_at=hanoi(2019, 1, n + 1, 9)) for n in range(5)]
    base = f"{site_root()}/sitemap-articles.xml"
    index = locs(xml(client, "/sitemap.xml"))
    assert [loc for loc in index if loc.startswith(base)] == [base, f"{base}?p=2", f"{base}?p=3"]
    pages = [locs(xml(client, f"/sitemap-articles.xml?p={p}")) for p in (1, 2, 3)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert sum(pages, []) == [site_root() + a.get_absolute_url() for a in reversed(articles)]
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    assert client.get("/sitemap-articles.xml?p=abc").status_code == 404


def test_an_article_sitemap_file_reads_its_ids_from_the_index_first(client, monkeypatch):
    """A file's rows are read by id: its window of ids (from article_public_by_date,
    the offset skipped inside the index) is a subquery, so a deep file never reads
    whole the rows before it, which at a million articles ran past the statement timeout."""
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for n in range(5):
        ArticleFactory(published_at=hanoi(2019, 1, n + 1, 9))
    with CaptureQueriesContext(connection) as statements:
        xml(client, "/sitemap-articles.xml?p=2")
    [page] = [q["sql"] for q in statements.captured_queries if '"articles_article"."slug"' in q["sql"]]
    outer, inner = page.split(" IN (SELECT ", 1)
    assert "LIMIT 2 OFFSET 2" in inner and "OFFSET" not in outer
    window = ArticleSitemap().items().values("pk")[2:4]  # the subquery, as the paginator builds it
    with connection.cursor() as cursor:
        # Five rows: with every way to read them but an index in their order off, the
        # planner shows the index the window can use (an analysed table could otherwise
        # read another partial index of the rule and sort its five rows).
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off")
        sql, params = window.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using article_public_by_date" in plan, plan


def test_unknown_sitemap_section_is_404(client):
    assert client.get("/sitemap-khong-co.xml").status_code == 404


def test_news_sitemap_lists_only_the_last_48_hours(client):
    now = timezone.now()
    fresh = ArticleFactory(title="Tin nóng <trong> ngày & đêm", published_at=now - datetime.timedelta(hours=1))
    yesterday = ArticleFactory(title="Tin hôm qua", published_at=now - datetime.timedelta(hours=47))
    ArticleFactory(title="Tin ba ngày trước", published_at=now - datetime.timedelta(hours=49))
    ArticleFactory(title="Bản nháp mới", status=Article.Status.DRAFT, published_at=now - datetime.timedelta(hours=2))
    ArticleFactory(title="Tin hẹn giờ", published_at=now + datetime.timedelta(hours=2))

    response = client.get("/sitemap-news.xml")
    assert f'xmlns:news="{NEWS_NS}"'.encode() in response.content
    root = xml(client, "/sitemap-news.xml")
    assert root.tag == f"{SM}urlset"
    urls = root.findall(f"{SM}url")
    assert [url.find(f"{SM}loc").text for url in urls] == [
        site_root() + a.get_absolute_url() for a in (fresh, yesterday)
    ]
    for url, article in zip(urls, (fresh, yesterday)):
        news = url.find(f"{NEWS}news")
        assert news.find(f"{NEWS}publication/{NEWS}name").text == "An Ninh Thủ Đô"
        assert news.find(f"{NEWS}publication/{NEWS}language").text == "vi"
        assert news.find(f"{NEWS}title").text == article.title
        published = datetime.datetime.fromisoformat(news.find(f"{NEWS}publication_date").text)
        assert published.utcoffset() is not None
        assert published.replace(microsecond=0) == article.published_at.replace(microsecond=0)  # W3C datetime


def test_archive_sitemap_lists_every_year_month_and_day_with_public_articles(client):
    ArticleFactory(published_at=hanoi(2017, 2, 15, 17, 30))
    ArticleFactory(published_at=hanoi(2017, 2, 16, 0, 30))  # the 15th in UTC
    ArticleFactory(published_at=hanoi(2017, 2, 16, 8, 0))
    ArticleFactory(published_at=hanoi(2019, 1, 1, 5, 0))  # 31/12/2018 in UTC
    ArticleFactory(published_at=hanoi(2018, 7, 7, 9), status=Article.Status.DRAFT)
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=400))
    paths = [loc.removeprefix(site_root()) for loc in locs(xml(client, "/sitemap-archives.xml"))]
    assert sorted(paths) == sorted([
        "/2017/", "/2019/",
        "/2017/02/", "/2019/01/",
        "/2017/02/15/", "/2017/02/16/", "/2019/01/01/",
    ])
    assert len(paths) == len(set(paths))
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_tag_sitemap_lists_tags_with_public_articles(client):
    used, also_used = TagFactory(name="Cảnh sát cơ động"), TagFactory(name="Ánh sáng")
    draft_only, scheduled_only = TagFactory(name="Chỉ có nháp"), TagFactory(name="Chỉ hẹn giờ")
    TagFactory(name="Chưa dùng")
    ArticleFactory(tags=[used, also_used])
    ArticleFactory(tags=[used])
    ArticleFactory(tags=[draft_only, used], status=Article.Status.DRAFT)
    ArticleFactory(tags=[scheduled_only], published_at=timezone.now() + datetime.timedelta(days=1))
    paths = [loc.removeprefix(site_root()) for loc in locs(xml(client, "/sitemap-tags.xml"))]
    assert sorted(paths) == sorted([used.get_absolute_url(), also_used.get_absolute_url()])
    for path in paths:
        assert client.get(path).status_code == 200


def test_category_sitemap_lists_the_categories(client):
    first = CategoryFactory(name="Thời sự", position=1)
    second = CategoryFactory(name="Đời sống", position=2)
    ArticleFactory(category=first)
    ArticleFactory(category=second)
    paths = [loc.removeprefix(site_root()) for loc in locs(xml(client, "/sitemap-categories.xml"))]
    assert paths == [first.get_absolute_url(), second.get_absolute_url()]
    for path in paths:
        assert client.get(path).status_code == 200


def test_category_lastmod_is_the_last_change_readers_can_see(client):
    """Editing a draft changes nothing on the public category page, so it must not
    move the category's lastmod (nor reveal when the newsroom is working on it)."""
    category = CategoryFactory(name="Điều tra")
    public = ArticleFactory(category=category, published_at=hanoi(2019, 5, 20, 9))
    draft = ArticleFactory(category=category, status=Article.Status.DRAFT, published_at=hanoi(2019, 5, 21, 9))
    scheduled = ArticleFactory(category=category, published_at=timezone.now() + datetime.timedelta(days=2))
    Article.objects.filter(pk=public.pk).update(updated_at=hanoi(2019, 5, 20, 10))
    Article.objects.filter(pk__in=[draft.pk, scheduled.pk]).update(updated_at=timezone.now())
    [url] = xml(client, "/sitemap-categories.xml").findall(f"{SM}url")
    assert url.find(f"{SM}loc").text == site_root() + category.get_absolute_url()
    assert url.find(f"{SM}lastmod").text == "2019-05-20"


def test_publication_days_are_the_hanoi_days_with_public_articles():
    for when in (
        hanoi(2017, 2, 15, 0, 0),  # Hanoi midnight: still 14/02 in UTC
        hanoi(2017, 2, 14, 23, 59),
        hanoi(2017, 2, 14, 6, 0),
        hanoi(2016, 12, 31, 23, 30),
        hanoi(2009, 7, 1, 12, 0),
    ):
        ArticleFactory(published_at=when)
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=3))  # scheduled

    days = list(queries.publication_days())

    assert days == [
        datetime.date(2017, 2, 15), datetime.date(2017, 2, 14), datetime.date(2016, 12, 31), datetime.date(2009, 7, 1),
    ]
    assert sorted(days) == list(Article.objects.published().dates("published_at", "day"))


def test_archive_sitemap_lists_each_year_month_and_day_once(client):
    ArticleFactory(published_at=hanoi(2017, 2, 15, 0, 0))
    ArticleFactory(published_at=hanoi(2017, 2, 14, 23, 59))
    ArticleFactory(published_at=hanoi(2016, 12, 31, 23, 30))

    paths = [loc.removeprefix(site_root()) for loc in locs(xml(client, "/sitemap-archives.xml"))]

    assert paths == ["/2016/", "/2017/", "/2016/12/", "/2017/02/", "/2016/12/31/", "/2017/02/14/", "/2017/02/15/"]
