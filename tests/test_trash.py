"""The trash ("Thùng rác"): deleting an article in the admin moves it there, off
every public surface at once, its address answering 410 with the site's page;
it comes back whole from the trash's admin; purge_trash deletes it for good,
with every file it named, after TRASH_DAYS days. Each step is in the audit log.

Revisions are recorded by deferred triggers at commit; tests run in one
transaction, so they call revisions.record_pending() before counting them."""
import datetime
import io
import re

import pytest
from django.contrib.redirects.models import Redirect
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from articles.models import HANOI, Article, AuditEntry, Photo, Revision, Tagging
from articles.newsroom import revisions, trash
from articles.photos import images
from tests import imagefiles as f
from tests.conftest import media_files
from tests.factories import ArticleFactory, CategoryFactory, PhotoFactory, TagFactory
from tests.public_pages import ERRORS, PAGES, SECOND_PAGES, World, select
from tests.test_admin import LIST_URL, login

pytestmark = pytest.mark.django_db

TRASH_URL = "/admin/articles/trashedarticle/"
AUDIT_URL = "/admin/articles/auditentry/"
GONE_HEADING = "Bài viết này đã bị gỡ"
DAY_AND_TIME = re.compile(r"\b\d{2}/\d{2}/\d{4} \d{2}:\d{2}\b")
# Pages that list or count articles: the trashed one is on each of them before.
LISTING_ARTICLES = {
    "home", "category", "tag", "year", "month", "day", "search", "site feed", "category feed", "tag feed",
    "articles sitemap", "news sitemap",
}


@pytest.fixture
def make_photo(django_capture_on_commit_callbacks):
    """A photo saved and committed: its renditions made as in production."""

    def make(article, data=None, name="anh.jpg", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            photo = PhotoFactory(article=article, image=ContentFile(data or f.jpeg(800, 600), name=name), **fields)
        photo.refresh_from_db()
        return photo

    return make


@pytest.fixture
def world(db, make_photo):
    """Two public articles sharing a category and a tag; the newer one, with a
    photo, is the one deleted. The older one keeps every page there."""
    category = CategoryFactory(name="An ninh trật tự")
    tag = TagFactory(name="Trật tự đô thị")
    # Both on one Hanoi day within the last 48 hours (the news sitemap's), whatever the hour.
    noon = timezone.localtime(timezone.now(), HANOI).replace(hour=12, minute=0, second=0, microsecond=0)
    noon -= datetime.timedelta(days=1) if noon > timezone.now() else datetime.timedelta(0)
    stays = ArticleFactory(title="Tin còn lại về trật tự", category=category, tags=[tag],
                           published_at=noon - datetime.timedelta(hours=1))
    target = ArticleFactory(title="Tin sẽ bị xóa về trật tự", category=category, tags=[tag], published_at=noon)
    make_photo(target, caption="Ảnh của bài sẽ bị xóa")
    revisions.record_pending()
    return {"target": target, "stays": stays, "category": category, "tag": tag}


def reader_world(world):
    return World(world["stays"], world["category"], world["tag"])


def body_of(response):
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def trashed_by_admin(client, editor, article):
    response = login(client, editor).post(f"{LIST_URL}{article.pk}/delete/", {"post": "yes"})
    client.logout()
    return response


def snapshot(article):
    revisions.record_pending()
    return {
        "photos": sorted(Photo.objects.filter(article=article).values_list("pk", "image", "caption")),
        "tags": sorted(article.tags.values_list("pk", flat=True)),
        "taggings": Tagging.objects.filter(article=article).count(),
        "revisions": sorted(Revision.objects.filter(article=article).values_list("pk", flat=True)),
    }


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


# Deleting in the admin -----------------------------------------------------------


def test_the_delete_page_says_the_article_goes_to_the_trash(client, editor, world):
    target = world["target"]
    page = login(client, editor).get(f"{LIST_URL}{target.pk}/delete/").content.decode()
    assert "Chuyển vào thùng rác" in page
    assert f"có thể khôi phục trong {trash.TRASH_DAYS} ngày" in page
    assert target.title in page
    assert "Ảnh của bài sẽ bị xóa" not in page, "its photos are not deleted, so not listed"
    assert Article.objects.get(pk=target.pk).deleted_at is None, "nothing happens before the confirmation"


def test_deleting_in_the_admin_moves_the_article_to_the_trash(client, editor, world):
    target = world["target"]
    before = snapshot(target)
    response = login(client, editor).post(f"{LIST_URL}{target.pk}/delete/", {"post": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == LIST_URL
    page = response.content.decode()
    assert f"Đã chuyển bài “{target.title}” vào thùng rác. Có thể khôi phục trong 30 ngày." in page
    results = page.split('id="result_list"', 1)[1]
    assert target.title not in results and world["stays"].title in results, "no longer listed"
    kept = Article.objects.get(pk=target.pk)
    assert kept.deleted_by == editor and timezone.now() - kept.deleted_at < datetime.timedelta(minutes=1)
    assert kept.updated_at > target.updated_at, "a form opened before refuses to save over the trash"
    assert snapshot(target) == before, "photos, tags and revisions stay as they were"
    assert Redirect.objects.get(old_path=target.get_absolute_url()).new_path == ""
    (entry,) = entries(AuditEntry.Action.TRASH)
    assert (entry.user, entry.article, entry.title) == (editor, kept, target.title)


def test_the_bulk_delete_action_moves_the_selected_articles_to_the_trash(client, editor, world):
    chosen = [world["target"].pk, world["stays"].pk]
    login(client, editor)
    confirm = client.post(LIST_URL, {"action": "delete_selected", "_selected_action": chosen})
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Chuyển 2 bài viết đã chọn vào thùng rác?" in page and "Ảnh của bài sẽ bị xóa" not in page
    response = client.post(LIST_URL, {"action": "delete_selected", "_selected_action": chosen, "post": "yes"})
    assert response.status_code == 302
    assert Article.objects.count() == 2, "nothing deleted"
    assert set(Article.objects.exclude(deleted_at=None).values_list("pk", flat=True)) == set(chosen)
    assert {e.article_id for e in entries(AuditEntry.Action.TRASH)} == set(chosen)
    assert Article.objects.outside_trash().count() == 0


def test_the_bulk_delete_says_the_articles_went_to_the_trash(client, editor, world):
    # admin/trash.delete_selected takes the place of Django's own, whose message says "deleted".
    chosen = [world["target"].pk, world["stays"].pk]
    login(client, editor)
    confirm = client.post(LIST_URL, {"action": "delete_selected", "_selected_action": chosen})
    assert "Chuyển 2 bài viết đã chọn vào thùng rác?" in confirm.content.decode()
    response = client.post(
        LIST_URL, {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}, follow=True,
    )
    assert "Đã chuyển 2 bài vào thùng rác. Có thể khôi phục trong 30 ngày." in response.content.decode()
    assert Article.objects.count() == 2 and not Article.objects.outside_trash().exists()


def test_reporters_cannot_delete_articles(client, reporter):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=reporter)
    login(client, reporter)
    assert 'value="delete_selected"' not in client.get(LIST_URL).content.decode()
    assert client.post(f"{LIST_URL}{draft.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(TRASH_URL).status_code == 403
    assert Article.objects.get(pk=draft.pk).deleted_at is None


# Gone from the public site -----------------------------------------------------


def test_a_trashed_article_leaves_every_public_page_feed_sitemap_and_search_at_once(client, editor, world, settings):
    settings.ANTD = {**settings.ANTD, "PAGE_CACHE_SECONDS": 600}  # the whole-page cache too
    target, pages = world["target"], select(without=[ERRORS, SECOND_PAGES, {"article"}])
    urls = {name: PAGES[name].url(reader_world(world)) for name in pages}
    before = {name: body_of(client.get(url)) for name, url in urls.items()}
    listed = {name for name, body in before.items() if target.get_absolute_url() in body}
    assert listed >= LISTING_ARTICLES, LISTING_ARTICLES - listed

    assert trashed_by_admin(client, editor, target).status_code == 302
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        body = body_of(response)
        assert target.get_absolute_url() not in body and target.title not in body, name
        assert world["stays"].get_absolute_url() in body or name not in LISTING_ARTICLES, name


def test_a_trashed_articles_address_answers_410_with_the_sites_page(client, editor, world):
    target = world["target"]
    trashed_by_admin(client, editor, target)
    for who in ("reader", "staff"):
        if who == "staff":
            login(client, editor)
        response = client.get(target.get_absolute_url())
        assert response.status_code == 410, who
        page = response.content.decode()
        assert GONE_HEADING in page and '<html lang="vi">' in page, who
        assert world["category"].name in page, "the site's own page, with its menu"
        assert target.title not in page
        assert "no-store" in response["Cache-Control"], "never kept: a restore must show at once"
    assert client.get(f"/xem-truoc/{target.pk}/").status_code == 404, "no staff preview of the trash"


def test_an_address_the_article_moved_from_ends_at_the_410(client, editor, world):
    target = world["target"]
    old = target.get_absolute_url()
    target.slug = "tin-da-doi-duong-dan"
    target.save()
    trashed_by_admin(client, editor, target)
    response = client.get(old, follow=True)
    assert response.redirect_chain == [(Article.objects.get(pk=target.pk).get_absolute_url(), 301)]
    assert response.status_code == 410


def test_a_draft_in_the_trash_leaves_no_redirect(client, editor):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    trash.move_to_trash([draft], editor)
    assert not Redirect.objects.exists()
    assert Article.objects.get(pk=draft.pk).deleted_at is not None


# Restoring ---------------------------------------------------------------------


def test_restoring_brings_the_article_back_whole(client, editor, world):
    target = world["target"]
    before = snapshot(target)
    assert before["photos"] and before["tags"] and before["revisions"]
    trashed_by_admin(client, editor, target)
    assert client.get(target.get_absolute_url()).status_code == 410

    restored = trash.restore_from_trash(Article.objects.filter(pk=target.pk), editor)
    assert [a.pk for a in restored] == [target.pk]
    assert snapshot(target) == before
    article = Article.objects.get(pk=target.pk)
    assert (article.deleted_at, article.deleted_by) == (None, None)
    assert not Redirect.objects.filter(old_path=target.get_absolute_url()).exists()
    response = client.get(target.get_absolute_url())
    assert response.status_code == 200 and target.title in response.content.decode()
    assert target.get_absolute_url() in client.get("/").content.decode()
    assert [(e.user, e.article_id) for e in entries(AuditEntry.Action.UNTRASH)] == [(editor, target.pk)]


def test_moving_twice_or_restoring_twice_changes_nothing(editor, world):
    target = world["target"]
    assert len(trash.move_to_trash([target], editor)) == 1
    assert trash.move_to_trash([target], editor) == []
    assert len(trash.restore_from_trash([target], editor)) == 1
    assert trash.restore_from_trash([target], editor) == []
    assert len(entries(AuditEntry.Action.TRASH)) == len(entries(AuditEntry.Action.UNTRASH)) == 1


def test_the_trash_admin_lists_trashed_articles_and_restores_them(client, editor, world):
    target, stays = world["target"], world["stays"]
    editor.last_name, editor.first_name = "Nguyễn", "Lan"
    editor.save()
    trashed_by_admin(client, editor, target)
    login(client, editor)
    assert "Thùng rác" in client.get("/admin/").content.decode()
    page = client.get(TRASH_URL).content.decode()
    assert target.title in page and stays.title not in page
    assert "Nguyễn Lan" in page and f"{trash.TRASH_DAYS} ngày" in page
    assert timezone.localtime(Article.objects.get(pk=target.pk).deleted_at).strftime("%d/%m/%Y %H:%M") in page
    assert 'value="restore"' in page and "Khôi phục các bài đã chọn" in page
    assert 'value="delete_selected"' not in page, "purging is the command's"
    assert "/admin/articles/trashedarticle/add/" not in page

    view = client.get(f"{TRASH_URL}{target.pk}/change/")
    assert view.status_code == 200 and "1 ảnh" in view.content.decode()
    assert client.post(f"{TRASH_URL}{target.pk}/change/", {"title": "Sửa trong thùng rác"}).status_code == 403

    response = client.post(TRASH_URL, {"action": "restore", "_selected_action": [target.pk]}, follow=True)
    assert "Đã khôi phục 1 bài." in response.content.decode()
    assert Article.objects.get(pk=target.pk).deleted_at is None
    assert target.title not in client.get(TRASH_URL).content.decode().split('id="result_list"')[-1]
    client.logout()
    assert client.get(target.get_absolute_url()).status_code == 200


# Purging -----------------------------------------------------------------------


def trashed_days_ago(article, user, days):
    trash.move_to_trash([article], user)
    Article.objects.filter(pk=article.pk).update(deleted_at=timezone.now() - datetime.timedelta(days=days))


def all_files(photo):
    return {photo.image.name, *images.rendition_names(photo.renditions)}


@pytest.fixture
def old_and_new(editor, world, make_photo, django_capture_on_commit_callbacks):
    """The target trashed 31 days ago, its photo replaced since its first revision
    (the first original is named only by that revision); another trashed 5 days ago;
    the other article alive."""
    target = world["target"]
    photo = target.photos.get()
    first_original = photo.image.name
    with django_capture_on_commit_callbacks(execute=True):
        with revisions.attributed(editor, revisions.Kind.EDIT):
            photo.image = ContentFile(f.png(640, 480), name="thay-the.png")
            photo.save()
    photo.refresh_from_db()
    assert default_storage.exists(first_original), "an original outlives its replacement"
    newer = ArticleFactory(title="Tin mới vào thùng rác")
    newer_photo = make_photo(newer, f.png(320, 240), name="moi.png")
    alive_photo = make_photo(world["stays"], f.png(320, 240), name="con.png")
    trashed_days_ago(target, editor, 31)
    trashed_days_ago(newer, editor, 5)
    revisions.record_pending()
    return {
        "target": target, "newer": newer, "first_original": first_original, "purged_files": all_files(photo),
        "kept_files": all_files(newer_photo) | all_files(alive_photo),
    }


def test_purge_deletes_old_trashed_articles_and_every_file_they_named(
    client, old_and_new, media_root, django_capture_on_commit_callbacks
):
    target, newer = old_and_new["target"], old_and_new["newer"]
    url = target.get_absolute_url()
    assert Revision.objects.filter(article=target).count() >= 2
    assert set(old_and_new["purged_files"]) | {old_and_new["first_original"]} <= set(media_files(media_root))

    with django_capture_on_commit_callbacks(execute=True):
        assert trash.purge() == 1
    assert not Article.objects.filter(pk=target.pk).exists()
    for model in (Photo, Revision, Tagging):
        assert not model.objects.filter(article_id=target.pk).exists(), model.__name__
    assert Article.objects.filter(pk=newer.pk).exclude(deleted_at=None).exists(), "5 days in the trash: kept"
    assert set(media_files(media_root)) == old_and_new["kept_files"]
    assert client.get(url).status_code == 410, "the address stays gone"
    (entry,) = entries(AuditEntry.Action.PURGE)
    assert (entry.user, entry.article, entry.title) == (None, None, target.title)
    assert f"#{target.pk}" in entry.note
    assert AuditEntry.objects.filter(action=AuditEntry.Action.TRASH, title=target.title, article=None).exists()


def test_purge_keeps_a_file_another_article_still_names(old_and_new, world, django_capture_on_commit_callbacks):
    shared = old_and_new["first_original"]
    Photo.objects.filter(article=world["stays"]).update(image=shared)
    with django_capture_on_commit_callbacks(execute=True):
        assert trash.purge() == 1
    assert default_storage.exists(shared)
    assert not any(default_storage.exists(name) for name in old_and_new["purged_files"])


def test_purge_deletes_no_file_before_commit(old_and_new, media_root, django_capture_on_commit_callbacks):
    before = set(media_files(media_root))
    with django_capture_on_commit_callbacks(execute=False):
        trash.purge()
    assert set(media_files(media_root)) == before


def test_the_purge_trash_command_says_how_many_it_purged(old_and_new):
    out = io.StringIO()
    call_command("purge_trash", stdout=out)
    assert out.getvalue().strip() == "Đã xóa vĩnh viễn 1 bài ở trong thùng rác quá 30 ngày."
    out = io.StringIO()
    call_command("purge_trash", "--days", "4", stdout=out)
    assert out.getvalue().strip() == "Đã xóa vĩnh viễn 1 bài ở trong thùng rác quá 4 ngày."
    assert not Article.objects.exclude(deleted_at=None).exists()
    out = io.StringIO()
    call_command("purge_trash", stdout=out)
    assert "Đã xóa vĩnh viễn 0 bài" in out.getvalue()


# The audit log -------------------------------------------------------------------


def test_the_audit_log_lists_who_did_what_in_vietnamese(client, editor, world, django_capture_on_commit_callbacks):
    editor.last_name, editor.first_name = "Trần", "Minh"
    editor.save()
    target, stays = world["target"], world["stays"]
    with revisions.attributed(editor, revisions.Kind.PUBLISH):
        published = ArticleFactory(title="Tin vừa xuất bản")
    trash.move_to_trash([target], editor)
    trash.restore_from_trash([target], editor)
    trash.move_to_trash([stays], editor)
    Article.objects.filter(pk=stays.pk).update(deleted_at=timezone.now() - datetime.timedelta(days=40))
    trash.purge()

    page = login(client, editor).get(AUDIT_URL).content.decode()
    assert "Nhật ký tòa soạn" in page
    for action in ("Xuất bản", "Chuyển vào thùng rác", "Khôi phục từ thùng rác", "Xóa vĩnh viễn"):
        assert action in page, action
    assert "Trần Minh" in page and "Hệ thống" in page  # purge_trash is no one
    assert DAY_AND_TIME.search(page)
    assert f'<a href="/admin/articles/article/{target.pk}/change/">{target.title}</a>' in page
    assert f'<a href="/admin/articles/article/{published.pk}/change/">{published.title}</a>' in page
    assert stays.title in page and f"/admin/articles/article/{stays.pk}/change/" not in page, "purged: no link"
    assert "/admin/articles/auditentry/add/" not in page

    filtered = client.get(AUDIT_URL, {"action__exact": "untrash"}).content.decode()
    assert "Khôi phục từ thùng rác" in filtered and "Tin vừa xuất bản" not in filtered
    entry = AuditEntry.objects.first()
    assert client.post(f"{AUDIT_URL}{entry.pk}/change/", {"note": "sửa"}).status_code == 403
    assert client.post(f"{AUDIT_URL}{entry.pk}/delete/", {"post": "yes"}).status_code == 403


def test_reporters_cannot_read_the_audit_log(client, reporter):
    assert login(client, reporter).get(AUDIT_URL).status_code == 403
