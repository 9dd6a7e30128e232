""""Dòng sự kiện": an event thread's page, feed and sitemap entry show its public
articles only, and its slug follows the site's one slug rule."""
import datetime
import re

import feedparser
import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.utils import timezone

from articles import caching
from articles.admin.threads import EventThreadAdmin
from articles.models import Article, EventThread
from articles.photos import images
from tests import imagefiles as f
from tests.conftest import media_files
from tests.factories import ArticleFactory, PhotoFactory, hanoi
from tests.reader import Page, site_root
from tests.test_admin import login

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


# Its cover ----------------------------------------------------------------------


def change_thread(client, thread, **fields):
    data = {
        "title": thread.title, "introduction": thread.introduction, "featured": "on",
        "articles": [str(pk) for pk in thread.articles.values_list("pk", flat=True)], **fields,
    }
    return client.post(f"/admin/articles/eventthread/{thread.pk}/change/", data)


def test_an_editor_gives_a_thread_a_cover_shown_on_its_page_and_the_front_page(
    client, editor, thread, media_root, django_capture_on_commit_callbacks
):
    login(client, editor)
    upload = f.upload(f.png_with_html(1200, 600), "Ảnh bìa vụ cháy.png", "image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = change_thread(client, thread, cover=upload)
    assert response.status_code == 302, response.content.decode()[:3000]
    thread.refresh_from_db()
    assert re.fullmatch(r"threads/anh-bia-vu-chay-[0-9a-f]{8}\.png", thread.cover.name)
    assert (thread.cover_width, thread.cover_height) == (1200, 600)
    stored = default_storage.open(thread.cover.name).read()
    assert f.HTML_PAYLOAD not in stored  # written again from its pixels
    assert [w for w, _, _ in thread.cover_renditions["jpeg"]] == [320, 640, 960, 1200]
    assert media_files(media_root) == sorted([thread.cover.name, *images.rendition_names(thread.cover_renditions)])

    reader = Client()
    page = Page(reader.get(thread.get_absolute_url()))
    cover = page.section("thread-cover")
    assert thread.url_for_width(640) in cover and 'width="1200"' in cover and 'loading="lazy"' not in cover
    assert page.meta("og:image") == site_root() + thread.cover.url
    # Featured: its own cover on the front page, not its newest article's photo.
    box = Page(reader.get("/")).section("featured-threads", tag="section")
    assert thread.url_for_width(640) in box and "Khởi tố chủ chung cư mini" in box


def test_a_thread_without_a_cover_shows_its_newest_articles_photo_on_the_front_page(client, thread, media_root):
    newer = thread.articles.get(title="Khởi tố chủ chung cư mini")
    photo = PhotoFactory(article=newer)
    EventThread.objects.filter(pk=thread.pk).update(featured=True)
    caching_changed()
    box = Page(client.get("/")).section("featured-threads", tag="section")
    assert photo.url_for_width(640) in box
    assert "thread-cover" not in client.get(thread.get_absolute_url()).content.decode()


def test_a_cover_that_is_not_an_image_is_refused_and_a_failed_save_leaves_no_file(
    client, editor, thread, media_root, monkeypatch
):
    login(client, editor)
    response = change_thread(client, thread, cover=f.upload(f.html(), "bia.jpg"))
    assert response.status_code == 200
    assert "Tệp không phải ảnh JPEG, PNG, WebP hoặc GIF." in response.content.decode()
    assert media_files(media_root) == []

    def fails(*args, **kwargs):
        raise RuntimeError("the database went away after the cover was written")

    monkeypatch.setattr(EventThreadAdmin, "log_change", fails)  # after the save, inside its transaction
    with pytest.raises(RuntimeError):
        change_thread(client, thread, cover=f.upload(f.jpeg(800, 400), "bia.jpg"))
    assert media_files(media_root) == []
    assert not EventThread.objects.get(pk=thread.pk).cover


def test_deleting_a_thread_removes_its_cover_after_commit(
    client, editor, thread, media_root, django_capture_on_commit_callbacks
):
    login(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        change_thread(client, thread, cover=f.upload(f.jpeg(800, 400), "bia.jpg"))
    assert len(media_files(media_root)) == 1 + 3 * len(images.FORMATS)  # 320, 640 and 800 wide
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/articles/eventthread/{thread.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert media_files(media_root) == []
    assert Article.objects.filter(title="Khởi tố chủ chung cư mini").exists()  # its articles stay


def caching_changed():
    with transaction.atomic():
        caching.changed()
