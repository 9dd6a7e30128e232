"""The editorial desk (articles/newsroom/desk.py, articles/admin/desk.py): submit,
withdraw, return with a note, publish; who may; the queue; the calendar; notes;
mail after commit. Browser flow: tests/browser/test_desk.py."""
import datetime

import pytest
from django.core import mail
from django.utils import timezone

from articles.models import Article, AuditEntry, EditorialNote
from articles.newsroom import desk, revisions
from tests.factories import ArticleFactory, editor_named
from tests.test_admin import form_data, login
from tests.test_concurrent_edits import opened

ADMIN = "/admin/articles/article/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter_a():
    user = editor_named("phongvien_an", "An", "Nguyễn Văn", group="Phóng viên")
    user.email = "an@antd.vn"
    user.save()
    return user


@pytest.fixture
def editor_b():
    user = editor_named("bientap_binh", "Bình", "Trần Thị")
    user.email = "binh@antd.vn"
    user.save()
    return user


def draft_of(user, **fields):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=user, **fields)
    return Article.objects.get(pk=article.pk)


def change(client, article, **fields):
    """The form as its user sees it (status included), saved with these changes."""
    return client.post(f"{ADMIN}{article.pk}/change/", {**opened(client, article), "status": article.status, **fields})


def moves(article):
    return [(e.action, e.from_status, e.to_status, e.note, e.user.username if e.user else None)
            for e in AuditEntry.objects.filter(article=article).exclude(to_status="").order_by("at", "id")]


def test_a_reporter_submits_and_editors_hear_of_it(client, reporter_a, editor_b, django_capture_on_commit_callbacks):
    article = draft_of(reporter_a, title="Bài gửi duyệt")
    login(client, reporter_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = change(client, article, _submit_review="Gửi duyệt")
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == "review"
    assert moves(article) == [("submit", "draft", "review", "", "phongvien_an")]
    [message] = mail.outbox
    assert message.to == ["binh@antd.vn"] and message.subject == "Bài chờ duyệt: Bài gửi duyệt"
    assert f"/admin/articles/article/{article.pk}/change/" in message.body


def test_a_waiting_article_is_read_only_for_its_reporter_who_may_withdraw_it(client, reporter_a):
    article = draft_of(reporter_a)
    desk.submit(article.pk, reporter_a)
    login(client, reporter_a)
    page = client.get(f"{ADMIN}{article.pk}/change/").content.decode()
    assert "Bài đang chờ biên tập viên duyệt" in page and 'name="_save"' not in page
    assert client.post(f"{ADMIN}{article.pk}/change/", form_data(title="Sửa khi chờ")).status_code == 403
    response = client.post(f"{ADMIN}{article.pk}/desk/withdraw/", follow=True)
    assert "Đã rút bài về bản nháp" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == "draft"
    assert [m[0] for m in moves(article)] == ["submit", "withdraw"]


def test_another_reporter_cannot_withdraw(client, reporter_a):
    article = draft_of(reporter_a)
    desk.submit(article.pk, reporter_a)
    other = editor_named("phongvien_khac", "Khác", "Lê", group="Phóng viên")
    login(client, other)
    response = client.post(f"{ADMIN}{article.pk}/desk/withdraw/", follow=True)
    assert response.status_code in (200, 403)
    assert Article.objects.get(pk=article.pk).status == "review"


def test_an_editor_returns_with_a_note_that_the_reporter_reads(client, reporter_a, editor_b,
                                                               django_capture_on_commit_callbacks):
    article = draft_of(reporter_a, title="Bài cần sửa")
    desk.submit(article.pk, reporter_a)
    login(client, editor_b)
    response = change(client, Article.objects.get(pk=article.pk), _return="Trả lại", desk_note="")
    assert response.status_code == 200
    assert "Hãy ghi lý do trả lại bài" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == "review"
    with django_capture_on_commit_callbacks(execute=True):
        response = change(client, Article.objects.get(pk=article.pk), _return="Trả lại",
                          desk_note="Thiếu nguồn tin ở đoạn hai.")
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == "draft"
    assert moves(article)[-1] == ("return", "review", "draft", "Thiếu nguồn tin ở đoạn hai.", "bientap_binh")
    assert [(m.to, m.subject) for m in mail.outbox] == [(["an@antd.vn"], "Bài bị trả lại: Bài cần sửa")]
    assert "Thiếu nguồn tin ở đoạn hai." in mail.outbox[0].body

    client.logout()
    login(client, reporter_a)
    form = client.get(f"{ADMIN}{article.pk}/change/").content.decode()
    assert "Bài bị trả lại" in form and "Trần Thị Bình" in form and "Thiếu nguồn tin ở đoạn hai." in form
    listing = client.get(ADMIN).content.decode()
    assert "Bị trả lại:" in listing and "Thiếu nguồn tin ở đoạn hai." in listing


def test_an_editor_publishes_a_waiting_article_and_its_reporter_hears(client, reporter_a, editor_b,
                                                                     django_capture_on_commit_callbacks):
    article = draft_of(reporter_a, title="Bài được duyệt")
    desk.submit(article.pk, reporter_a)
    login(client, editor_b)
    with django_capture_on_commit_callbacks(execute=True):
        assert change(client, Article.objects.get(pk=article.pk), _publish="Xuất bản").status_code == 302
    stored = Article.objects.get(pk=article.pk)
    assert stored.status == "published" and stored.published_at <= timezone.now()
    assert moves(article)[-1][:3] == ("publish", "review", "published")
    assert [(m.to, m.subject) for m in mail.outbox] == [(["an@antd.vn"], "Bài đã xuất bản: Bài được duyệt")]
    assert client.get(stored.get_absolute_url()).status_code == 200


def test_editors_publish_their_own_drafts_without_mailing_themselves(client, editor_b,
                                                                     django_capture_on_commit_callbacks):
    article = draft_of(editor_b)
    login(client, editor_b)
    with django_capture_on_commit_callbacks(execute=True):
        assert change(client, article, _publish="Xuất bản").status_code == 302
    assert Article.objects.get(pk=article.pk).status == "published"
    assert mail.outbox == []


@pytest.mark.parametrize("forged", [
    {"status": "published", "published_at_0": "15/02/2017", "published_at_1": "17:30"},
    {"_publish": "Xuất bản"},
    {"_return": "Trả lại", "desk_note": "x"},
])
def test_a_reporter_never_publishes_whatever_the_request(client, reporter_a, forged):
    article = draft_of(reporter_a)
    login(client, reporter_a)
    change(client, article, **forged)
    assert Article.objects.get(pk=article.pk).status == "draft"
    client.post(ADMIN, {"action": "publish", "_selected_action": [article.pk]})
    assert Article.objects.get(pk=article.pk).status == "draft"
    with pytest.raises(desk.Refused, match="Chỉ biên tập viên"):
        desk.publish(article.pk, reporter_a)
    assert Article.objects.get(pk=article.pk).status == "draft"


def test_the_queue_shows_what_waits_oldest_first_with_names_and_waiting_time(client, reporter_a, editor_b):
    older, newer = draft_of(reporter_a, title="Bài gửi trước"), draft_of(reporter_a, title="Bài gửi sau")
    desk.submit(older.pk, reporter_a)
    desk.submit(newer.pk, reporter_a)
    AuditEntry.objects.filter(article=older, action="submit").update(at=timezone.now() - datetime.timedelta(hours=3))
    login(client, editor_b)
    for url in ("/admin/", ADMIN):
        page = client.get(url).content.decode()
        assert "Bài chờ duyệt (2)" in page, url
        assert page.index("Bài gửi trước") < page.index("Bài gửi sau"), url
        assert "Nguyễn Văn An" in page and "3 giờ" in page, url


def test_every_move_is_on_the_history_page_beside_the_revisions(client, reporter_a, editor_b):
    article = draft_of(reporter_a)
    desk.submit(article.pk, reporter_a)
    desk.return_to_reporter(article.pk, editor_b, "Viết lại sapo.")
    desk.submit(article.pk, reporter_a)
    desk.publish(article.pk, editor_b)
    login(client, editor_b)
    page = client.get(f"{ADMIN}{article.pk}/history/").content.decode()
    for label in ("Gửi duyệt", "Trả lại", "Xuất bản", "Bản nháp → Chờ duyệt", "Chờ duyệt → Bản nháp",
                  "Chờ duyệt → Đã xuất bản", "Viết lại sapo."):
        assert label in page, label
    assert [r.kind for r in revisions.history(article.pk)][:4] == ["Xuất bản", "Gửi duyệt", "Trả lại", "Gửi duyệt"]


def test_a_return_needs_a_note_and_a_waiting_article(reporter_a, editor_b):
    article = draft_of(reporter_a)
    with pytest.raises(desk.Refused, match="lý do"):
        desk.return_to_reporter(article.pk, editor_b, "  ")
    with pytest.raises(desk.Refused, match="Bản nháp"):
        desk.return_to_reporter(article.pk, editor_b, "Lý do.")


def test_editorial_notes_are_a_thread_kept_with_the_article_and_never_public(client, reporter_a, editor_b):
    article = ArticleFactory(created_by=reporter_a, published_at=timezone.now() - datetime.timedelta(hours=1))
    login(client, editor_b)
    response = change(client, Article.objects.get(pk=article.pk), **{
        "editorial_notes-TOTAL_FORMS": "1", "editorial_notes-0-text": "Ghi chú nội bộ: kiểm tra lại số liệu."})
    assert response.status_code == 302
    note = EditorialNote.objects.get(article=article)
    assert note.user == editor_b
    form = client.get(f"{ADMIN}{article.pk}/change/").content.decode()
    assert "Ghi chú nội bộ: kiểm tra lại số liệu." in form and "Trần Thị Bình" in form
    client.logout()
    for url in (article.get_absolute_url(), "/", "/rss/", "/tim-kiem/?q=kiem+tra+lai+so+lieu"):
        assert "kiểm tra lại số liệu" not in client.get(url).content.decode(), url


def test_a_mail_server_that_fails_never_breaks_a_save(client, reporter_a, editor_b, settings, caplog,
                                                     django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens
    article = draft_of(reporter_a)
    login(client, reporter_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert change(client, article, _submit_review="Gửi duyệt").status_code == 302
    assert Article.objects.get(pk=article.pk).status == "review"
    assert "Không gửi được thư" in caplog.text


def test_the_calendar_shows_what_went_out_and_what_is_scheduled(client, editor_b):
    now = timezone.now()
    ArticleFactory(title="Bài đã đăng hôm qua", published_at=now - datetime.timedelta(days=1))
    ArticleFactory(title="Bài hẹn giờ tuần sau", published_at=now + datetime.timedelta(days=7))
    ArticleFactory(title="Bài hẹn quá xa", published_at=now + datetime.timedelta(days=30))
    login(client, editor_b)
    page = client.get(f"{ADMIN}lich-xuat-ban/").content.decode()
    assert "Lịch xuất bản" in page
    assert "Bài đã đăng hôm qua" in page and "Bài hẹn giờ tuần sau" in page and "Bài hẹn quá xa" not in page
    scheduled = page[page.index("Bài hẹn giờ tuần sau"):]
    assert scheduled.index("hẹn giờ") < scheduled.index("</li>")
    assert "(hôm nay)" in page
