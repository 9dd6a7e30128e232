"""Each editor's private copy of an unsaved form (newsroom/autosave.py, admin/live.py):
kept on the server, offered when the article is opened again, spent by a save, and
never a revision, never the article, never public."""
import datetime
import html
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.caching import version
from articles.models import Article, Autosave, Revision
from articles.newsroom import autosave
from tests.factories import ArticleFactory, UserFactory
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/article/add/"
FIELDS = [["title", "Tiêu đề đang gõ dở", ""], ["body", "Đoạn một.\n\nĐoạn đang viết", ""],
          ["tags", "3", "An toàn giao thông"], ["tags", "5", "Tết"], ["edit_token", "{}", ""]]
TOKEN = re.compile(r'name="edit_token" value="([^"]*)"')
OFFER = "Khôi phục bản đang soạn dở"
SAVED_AT = re.compile(r"Bạn có một bản đang soạn dở, lưu lúc \d\d:\d\d \d\d/\d\d/\d{4}\.")


def url(article, action=""):
    return f"/admin/articles/article/{article.pk}/{action}"


def send(client, address, payload):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return client.post(address, body, content_type="application/json")


@pytest.fixture
def article():
    article = ArticleFactory(title="Bài đã lưu", status=Article.Status.DRAFT, published_at=None)
    # Opened a minute after its last save, as an editor would.
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=1))
    return Article.objects.get(pk=article.pk)


def test_the_form_is_kept_as_the_editors_private_copy_and_replaced_by_the_next(client, editor, article):
    client.force_login(editor)
    revisions = Revision.objects.count()
    response = send(client, url(article, "autosave/"), FIELDS)
    assert response.status_code == 200
    assert re.fullmatch(r"\d\d:\d\d \d\d/\d\d/\d{4}", json.loads(response.content)["saved_at"])
    copy = Autosave.objects.get(user=editor, article=article)
    assert copy.fields == FIELDS

    later = [["title", "Tiêu đề đã gõ thêm", ""]]
    assert send(client, url(article, "autosave/"), later).status_code == 200
    assert Autosave.objects.get().fields == later and Autosave.objects.get().saved_at >= copy.saved_at
    # Never the article, never a revision.
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == "Bài đã lưu" and stored.updated_at == article.updated_at
    assert Revision.objects.count() == revisions


def test_autosaving_leaves_the_readers_cache_alone(client, editor, article):
    client.force_login(editor)
    before = version.current()
    send(client, url(article, "autosave/"), FIELDS)
    assert version.current() == before


def offered_fields(page):
    data = re.search(r'<script id="antd-autosave" type="application/json">(.*?)</script>', page, re.S)
    return data and json.loads(data.group(1))


def test_each_editor_keeps_a_copy_of_their_own(client, editor, article):
    other = UserFactory(username="bientap_khac", is_staff=True)
    other.groups.add(Group.objects.get(name="Biên tập viên"))
    client.force_login(editor)
    send(client, url(article, "autosave/"), FIELDS)
    client.force_login(other)
    send(client, url(article, "autosave/"), [["title", "Bản của người khác", ""]])
    assert Autosave.objects.filter(article=article).count() == 2
    assert offered_fields(client.get(url(article, "change/")).content.decode()) == [["title", "Bản của người khác", ""]]
    client.force_login(editor)
    assert offered_fields(client.get(url(article, "change/")).content.decode()) == FIELDS


def test_reopening_the_article_offers_the_copy_with_its_time_and_fields(client, editor, article):
    client.force_login(editor)
    send(client, url(article, "autosave/"), FIELDS)
    page = client.get(url(article, "change/")).content.decode()
    assert OFFER in page and "Bỏ bản này" in page
    assert SAVED_AT.search(page)
    when = timezone.localtime(Autosave.objects.get().saved_at).strftime("%H:%M %d/%m/%Y")
    assert f"lưu lúc {when}." in page
    # The fields reach the script as data, never as script: the CSP runs nothing inline.
    assert offered_fields(page) == FIELDS
    assert f'data-autosave-url="{url(article, "autosave/")}"' in page
    assert f'data-discard-url="{url(article, "autosave/discard/")}"' in page


def test_a_copy_older_than_the_article_is_not_offered(client, editor, article):
    client.force_login(editor)
    send(client, url(article, "autosave/"), FIELDS)
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() + datetime.timedelta(seconds=5))
    assert OFFER not in client.get(url(article, "change/")).content.decode()


def test_no_copy_no_offer(client, editor, article):
    client.force_login(editor)
    page = client.get(url(article, "change/")).content.decode()
    assert 'id="antd-live"' in page and OFFER not in page and offered_fields(page) is None


def test_discarding_is_one_request(client, editor, article):
    client.force_login(editor)
    send(client, url(article, "autosave/"), FIELDS)
    assert client.post(url(article, "autosave/discard/")).status_code == 204
    assert not Autosave.objects.exists()
    assert OFFER not in client.get(url(article, "change/")).content.decode()


def test_a_successful_save_spends_the_copy(client, editor, article):
    client.force_login(editor)
    send(client, url(article, "autosave/"), FIELDS)
    send(client, ADD + "autosave/", [["title", "Bài mới ở tab khác", ""]])
    page = client.get(url(article, "change/")).content.decode()
    token = html.unescape(TOKEN.search(page).group(1))
    response = client.post(url(article, "change/"), form_data(title="Tiêu đề đang gõ dở", edit_token=token))
    assert response.status_code == 302
    assert not Autosave.objects.filter(article=article).exists()
    # A new article being typed in another tab is not this save's.
    assert Autosave.objects.filter(article=None, user=editor).exists()


def test_a_refused_save_keeps_the_copy_and_does_not_offer_it_over_the_typed_form(client, editor, article):
    client.force_login(editor)
    send(client, url(article, "autosave/"), FIELDS)
    response = client.post(url(article, "change/"), form_data(title=""))  # the title is required
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert Autosave.objects.filter(article=article).exists()
    assert OFFER not in response.content.decode()


def test_a_new_never_saved_article_is_covered(client, editor):
    client.force_login(editor)
    fields = [["title", "Bài mới chưa lưu", ""], ["lead", "Sapo mới.", ""], ["body", "Thân bài mới.", ""]]
    assert send(client, ADD + "autosave/", fields).status_code == 200
    copy = Autosave.objects.get(user=editor)
    assert copy.article is None and copy.fields == fields
    # A second tick replaces it: one copy per editor for the add form too.
    assert send(client, ADD + "autosave/", fields[:1]).status_code == 200
    assert Autosave.objects.filter(user=editor).count() == 1
    assert not Article.objects.exists()

    page = client.get(ADD).content.decode()
    assert OFFER in page and SAVED_AT.search(page)
    assert 'data-autosave-url="/admin/articles/article/add/autosave/"' in page
    assert 'data-discard-url="/admin/articles/article/add/autosave/discard/"' in page

    response = client.post(ADD, form_data(title="Bài mới chưa lưu"))
    assert response.status_code == 302
    assert not Autosave.objects.exists()  # the add form's copy is now the article


def test_the_add_forms_copy_can_be_discarded(client, editor):
    client.force_login(editor)
    send(client, ADD + "autosave/", FIELDS)
    assert client.post(ADD + "autosave/discard/").status_code == 204
    assert not Autosave.objects.exists()
    assert OFFER not in client.get(ADD).content.decode()


@pytest.mark.parametrize("payload", [
    b"not json",
    b"\xff\xfe",
    {"title": "Tiêu đề"},
    "Tiêu đề",
    [["title", "Tiêu đề"]],
    [["title", "Tiêu đề", "", "thừa"]],
    [["title", 5, ""]],
    [["title", None, ""]],
    [["title", "có\u0000NUL", ""]],
    ["title"],
    b"[" * 100_000,
])
def test_a_payload_that_is_not_form_fields_is_refused_in_vietnamese(client, editor, article, payload):
    client.force_login(editor)
    response = send(client, url(article, "autosave/"), payload)
    assert response.status_code == 400
    assert json.loads(response.content) == {"error": autosave.NOT_FIELDS}
    assert "Bản lưu tạm không hợp lệ" in autosave.NOT_FIELDS
    assert not Autosave.objects.exists()


def test_a_payload_over_2_mb_is_refused(client, editor, article):
    client.force_login(editor)
    big = [["body", "chữ " * 600_000, ""]]
    response = send(client, url(article, "autosave/"), big)
    assert response.status_code == 400
    assert json.loads(response.content)["error"] == "Bản lưu tạm quá lớn (hơn 2 MB), chưa lưu được."
    assert not Autosave.objects.exists()
    # Just under the limit is kept.
    assert send(client, url(article, "autosave/"), [["body", "a" * 2_000_000, ""]]).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client, article):
    for address in (url(article, "autosave/"), url(article, "autosave/discard/"), ADD + "autosave/"):
        response = send(client, address, FIELDS)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Autosave.objects.exists()


def test_only_post_is_answered(client, editor, article):
    client.force_login(editor)
    for address in (url(article, "autosave/"), url(article, "autosave/discard/"), ADD + "autosave/",
                    ADD + "autosave/discard/"):
        assert client.get(address).status_code == 405


def test_a_reporter_keeps_copies_of_drafts_but_not_of_published_articles(client, reporter, article):
    client.force_login(reporter)
    assert send(client, url(article, "autosave/"), FIELDS).status_code == 200  # a draft: theirs to edit
    published = ArticleFactory()
    assert send(client, url(published, "autosave/"), FIELDS).status_code == 403
    assert not Autosave.objects.filter(article=published).exists()
    # The read-only form neither autosaves nor offers a copy.
    Autosave.objects.create(user=reporter, article=published, fields=FIELDS, saved_at=timezone.now())
    page = client.get(url(published, "change/")).content.decode()
    assert "data-autosave-url" not in page and OFFER not in page


def test_unknown_and_trashed_articles_are_not_found(client, editor, article):
    client.force_login(editor)
    assert send(client, url(Article(pk=article.pk + 1000), "autosave/"), FIELDS).status_code == 404
    Article.objects.filter(pk=article.pk).update(deleted_at=timezone.now())
    assert send(client, url(article, "autosave/"), FIELDS).status_code == 404
    assert not Autosave.objects.exists()


def test_staff_without_newsroom_rights_are_refused(client, article):
    client.force_login(UserFactory(username="nhanvien", is_staff=True))
    assert send(client, url(article, "autosave/"), FIELDS).status_code == 403
    assert send(client, ADD + "autosave/", FIELDS).status_code == 403
    assert not Autosave.objects.exists()


def test_public_pages_are_unaffected(client, editor):
    published = ArticleFactory(title="Bài đã đăng công khai")
    client.force_login(editor)
    send(client, url(published, "autosave/"), [["title", "Tiêu đề bí mật chưa lưu", ""]])
    client.logout()
    for address in (published.get_absolute_url(), "/", "/rss/", "/tim-kiem/?q=b%C3%AD+m%E1%BA%ADt"):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "bí mật chưa lưu" not in response.content.decode()
    assert Article.objects.get(pk=published.pk).title == "Bài đã đăng công khai"
