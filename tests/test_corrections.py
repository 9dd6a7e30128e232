"""Corrections ("Đính chính") and substantive updates ("Cập nhật nội dung"): on the
article (a notice at the top, the texts at the end, "Cập nhật lúc" beside the
time), on /dinh-chinh/ and its feed, and in what search engines read (JSON-LD
dateModified, the sitemaps' lastmod). A typo fix moves none of them."""
import datetime
import json
import re
from xml.etree import ElementTree

import feedparser
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import queries
from articles.models import Article
from tests.factories import ArticleFactory, CorrectionFactory, TagFactory, hanoi
from tests.reader import Page, site_root

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PUBLISHED = hanoi(2026, 3, 1, 9, 0)
FIRST = hanoi(2026, 3, 2, 8, 15)
SECOND = hanoi(2026, 3, 5, 16, 40)
ESCAPED = "Tên đúng là <b>Nguyễn Văn A</b> & cộng sự."


def correct(article, at, text):
    """What the desk does: the correction, and the article's modified_at moved to it."""
    correction = CorrectionFactory(article=article, published_at=at, text=text)
    Article.objects.filter(pk=article.pk).update(modified_at=at)
    correction.save()  # the version bumps after the article row says so
    return correction


@pytest.fixture
def article(db):
    return ArticleFactory(
        title="Khởi tố vụ án lừa đảo qua mạng", published_at=PUBLISHED, tags=[TagFactory(name="Lừa đảo")],
    )


@pytest.fixture
def corrected(article):
    first = correct(article, FIRST, "Bài viết ghi nhầm số người bị hại là 12; số đúng là 21.")
    second = correct(article, SECOND, ESCAPED)
    return article, first, second


def json_ld(client, article):
    [block] = Page(client.get(article.get_absolute_url())).json_ld()
    return json.loads(block)


def date_modified(client, article):
    return datetime.datetime.fromisoformat(json_ld(client, article)["dateModified"])


# The article page ---------------------------------------------------------------

def test_the_article_shows_a_notice_at_the_top_and_its_corrections_at_the_end(client, corrected):
    article, first, second = corrected
    page = Page(client.get(article.get_absolute_url()))
    notice = page.section("correction-notice", tag="p")
    assert re.sub(r"<[^>]+>", "", notice) == "Bài viết đã được đính chính ngày 05/03/2026"
    assert '<a href="#dinh-chinh">' in notice
    html = page.html
    assert html.index("correction-notice") < html.index('class="sapo"') < html.index('class="story-body"')
    section = re.search(r'<section class="corrections" id="dinh-chinh".*?</section>', html, re.S).group(0)
    assert html.index('class="story-body"') < html.index('id="dinh-chinh"')
    entries = re.findall(r'<div class="correction" id="dinh-chinh-(\d+)"><p class="correction-time">'
                         r'<time datetime="([^"]+)">([^<]+)</time></p><p>(.*?)</p></div>', section, re.S)
    assert entries == [
        (str(first.pk), "2026-03-02T08:15:00+07:00", "08:15 02/03/2026",
         "Bài viết ghi nhầm số người bị hại là 12; số đúng là 21."),
        (str(second.pk), "2026-03-05T16:40:00+07:00", "16:40 05/03/2026",
         "Tên đúng là &lt;b&gt;Nguyễn Văn A&lt;/b&gt; &amp; cộng sự."),
    ]
    assert "<b>Nguyễn" not in html


def test_an_article_without_corrections_has_neither_notice_nor_section(client, article):
    html = Page(client.get(article.get_absolute_url())).html
    assert "correction-notice" not in html and 'id="dinh-chinh"' not in html and "Cập nhật lúc" not in html


def test_a_correction_reaches_a_page_already_cached(client, article, settings):
    settings.ANTD = {**settings.ANTD, "PAGE_CACHE_SECONDS": 600}
    assert 'id="dinh-chinh"' not in client.get(article.get_absolute_url()).content.decode()
    assert "Chưa có đính chính nào" in client.get("/dinh-chinh/").content.decode()
    correct(article, FIRST, "Sửa lại tên phường cho đúng.")
    assert "Sửa lại tên phường cho đúng." in client.get(article.get_absolute_url()).content.decode()
    assert "Sửa lại tên phường cho đúng." in client.get("/dinh-chinh/").content.decode()


def test_corrections_are_read_with_the_article_not_by_a_query_of_their_own(corrected):
    article = corrected[0]
    with CaptureQueriesContext(connection) as captured:
        story, body = queries.full_story(article.pk)  # each test's cache starts empty: this reads
    assert [at for _, at, _ in body.corrections] == [FIRST, SECOND]
    statements = [q["sql"] for q in captured.captured_queries]
    assert statements and not [sql for sql in statements if sql.startswith('SELECT "articles_correction"')]
    assert any("articles_correction" in sql for sql in statements if sql.startswith('SELECT "articles_article"'))


# dateModified, "Cập nhật lúc", lastmod ---------------------------------------------

def test_a_correction_moves_date_modified_and_the_update_time(client, corrected):
    article = corrected[0]
    assert date_modified(client, article) == SECOND
    page = Page(client.get(article.get_absolute_url()))
    assert page.meta("article:modified_time") == "2026-03-05T16:40:00+07:00"
    updated = page.section("updated", tag="span")
    assert re.sub(r"<[^>]+>", "", updated) == "· Cập nhật lúc 16:40 05/03/2026"
    assert '<time datetime="2026-03-05T16:40:00+07:00">' in updated


def test_a_substantive_update_moves_date_modified_but_a_typo_fix_does_not(client, article):
    assert date_modified(client, article) == PUBLISHED
    article.title = "Khởi tố vụ án lừa đảo qua mạng xã hội"  # a typo fix: saved, nothing announced
    article.save()
    article.refresh_from_db()
    assert article.updated_at > PUBLISHED
    assert date_modified(client, article) == PUBLISHED
    assert "Cập nhật lúc" not in client.get(article.get_absolute_url()).content.decode()

    update = hanoi(2026, 3, 3, 7, 5)
    article.modified_at = update  # "Cập nhật nội dung"
    article.save()
    assert date_modified(client, article) == update
    updated = Page(client.get(article.get_absolute_url())).section("updated", tag="span")
    assert re.sub(r"<[^>]+>", "", updated) == "· Cập nhật lúc 07:05 03/03/2026"


def lastmods(client, url):
    root = ElementTree.fromstring(client.get(url).content)
    return {loc.text: last.text for loc, last in (
        (node.find(f"{SM}loc"), node.find(f"{SM}lastmod")) for node in root if node.find(f"{SM}lastmod") is not None
    )}


def test_the_sitemaps_lastmod_follow_corrections_not_saves(client, article):
    other = ArticleFactory(published_at=hanoi(2026, 2, 27, 9))
    url = site_root() + article.get_absolute_url()
    assert lastmods(client, "/sitemap-articles.xml")[url] == "2026-03-01"
    other.save()  # any save, today: no change a reader is told of
    assert lastmods(client, "/sitemap-articles.xml")[url] == "2026-03-01"
    assert lastmods(client, "/sitemap.xml")[site_root() + "/sitemap-articles.xml"].startswith("2026-03-01")

    correct(article, SECOND, "Sửa số liệu.")
    assert lastmods(client, "/sitemap-articles.xml")[url] == "2026-03-05"
    assert lastmods(client, "/sitemap.xml")[site_root() + "/sitemap-articles.xml"].startswith("2026-03-05")
    category = site_root() + article.category.get_absolute_url()
    assert lastmods(client, "/sitemap-categories.xml")[category] == "2026-03-05"


# /dinh-chinh/ and its feed ----------------------------------------------------------

def correction_entries(html):
    return re.findall(r'<h2 class="correction-title"><a href="([^"]+)">([^<]+)</a></h2>\s*'
                      r'<p class="correction-time">Đính chính lúc <time datetime="[^"]+">([^<]+)</time></p>', html)


def test_the_corrections_page_lists_public_articles_corrections_newest_first(client, corrected):
    article, first, second = corrected
    draft = ArticleFactory(title="Bản nháp có đính chính", status=Article.Status.DRAFT, published_at=PUBLISHED)
    CorrectionFactory(article=draft, published_at=hanoi(2026, 3, 6, 9))
    scheduled = ArticleFactory(title="Tin hẹn giờ có đính chính", published_at=hanoi(2099, 1, 1, 9))
    CorrectionFactory(article=scheduled, published_at=hanoi(2026, 3, 6, 9))
    page = Page(client.get("/dinh-chinh/"))
    assert page.titles == ["Đính chính – An Ninh Thủ Đô"]
    url = article.get_absolute_url()
    assert correction_entries(page.html) == [
        (f"{url}#dinh-chinh-{second.pk}", article.title, "16:40 05/03/2026"),
        (f"{url}#dinh-chinh-{first.pk}", article.title, "08:15 02/03/2026"),
    ]
    assert "Tên đúng là &lt;b&gt;Nguyễn Văn A&lt;/b&gt; &amp; cộng sự." in page.html
    for hidden in (draft, scheduled):
        assert hidden.title not in page.html and hidden.slug not in page.html
    assert [link["href"] for link in page.links("alternate") if "dinh-chinh" in link["href"]] == ["/dinh-chinh/rss/"]
    assert page.breadcrumbs() == [("Trang chủ", "/"), ("Đính chính", None)]


def test_the_corrections_page_is_paged_like_other_listings(client, article):
    per_page = settings.ANTD["ARTICLES_PER_PAGE"]
    for n in range(per_page + 1):
        at = FIRST + datetime.timedelta(minutes=n)
        CorrectionFactory(article=article, published_at=at, text=f"Đính chính số {n}.")
    first = Page(client.get("/dinh-chinh/"))
    assert len(correction_entries(first.html)) == per_page
    assert first.anchor("next")[0]["href"] == "?page=2"
    second = Page(client.get("/dinh-chinh/?page=2"))
    assert len(correction_entries(second.html)) == 1 and "Đính chính số 0." in second.html
    assert client.get("/dinh-chinh/?page=3").status_code == 404
    assert client.get("/dinh-chinh/?page=x").status_code == 404


def test_the_corrections_feed(client, corrected):
    article, first, second = corrected
    draft = ArticleFactory(title="Bản nháp có đính chính", status=Article.Status.DRAFT, published_at=PUBLISHED)
    CorrectionFactory(article=draft)
    response = client.get("/dinh-chinh/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "An Ninh Thủ Đô – Đính chính"
    assert feed.feed.link == site_root() + "/dinh-chinh/"
    assert feed.feed.language == "vi"
    url = site_root() + article.get_absolute_url()
    assert [(e.title, e.link) for e in feed.entries] == [
        (f"Đính chính: {article.title}", f"{url}#dinh-chinh-{second.pk}"),
        (f"Đính chính: {article.title}", f"{url}#dinh-chinh-{first.pk}"),
    ]
    assert feed.entries[0].summary == ESCAPED.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert datetime.datetime(*feed.entries[0].published_parsed[:6], tzinfo=datetime.timezone.utc) == SECOND
    assert draft.title not in response.content.decode()
