""""Dòng sự kiện": an event thread's page, feed and sitemap entry show its public
articles only, and its slug follows the site's one slug rule."""
import datetime

import feedparser
import pytest
from django.utils import timezone

from articles.models import Article, EventThread
from tests.factories import ArticleFactory, hanoi

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    now = timezone.now()
    thread = EventThread.objects.create(title="Vụ cháy chung cư mini", introduction="Diễn biến vụ cháy ở Khương Hạ.")
    older = ArticleFactory(title="Cháy lớn ở Khương Hạ", published_at=hanoi(2023, 9, 12, 23, 30))
    newer = ArticleFactory(title="Khởi tố chủ chung cư mini", published_at=hanoi(2023, 9, 15, 8))
    draft = ArticleFactory(title="Bản nháp về vụ cháy", status=Article.Status.DRAFT, published_at=None)
    gone = ArticleFactory(
        title="Tin đã gỡ về vụ cháy", published_at=now - datetime.timedelta(days=2),
        expires_at=now - datetime.timedelta(hours=1),
    )
    thread.articles.add(older, newer, draft, gone)
    ArticleFactory(title="Tin ngoài dòng sự kiện")
    return thread


def test_slug_is_made_from_a_vietnamese_title(thread):
    assert thread.slug == "vu-chay-chung-cu-mini"
    assert thread.get_absolute_url() == "/dong-su-kien/vu-chay-chung-cu-mini/"


def test_page_lists_public_members_only_newest_first(client, thread):
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vụ cháy chung cư mini" in html and "Diễn biến vụ cháy ở Khương Hạ." in html
    assert html.index("Khởi tố chủ chung cư mini") < html.index("Cháy lớn ở Khương Hạ")
    for hidden in ("Bản nháp về vụ cháy", "Tin đã gỡ về vụ cháy", "Tin ngoài dòng sự kiện"):
        assert hidden not in html


def test_unknown_thread_is_404(client, thread):
    assert client.get("/dong-su-kien/khong-co/").status_code == 404
    assert client.get("/dong-su-kien/khong-co/rss/").status_code == 404


def test_feed_lists_public_members_only(client, thread):
    response = client.get(f"/dong-su-kien/{thread.slug}/rss/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert "Vụ cháy chung cư mini" in feed.feed.title
    assert [entry.title for entry in feed.entries] == ["Khởi tố chủ chung cư mini", "Cháy lớn ở Khương Hạ"]


def test_sitemap_lists_threads_with_public_articles(client, thread):
    EventThread.objects.create(title="Dòng sự kiện trống")
    xml = client.get("/sitemap-threads.xml").content.decode()
    assert "/dong-su-kien/vu-chay-chung-cu-mini/" in xml
    assert "/dong-su-kien/dong-su-kien-trong/" not in xml
    assert "/sitemap-threads.xml" in client.get("/sitemap.xml").content.decode()


def test_adding_an_article_changes_the_cached_page(client, thread):
    url = thread.get_absolute_url()
    assert "Tin ngoài dòng sự kiện" not in client.get(url).content.decode()
    thread.articles.add(Article.objects.get(title="Tin ngoài dòng sự kiện"))
    assert "Tin ngoài dòng sự kiện" in client.get(url).content.decode()


def test_member_article_shows_its_thread_and_newest_other_public_articles(client, thread):
    for n in range(3):
        thread.articles.add(ArticleFactory(title=f"Diễn biến mới số {n}", published_at=hanoi(2023, 9, 20 + n, 9)))
    older = Article.objects.get(title="Cháy lớn ở Khương Hạ")
    html = client.get(older.get_absolute_url()).content.decode()
    box = html[html.index("Dòng sự kiện: "):]
    box = box[:box.index("</section>")]
    assert 'href="/dong-su-kien/vu-chay-chung-cu-mini/"' in box
    assert [title for title in ("Diễn biến mới số 2", "Diễn biến mới số 1", "Diễn biến mới số 0") if title in box] == [
        "Diễn biến mới số 2", "Diễn biến mới số 1", "Diễn biến mới số 0"]
    assert box.index("Diễn biến mới số 2") < box.index("Diễn biến mới số 0")
    for absent in ("Cháy lớn ở Khương Hạ", "Khởi tố chủ chung cư mini", "Bản nháp về vụ cháy", "Tin đã gỡ về vụ cháy"):
        assert absent not in box  # itself, a fourth one, and those readers cannot see
