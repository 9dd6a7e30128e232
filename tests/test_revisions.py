"""Revisions (migration 0010, articles/newsroom/revisions.py and diff.py): every
change to an article makes one, whatever wrote it; each can be read, any two
compared word by word, any one restored as a new revision."""
import html
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from articles.imports.plaintext import import_file
from articles.models import Article, AuditEntry, Photo, Revision
from articles.newsroom import diff, revisions
from tests.factories import (
    ArticleFactory, CategoryFactory, PhotoFactory, TagFactory, editor_named, jpeg_bytes, placements,
)
from tests.test_admin import form_data, login
from tests.test_concurrent_edits import opened

LIST_URL = "/admin/articles/article/"


def history_of(article):
    return list(Revision.objects.filter(article=article).order_by("id"))


def kinds(article):
    return [revision.kind for revision in history_of(article)]


def written(**fields):
    """An article written by a command, its revision recorded as the commit would;
    no category and no author, as the admin form of tests/test_admin.form_data sends."""
    with revisions.attributed(None, Revision.Kind.IMPORT):
        article = ArticleFactory(**{"category": None, "author": "", **fields})
    return article


@pytest.fixture
def draft(db):
    return written(title="Bài nháp có lịch sử", lead="Sapo cũ.", body="Đoạn một.\n\nĐoạn hai.",
                   status=Article.Status.DRAFT, published_at=None)


def change_url(article, suffix="change/"):
    return f"{LIST_URL}{article.pk}/{suffix}"


# Recording ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_content_the_database_keeps_is_the_content_python_reads():
    article = written(tags=[TagFactory(name="Hà Nội")])
    PhotoFactory(article=article)
    revisions.record_pending()
    content = history_of(article)[-1].content
    assert set(content) == set(revisions.FIELDS)
    assert set(content["photos"][0]) == {"id", "image", "width", "height", "caption", "credit", "alt_text"}
    assert content["tags"] == [{"id": article.tags.get().pk, "name": "Hà Nội"}]
    assert revisions.published_at(content) == article.published_at


@pytest.mark.django_db
def test_a_revision_names_every_tag_in_the_order_of_its_key():
    """articles_revision_content (0022) reads each tag's name by its key, in the
    order of the tags' ids, whatever order they were given in."""
    later, earlier = TagFactory(name="Phòng cháy"), TagFactory(name="An ninh")
    other = TagFactory(name="Giao thông")
    article = written(tags=[other, earlier, later])
    revisions.record_pending()
    content = history_of(article)[-1].content
    assert content["tags"] == [{"id": t.pk, "name": t.name} for t in sorted([later, earlier, other], key=lambda t: t.pk)]


@pytest.mark.django_db
def test_an_admin_save_with_its_photo_makes_one_revision_naming_the_editor(client, draft):
    editor = editor_named("bientap_a", "An", "Nguyễn Văn")
    login(client, editor)
    data = {**opened(client, draft), "body": draft.body + "<p>Đoạn ba.</p>", **{
        "photos-TOTAL_FORMS": "1", "photos-0-caption": "Chú thích mới",
        "photos-0-image": ContentFile(jpeg_bytes(), name="anh.jpg"),
    }}
    assert client.post(change_url(draft), data).status_code == 302
    latest = history_of(draft)[-1]
    assert [r.kind for r in history_of(draft)] == ["import", "edit"]
    assert latest.user == editor
    assert latest.content["body"].endswith("<p>Đoạn ba.</p>")
    assert latest.content["photos"][0]["caption"] == "Chú thích mới"
    assert latest.content["photos"][0]["image"].startswith("photos/")
    assert revisions.history(draft.pk)[0].changed == ("Nội dung", "Ảnh")


@pytest.mark.django_db
def test_a_new_article_from_the_admin_starts_its_history(client, editor):
    login(client, editor).post("/admin/articles/article/add/", form_data(title="Bài mới tinh"))
    article = Article.objects.get(title="Bài mới tinh")
    assert [(r.kind, r.user) for r in history_of(article)] == [("edit", editor)]


@pytest.mark.django_db
def test_a_form_that_changes_nothing_makes_no_revision(client, editor, draft):
    login(client, editor)
    assert client.post(change_url(draft), opened(client, draft)).status_code == 302
    assert kinds(draft) == ["import"]


@pytest.mark.django_db
def test_publish_and_unpublish_actions_make_revisions_and_audit_entries(client, editor, draft):
    login(client, editor)
    client.post(LIST_URL, {"action": "publish", "_selected_action": [draft.pk]})
    client.post(LIST_URL, {"action": "unpublish", "_selected_action": [draft.pk]})
    assert kinds(draft) == ["import", "publish", "unpublish"]
    assert [r.user for r in history_of(draft)[1:]] == [editor, editor]
    entries = list(AuditEntry.objects.filter(article=draft).order_by("id").values_list("action", "user"))
    assert entries == [("publish", editor.pk), ("unpublish", editor.pk)]
    audit = re.search(r'<table id="audit">(.*?)</table>', client.get(change_url(draft, "history/")).content.decode(), re.S)
    assert re.findall(r"<td>([^<]*)</td>", audit.group(1)) == [
        "bientap", "Gỡ xuất bản", "Đã xuất bản → Bản nháp", "", "bientap", "Xuất bản", "Bản nháp → Đã xuất bản", "",
    ]


@pytest.mark.django_db
def test_a_publish_action_refuses_a_form_opened_before_it(client, draft):
    a, b = editor_named("bientap_a", "An", "Nguyễn Văn"), editor_named("bientap_b", "Bình", "Trần Thị")
    login(client, b)
    form_of_b = opened(client, draft)
    login(client, a).post(LIST_URL, {"action": "publish", "_selected_action": [draft.pk]})
    login(client, b)
    refused = client.post(change_url(draft), {**form_of_b, "title": "Tiêu đề B"})
    page = html.unescape(refused.content.decode())
    assert refused.status_code == 200
    assert "Bài này đã được Nguyễn Văn An lưu lúc" in page and "trạng thái" in page
    stored = Article.objects.get(pk=draft.pk)
    assert stored.status == Article.Status.PUBLISHED and stored.title == "Bài nháp có lịch sử"
    assert 'value="Tiêu đề B"' in refused.content.decode()  # B's text is kept


@pytest.mark.django_db
def test_a_photo_inline_change_refuses_a_form_opened_before_it(client, draft):
    photo = PhotoFactory(article=draft, caption="Chú thích gốc")
    a, b = editor_named("bientap_a", "An", "Nguyễn Văn"), editor_named("bientap_b", "Bình", "Trần Thị")
    login(client, b)
    form_of_b = opened(client, Article.objects.get(pk=draft.pk))
    inline = {"photos-TOTAL_FORMS": "1", "photos-INITIAL_FORMS": "1", "photos-0-id": str(photo.pk),
              "photos-0-article": str(draft.pk), "photos-0-caption": "Chú thích của A"}
    login(client, a)
    assert client.post(change_url(draft), {**opened(client, Article.objects.get(pk=draft.pk)), **inline}).status_code == 302
    login(client, b)
    refused = client.post(change_url(draft), {**form_of_b, **inline, "photos-0-caption": "Chú thích của B"})
    assert refused.status_code == 200
    assert "Bài này đã được Nguyễn Văn An lưu lúc" in html.unescape(refused.content.decode())
    assert Photo.objects.get(pk=photo.pk).caption == "Chú thích của A"


@pytest.mark.django_db
def test_each_plain_text_import_makes_a_revision_and_an_unchanged_one_none(tmp_path):
    source = tmp_path / "bai-nhap.txt"
    source.write_text("Tiêu đề nhập\n\nSapo nhập.\n\nĐoạn một.\n", encoding="utf-8")
    article, _ = import_file(source)
    import_file(source)
    source.write_text("Tiêu đề nhập\n\nSapo nhập.\n\nĐoạn một đã sửa.\n", encoding="utf-8")
    import_file(source)
    assert kinds(article) == ["import", "import"]
    assert history_of(article)[-1].content["body"] == "<p>Đoạn một đã sửa.</p>"


@pytest.mark.django_db(transaction=True)
def test_any_other_write_is_recorded_at_commit_as_another_change():
    article = ArticleFactory(title="Viết từ shell")
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(title="Sửa thẳng bằng SQL của ORM")
    assert [(r.kind, r.user, r.content["title"]) for r in history_of(article)] == [
        ("other", None, "Viết từ shell"), ("other", None, "Sửa thẳng bằng SQL của ORM"),
    ]


@pytest.mark.django_db(transaction=True)
def test_ndjson_imports_make_one_revision_per_article_in_bulk_and_article_by_article(tmp_path):
    lines = [{"id": f"cms-{n}", "title": f"Bài nhập hàng loạt {n}", "sapo": "Sapo.", "body": ["Đoạn."],
              "published_at": "2017-02-15T17:30:00+07:00", "tags": ["Hà Nội"]} for n in range(5)]
    path = tmp_path / "xuat.ndjson"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    call_command("import_articles", "--format", "ndjson", str(path), stdout=open("/dev/null", "w"))
    articles = Article.objects.filter(external_id__startswith="cms-")
    assert articles.count() == 5
    assert sorted(Revision.objects.filter(article__in=articles).values_list("kind", flat=True)) == ["import"] * 5
    first = Revision.objects.get(article__external_id="cms-0")
    assert first.content["tags"][0]["name"] == "Hà Nội" and first.content["status"] == "published"
    assert AuditEntry.objects.filter(article__in=articles, action="publish").count() == 5
    # Importing again with a change updates article by article: one more revision for that one only.
    lines[0]["title"] = "Bài nhập hàng loạt 0, đã sửa"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    call_command("import_articles", "--format", "ndjson", str(path), stdout=open("/dev/null", "w"))
    counts = dict(Revision.objects.filter(article__in=articles).values_list("article__external_id").annotate(n=Count("id")))
    assert counts == {"cms-0": 2, "cms-1": 1, "cms-2": 1, "cms-3": 1, "cms-4": 1}


# Reading and comparing --------------------------------------------------------


@pytest.mark.django_db
def test_the_history_page_lists_revisions_newest_first_with_time_who_and_fields(client, draft):
    editor = editor_named("bientap_a", "An", "Nguyễn Văn")
    login(client, editor)
    client.post(change_url(draft), {**opened(client, draft), "title": "Tiêu đề đã sửa", "lead": "Sapo mới."})
    page = client.get(change_url(draft, "history/")).content.decode()
    rows = re.findall(r'<tr id="revision-(\d+)">(.*?)</tr>', page, re.S)
    assert [int(pk) for pk, _ in rows] == [r.pk for r in reversed(history_of(draft))]
    newest = html.unescape(rows[0][1])
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", newest)
    assert "Nguyễn Văn An" in newest and "Sửa trong trang quản trị" in newest and "Tiêu đề, Đường dẫn, Sapo" in newest
    assert "Phiên bản đầu tiên" in html.unescape(rows[-1][1]) and "Hệ thống" in html.unescape(rows[-1][1])


@pytest.mark.django_db
def test_a_revision_reads_as_it_was(client, editor, draft):
    old = history_of(draft)[0]
    login(client, editor)
    client.post(change_url(draft), {**opened(client, draft), "body": "Đoạn hoàn toàn mới."})
    page = html.unescape(client.get(change_url(draft, f"history/{old.pk}/")).content.decode())
    assert "Đoạn một.<br><br>Đoạn hai." in page and "Đoạn hoàn toàn mới." not in page
    assert "Khôi phục phiên bản này" in page


def test_words_are_compared_whole_vietnamese_words_included():
    marked = diff.marked("Đổi mới biện pháp thi đua", "Đổi cũ biện pháp thi đua, khen thưởng")
    assert marked == "Đổi <del>mới</del><ins>cũ</ins> biện pháp thi đua<ins>, khen thưởng</ins>"
    decomposed = diff.marked("Hoà bình", "Hòa bình")  # both NFC as stored: one word replaced whole
    assert decomposed == "<del>Hoà</del><ins>Hòa</ins> bình"


def test_marks_escape_what_editors_typed():
    assert diff.marked("a <script>", "a <b>") == "a &lt;<del>script</del><ins>b</ins>&gt;"


@pytest.mark.django_db
def test_two_revisions_compare_word_by_word_and_field_by_field(client, editor, draft):
    login(client, editor)
    category = CategoryFactory(name="Giao thông")
    client.post(change_url(draft), {**opened(client, draft), "body": "Đoạn một đã sửa.\r\n\r\nĐoạn hai.",
                                    "category": category.pk})
    older, newer = history_of(draft)
    page = client.get(change_url(draft, f"history/compare/?from={newer.pk}&to={older.pk}")).content.decode()
    assert "Đoạn một<ins> đã sửa</ins>." in html.unescape(page)
    assert re.search(r"Chuyên mục.*?</th>\s*<td></td><td>Giao thông</td>", html.unescape(page), re.S)
    assert f"So sánh phiên bản #{older.pk} và #{newer.pk}" in html.unescape(page)


# Restoring ----------------------------------------------------------------------


@pytest.mark.django_db
def test_restore_makes_a_new_revision_and_can_itself_be_undone(client, editor, draft):
    login(client, editor)
    client.post(change_url(draft), {**opened(client, draft), "title": "Tiêu đề thứ hai", "body": "Thân bài thứ hai."})
    first, second = history_of(draft)
    response = client.post(change_url(draft, f"history/{first.pk}/restore/"))
    assert response.status_code == 302
    stored = Article.objects.get(pk=draft.pk)
    assert (stored.title, stored.body) == ("Bài nháp có lịch sử", "<p>Đoạn một.</p><p>Đoạn hai.</p>")
    assert kinds(draft) == ["import", "edit", "restore"]
    assert AuditEntry.objects.get(article=draft, action="restore").note.startswith(f"Phiên bản #{first.pk}")
    client.post(change_url(draft, f"history/{second.pk}/restore/"))
    stored = Article.objects.get(pk=draft.pk)
    assert (stored.title, stored.body) == ("Tiêu đề thứ hai", "<p>Thân bài thứ hai.</p>")
    assert kinds(draft) == ["import", "edit", "restore", "restore"]


@pytest.mark.django_db
def test_restore_brings_back_tags_category_and_photos_with_their_files(client, editor, media_root):
    tag = TagFactory(name="Phòng cháy")
    article = written(tags=[tag], category=CategoryFactory(name="Xã hội"))
    photo = PhotoFactory(article=article, caption="Ảnh gốc")
    revisions.record_pending()
    original_file = photo.image.name
    before = history_of(article)[-1]
    login(client, editor)
    data = {**opened(client, Article.objects.get(pk=article.pk)), "tags": [], "photos-TOTAL_FORMS": "1",
            "photos-INITIAL_FORMS": "1", "photos-0-id": str(photo.pk), "photos-0-article": str(article.pk),
            "photos-0-caption": "Ảnh gốc", "photos-0-DELETE": "on"}
    assert client.post(change_url(article), data).status_code == 302
    assert not article.photos.exists() and not article.tags.exists()
    assert (media_root / original_file).exists()  # a revision still names it
    client.post(change_url(article, f"history/{before.pk}/restore/"))
    restored = Photo.objects.get(article=article)
    assert (restored.image.name, restored.caption) == (original_file, "Ảnh gốc")
    # It came back under a new id, and the restored body places it by that id, where it stood.
    assert restored.pk != photo.pk and [(n, p.pk) for n, p in placements(article)] == [(1, restored.pk)]
    assert list(article.tags.all()) == [tag]
    assert history_of(article)[-1].content["photos"][0]["image"] == original_file


@pytest.mark.django_db
def test_restoring_a_published_article_shows_at_once_on_its_public_page(client, editor):
    article = written(title="Bài đã đăng", body="Nội dung đúng ban đầu.")
    login(client, editor)
    url = article.get_absolute_url()
    client.post(change_url(article), {**opened(client, article), "status": "published",
                                      "published_at_0": timezone.localtime(article.published_at).strftime("%d/%m/%Y"),
                                      "published_at_1": timezone.localtime(article.published_at).strftime("%H:%M:%S"),
                                      "body": "Nội dung sai đã lỡ đăng."})
    client.logout()
    assert "Nội dung sai đã lỡ đăng." in client.get(url).content.decode()  # cached for readers now
    login(client, editor).post(change_url(article, f"history/{history_of(article)[0].pk}/restore/"))
    client.logout()
    page = client.get(url).content.decode()
    assert "Nội dung đúng ban đầu." in page and "Nội dung sai" not in page


@pytest.mark.django_db
def test_reporters_restore_drafts_only(client, reporter, draft):
    published = written(title="Bài đã đăng của tòa soạn")
    login(client, reporter)
    assert client.post(change_url(published, f"history/{history_of(published)[0].pk}/restore/")).status_code == 403
    with revisions.attributed(None, Revision.Kind.PUBLISH):
        Article.objects.filter(pk=draft.pk).update(status=Article.Status.PUBLISHED, published_at=timezone.now())
    with revisions.attributed(None, Revision.Kind.UNPUBLISH):
        Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    was_published = history_of(draft)[1]
    assert was_published.content["status"] == "published"
    assert client.post(change_url(draft, f"history/{was_published.pk}/restore/")).status_code == 403
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT
    assert client.post(change_url(draft, f"history/{history_of(draft)[0].pk}/restore/")).status_code == 302


@pytest.mark.django_db
def test_a_revision_of_another_article_is_not_found(client, editor, draft):
    other = written(title="Bài khác")
    login(client, editor)
    assert client.get(change_url(draft, f"history/{history_of(other)[0].pk}/")).status_code == 404
    assert client.post(change_url(draft, f"history/{history_of(other)[0].pk}/restore/")).status_code == 404
    assert client.get(change_url(draft, "history/compare/?from=x&to=1")).status_code == 302
