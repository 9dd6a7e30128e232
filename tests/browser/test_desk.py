"""The editorial desk in a real browser (issue 14): a reporter and an editor, each in a
browser context of their own, around one article: submit, the queue, a return with its
reason, the reason read, a resubmission, publication, the reader's page and the
article's history; the mail they get (Django's locmem backend: the live server's
requests commit for real, so the after-commit mail goes out). Then: a waiting article is
read-only for its reporter, who may withdraw it; a reporter's forged requests to publish
are refused; "Lịch xuất bản". Server-side rules: tests/test_desk.py."""
import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from articles import dates
from articles.models import HANOI, Article
from tests.browser.test_admin_flow import body_paragraphs, fill_body, login
from tests.factories import ArticleFactory, editor_named

pytestmark = pytest.mark.browser

ADMIN = "/admin/articles/article/"
TITLE = "Triệt phá đường dây đánh bạc qua mạng"
LEAD = "Công an quận Hoàng Mai vừa triệt phá một đường dây đánh bạc qua mạng với số tiền giao dịch hàng tỷ đồng."
PARAGRAPH_1 = "Qua công tác nắm tình hình, trinh sát phát hiện nhóm đối tượng tổ chức đánh bạc trên mạng."
PARAGRAPH_2 = "Cơ quan điều tra đang tiếp tục mở rộng vụ án."
PARAGRAPH_2_FIXED = "Theo nguồn tin từ Cơ quan điều tra, vụ án đang được tiếp tục mở rộng."
REASON = "Đoạn hai thiếu nguồn tin: ghi rõ ai cung cấp."

SUBMITTED = "Đã gửi bài cho biên tập viên duyệt."
ADDED = f"Bài viết “{TITLE}” được thêm vào thành công."
CHANGED = f"Bài viết “{TITLE}” đã được thay đổi thành công."
RETURNED = "Đã trả lại bài cho phóng viên kèm ghi chú."
PUBLISHED = "Đã xuất bản bài."
WITHDRAWN = "Đã rút bài về bản nháp: bạn có thể sửa tiếp."
WAITING = "Bài đang chờ biên tập viên duyệt: bạn chỉ xem được, không sửa được."
NEEDS_REASON = "Hãy ghi lý do trả lại bài để phóng viên biết cần sửa gì."
EDITORS_ONLY = "Chỉ biên tập viên mới được xuất bản hoặc trả lại bài."
CORRECT_BELOW = "Hãy sửa các lỗi dưới đây."  # articles/locale/vi: "Please correct the error below."


@pytest.fixture
def reporter_an():
    user = editor_named("phongvien_an", "An", "Nguyễn Văn", group="Phóng viên")
    user.email = "an@antd.vn"
    user.save()
    return user


@pytest.fixture
def editor_binh():
    user = editor_named("bientap_binh", "Bình", "Trần Thị")
    user.email = "binh@antd.vn"
    user.save()
    return user


def logged_in(new_context, user):
    page = new_context().new_page()
    login(page, user)
    return page


def messages(page):
    return page.locator(".messagelist li")


def expect_messages(page, *texts):
    expect(messages(page)).to_have_text(list(texts))


def status_of(article):
    return Article.objects.get(pk=article.pk).status


def queue(page):
    return page.locator("section.antd-queue")


def open_from_queue(page, title):
    page.goto("/admin/")
    queue(page).get_by_role("link", name=title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"{ADMIN}\d+/change/$"))
    expect(page.locator("#id_title")).to_have_value(title)


def desk_button(page, name):
    return page.locator(f".antd-desk-moves input[name={name}]")


def expect_read_only_for_reporter(page):
    expect(page.locator(".antd-waiting")).to_have_text(WAITING)
    expect(page.locator("input[name=_save]")).to_have_count(0)
    expect(page.locator("input[name=_continue]")).to_have_count(0)
    expect(page.locator("input[name=_submit_review]")).to_have_count(0)
    expect(page.locator("#id_title")).to_have_count(0)  # shown, not editable
    expect(page.locator(".field-body .ProseMirror")).to_have_count(0)
    expect(page.locator(".antd-withdraw button")).to_have_text("Rút về nháp")


def test_submit_return_resubmit_publish_with_a_reporter_and_an_editor(new_context, reporter_an, editor_binh):
    reporter = logged_in(new_context, reporter_an)
    editor = logged_in(new_context, editor_binh)

    # The editor's desk is empty.
    editor.goto("/admin/")
    expect(queue(editor).locator("h2")).to_have_text("Bài chờ duyệt (0)")
    expect(queue(editor)).to_contain_text("Không có bài nào chờ duyệt.")

    # The reporter writes a draft and sends it for review.
    reporter.goto(f"{ADMIN}add/")
    expect(reporter.locator("input[name=_publish]")).to_have_count(0)
    expect(reporter.locator("input[name=_return]")).to_have_count(0)
    expect(reporter.locator("textarea[name=desk_note]")).to_have_count(0)
    reporter.fill("#id_title", TITLE)
    reporter.fill("#id_lead", LEAD)
    fill_body(reporter, f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}")
    expect(body_paragraphs(reporter)).to_have_text([PARAGRAPH_1, PARAGRAPH_2])
    submit = desk_button(reporter, "_submit_review")
    expect(submit).to_have_value("Gửi duyệt")
    submit.click()
    expect(reporter).to_have_url(re.compile(rf"{ADMIN}$"))
    expect_messages(reporter, SUBMITTED, ADDED)
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.REVIEW
    assert article.created_by == reporter_an
    assert article.paragraphs() == [PARAGRAPH_1, PARAGRAPH_2]
    assert [(m.to, m.subject) for m in mail.outbox] == [(["binh@antd.vn"], f"Bài chờ duyệt: {TITLE}")]
    assert f"{ADMIN}{article.pk}/change/" in mail.outbox[0].body
    row = reporter.locator("#result_list tbody tr", has_text=TITLE)
    expect(row.locator("td.field-desk_state")).to_have_text("Chờ duyệt")

    # While it waits the reporter only reads it.
    reporter.goto(f"{ADMIN}{article.pk}/change/")
    expect_read_only_for_reporter(reporter)
    expect(reporter.locator(".antd-returned")).to_have_count(0)

    # The editor's index: one waiting, sent by the reporter, a minute ago.
    editor.goto("/admin/")
    expect(queue(editor).get_by_role("link", name="Bài chờ duyệt (1)", exact=True)).to_be_visible()
    rows = queue(editor).locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("td")).to_have_text([TITLE, "Nguyễn Văn An", "1 phút"])
    expect(queue(editor).locator("thead th")).to_have_text(["Bài", "Phóng viên", "Đã chờ"])
    # The article list shows the same queue.
    editor.goto(ADMIN)
    expect(queue(editor).locator("h2")).to_have_text("Bài chờ duyệt (1)")
    expect(queue(editor).locator("tbody tr td").nth(1)).to_have_text("Nguyễn Văn An")

    # The editor returns it: first without a reason, refused.
    open_from_queue(editor, TITLE)
    expect(editor.locator("label[for=id_desk_note]")).to_have_text("Lý do trả lại:")
    expect(desk_button(editor, "_publish")).to_have_value("Xuất bản")
    expect(desk_button(editor, "_return")).to_have_value("Trả lại")
    expect(editor.locator("input[name=_submit_review]")).to_have_count(0)
    desk_button(editor, "_return").click()
    expect(editor.locator(".errornote")).to_have_text(CORRECT_BELOW)
    expect(editor.locator(".field-desk_note .errorlist")).to_have_text(NEEDS_REASON)
    expect(messages(editor)).to_have_count(0)
    assert status_of(article) == Article.Status.REVIEW
    assert len(mail.outbox) == 1

    # Then with one.
    editor.fill("textarea[name=desk_note]", REASON)
    desk_button(editor, "_return").click()
    expect(editor).to_have_url(re.compile(rf"{ADMIN}$"))
    expect_messages(editor, RETURNED, CHANGED)
    expect(queue(editor).locator("h2")).to_have_text("Bài chờ duyệt (0)")
    assert status_of(article) == Article.Status.DRAFT
    returned_mail = mail.outbox[1]
    assert (returned_mail.to, returned_mail.subject) == (["an@antd.vn"], f"Bài bị trả lại: {TITLE}")
    assert f"Lý do: {REASON}" in returned_mail.body

    # The reporter reloads the form: the reason at the top, the form editable again.
    reporter.reload()
    returned = reporter.locator(".antd-returned")
    expect(returned).to_be_visible()
    expect(returned.locator("p")).to_have_text(
        re.compile(r"^Bài bị trả lại bởi Trần Thị Bình lúc \d\d:\d\d \d\d/\d\d/\d{4}:$"))
    expect(returned.locator("blockquote")).to_have_text(REASON)
    expect(reporter.locator(".antd-waiting")).to_have_count(0)
    expect(reporter.locator(".antd-withdraw")).to_have_count(0)
    expect(reporter.locator("input[name=_save]")).to_have_count(1)
    # ... and in their list.
    reporter.goto(ADMIN)
    row = reporter.locator("#result_list tbody tr", has_text=TITLE)
    expect(row.locator("td.field-desk_state")).to_have_text(f"Bản nhápBị trả lại: {REASON}")
    expect(row.locator("td.field-desk_state strong")).to_have_text("Bị trả lại:")

    # The reporter fixes the second paragraph and sends it again.
    row.get_by_role("link", name=TITLE, exact=True).click()
    expect(reporter.locator(".antd-returned blockquote")).to_have_text(REASON)
    reporter.locator(".field-body .ProseMirror p", has_text=PARAGRAPH_2).click()
    fill_body(reporter, f"{PARAGRAPH_1}\n\n{PARAGRAPH_2_FIXED}")
    expect(body_paragraphs(reporter)).to_have_text([PARAGRAPH_1, PARAGRAPH_2_FIXED])
    desk_button(reporter, "_submit_review").click()
    expect(reporter).to_have_url(re.compile(rf"{ADMIN}$"))
    expect_messages(reporter, SUBMITTED, CHANGED)
    assert status_of(article) == Article.Status.REVIEW
    assert Article.objects.get(pk=article.pk).paragraphs() == [PARAGRAPH_1, PARAGRAPH_2_FIXED]
    assert [(m.to, m.subject) for m in mail.outbox[2:]] == [(["binh@antd.vn"], f"Bài chờ duyệt: {TITLE}")]

    # The editor publishes it.
    editor.goto("/admin/")
    expect(queue(editor).locator("h2")).to_have_text("Bài chờ duyệt (1)")
    open_from_queue(editor, TITLE)
    expect(body_paragraphs(editor)).to_have_text([PARAGRAPH_1, PARAGRAPH_2_FIXED])
    desk_button(editor, "_publish").click()
    expect(editor).to_have_url(re.compile(rf"{ADMIN}$"))
    expect_messages(editor, PUBLISHED, CHANGED)
    expect(queue(editor).locator("h2")).to_have_text("Bài chờ duyệt (0)")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at <= timezone.now()
    published_mail = mail.outbox[3]
    assert (published_mail.to, published_mail.subject) == (["an@antd.vn"], f"Bài đã xuất bản: {TITLE}")
    assert [m.to for m in mail.outbox] == [["binh@antd.vn"], ["an@antd.vn"], ["binh@antd.vn"], ["an@antd.vn"]]

    # A reader finds it.
    day = timezone.localtime(article.published_at, HANOI).date()
    url = article.get_absolute_url()
    assert url == f"/{day:%Y/%m/%d}/{article.slug}/"
    reader = new_context().new_page()
    response = reader.goto(url)
    assert response.status == 200
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.locator(".sapo")).to_have_text(LEAD)
    expect(reader.locator(".story-body > p")).to_have_text([PARAGRAPH_1, PARAGRAPH_2_FIXED])
    assert REASON not in reader.content()

    # The history page lists the four moves, newest first, with from → to.
    editor.goto(f"{ADMIN}{article.pk}/change/")
    editor.get_by_role("link", name="Lịch sử").click()
    expect(editor).to_have_url(re.compile(rf"{ADMIN}{article.pk}/history/$"))
    expect(editor.locator("#audit thead th")).to_have_text(["Lúc", "Người làm", "Việc", "Trạng thái", "Ghi chú"])
    audit = editor.locator("#audit tbody tr")
    expect(audit).to_have_count(4)
    cells = audit.evaluate_all(
        "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.textContent.trim()))")
    assert cells == [
        ["Trần Thị Bình", "Xuất bản", "Chờ duyệt → Đã xuất bản", ""],
        ["Nguyễn Văn An", "Gửi duyệt", "Bản nháp → Chờ duyệt", ""],
        ["Trần Thị Bình", "Trả lại", "Chờ duyệt → Bản nháp", REASON],
        ["Nguyễn Văn An", "Gửi duyệt", "Bản nháp → Chờ duyệt", ""],
    ]
    expect(audit.locator("th").first).to_have_text(re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d$"))


def test_a_waiting_article_is_read_only_for_its_reporter_who_withdraws_it(new_context, reporter_an, editor_binh):
    article = ArticleFactory(title=TITLE, status=Article.Status.DRAFT, published_at=None, created_by=reporter_an)
    reporter = logged_in(new_context, reporter_an)
    reporter.goto(f"{ADMIN}{article.pk}/change/")
    expect(reporter.locator(".antd-withdraw")).to_have_count(0)
    desk_button(reporter, "_submit_review").click()
    expect_messages(reporter, SUBMITTED, CHANGED)
    assert status_of(article) == Article.Status.REVIEW

    reporter.goto(f"{ADMIN}{article.pk}/change/")
    expect_read_only_for_reporter(reporter)
    expect(reporter.locator(".field-title .readonly")).to_have_text(TITLE)
    # The editor, meanwhile, may change it.
    editor = logged_in(new_context, editor_binh)
    editor.goto(f"{ADMIN}{article.pk}/change/")
    expect(editor.locator(".antd-waiting")).to_have_count(0)
    expect(editor.locator("input[name=_save]")).to_have_count(1)

    reporter.locator(".antd-withdraw button").click()
    expect(reporter).to_have_url(re.compile(rf"{ADMIN}{article.pk}/change/$"))
    expect_messages(reporter, WITHDRAWN)
    assert status_of(article) == Article.Status.DRAFT
    expect(reporter.locator(".antd-waiting")).to_have_count(0)
    expect(reporter.locator(".antd-withdraw")).to_have_count(0)
    expect(reporter.locator(".antd-returned")).to_have_count(0)  # withdrawn, not returned
    expect(reporter.locator("input[name=_save]")).to_have_count(1)
    expect(desk_button(reporter, "_submit_review")).to_have_value("Gửi duyệt")
    expect(reporter.locator("#id_title")).to_have_value(TITLE)

    editor.goto("/admin/")
    expect(queue(editor).locator("h2")).to_have_text("Bài chờ duyệt (0)")
    editor.goto(f"{ADMIN}{article.pk}/history/")
    expect(editor.locator("#audit tbody tr td:nth-child(4)")).to_have_text(
        ["Chờ duyệt → Bản nháp", "Bản nháp → Chờ duyệt"])
    expect(editor.locator("#audit tbody tr td:nth-child(3)")).to_have_text(["Rút về nháp", "Gửi duyệt"])


FORM_FIELDS = """form => [...new FormData(form).entries()]
    .filter(([name, value]) => typeof value === "string")"""


def test_a_reporters_forged_requests_to_publish_are_refused(new_context, reporter_an):
    article = ArticleFactory(title=TITLE, status=Article.Status.DRAFT, published_at=None, created_by=reporter_an)
    reporter = logged_in(new_context, reporter_an)
    change_url = f"{ADMIN}{article.pk}/change/"
    reporter.goto(change_url)
    expect(reporter.locator("input[name=_publish]")).to_have_count(0)
    expect(reporter.locator("select[name=status]")).to_have_count(0)
    token = reporter.locator("#article_form input[name=csrfmiddlewaretoken]").input_value()
    assert token
    pairs = reporter.locator("#article_form").evaluate(FORM_FIELDS)
    fields = dict(pairs)
    assert len(fields) == len(pairs), "a field sent twice would be lost"
    assert fields["csrfmiddlewaretoken"] == token and fields["title"] == TITLE

    # The change form, with the editor's button and the status an editor would choose.
    forged = {**fields, "csrfmiddlewaretoken": token, "status": "published", "_publish": "Xuất bản"}
    response = reporter.request.post(change_url, form=forged, max_redirects=0)
    assert response.status == 200  # the form again, not a redirect after a save
    answer = response.text()
    assert CORRECT_BELOW in answer
    assert f'<ul class="errorlist nonfield"><li>{EDITORS_ONLY}</li></ul>' in answer
    assert status_of(article) == Article.Status.DRAFT
    # The answer, read as a page (scripts off: only what it says).
    shown = new_context(java_script_enabled=False).new_page()
    shown.set_content(answer)
    expect(shown.locator(".errornote")).to_have_text(CORRECT_BELOW)
    expect(shown.locator(".errorlist.nonfield")).to_have_text(EDITORS_ONLY)
    expect(shown.locator("input[name=_publish]")).to_have_count(0)
    expect(shown.locator("input[name=_submit_review]")).to_have_value("Gửi duyệt")

    # The status alone: a read-only field for a reporter, ignored; the draft stays a draft.
    response = reporter.request.post(change_url, form={**fields, "status": "published", "_save": "Lưu lại"})
    assert response.ok and response.url.endswith(ADMIN)  # saved, then the list
    assert re.search(r"Bài viết “<a [^>]*>" + re.escape(TITLE) + "</a>” đã được thay đổi thành công.", response.text())
    stored = Article.objects.get(pk=article.pk)
    assert stored.status == Article.Status.DRAFT and stored.published_at is None

    # The list's action, which a reporter is not offered: a reporter's list has no actions at all,
    # so the posted one is ignored and the list is shown again, with nothing done and nothing said.
    reporter.goto(ADMIN)
    expect(reporter.locator("#result_list tbody tr", has_text=TITLE)).to_have_count(1)
    expect(reporter.locator("select[name=action]")).to_have_count(0)
    token = reporter.locator("#changelist-form input[name=csrfmiddlewaretoken]").input_value()
    response = reporter.request.post(ADMIN, form={
        "csrfmiddlewaretoken": token, "action": "publish", "_selected_action": str(article.pk), "index": "0"},
        max_redirects=0)
    assert response.status == 200
    answer = response.text()
    assert "<title>Chọn bài viết để thay đổi | ANTD</title>" in answer
    assert 'class="messagelist"' not in answer
    assert "Đã xuất bản 1 bài." not in answer  # what the action says when it runs
    stored = Article.objects.get(pk=article.pk)
    assert stored.status == Article.Status.DRAFT and stored.published_at is None
    assert mail.outbox == []
    reporter.goto(ADMIN)
    expect(reporter.locator("#result_list tbody tr", has_text=TITLE).locator("td.field-desk_state")).to_have_text(
        "Bản nháp")


def test_the_publication_calendar(new_context, editor_binh):
    now = timezone.now()
    today = timezone.localtime(now, HANOI).date()
    midnight = datetime.datetime.combine(today, datetime.time(), tzinfo=HANOI)
    out_today = ArticleFactory(title="Bài đã đăng hôm nay",
                               published_at=max(midnight, now - datetime.timedelta(minutes=30)))
    scheduled_at = now + datetime.timedelta(days=3)
    scheduled = ArticleFactory(title="Bài hẹn giờ ba ngày tới", published_at=scheduled_at)
    ArticleFactory(title="Bài nháp không lên lịch", status=Article.Status.DRAFT, published_at=None)

    editor = logged_in(new_context, editor_binh)
    editor.goto("/admin/")
    editor.locator(".antd-calendar-link").get_by_role("link", name="Lịch xuất bản", exact=True).click()
    expect(editor).to_have_url(re.compile(rf"{ADMIN}lich-xuat-ban/$"))
    expect(editor.locator("#content h1")).to_have_text("Lịch xuất bản")
    expect(editor.locator(".antd-calendar > p").first).to_have_text(
        "Những bài đã xuất bản trong 14 ngày qua và những bài hẹn giờ trong 14 ngày tới, theo giờ Hà Nội.")
    expect(editor.locator(".antd-calendar section")).to_have_count(28)
    expect(editor.locator(".antd-calendar")).not_to_contain_text("Bài nháp không lên lịch")

    today_section = editor.locator("section.antd-today")
    expect(today_section.locator("h2")).to_have_text(f"{dates.day_heading(today)} (hôm nay)")
    expect(today_section.locator("li")).to_have_count(1)
    expect(today_section.locator("li")).to_have_text(
        f"{timezone.localtime(out_today.published_at, HANOI):%H:%M} Bài đã đăng hôm nay")
    expect(today_section.locator(".antd-scheduled")).to_have_count(0)

    scheduled_day = timezone.localtime(scheduled_at, HANOI).date()
    heading = dates.day_heading(scheduled_day)
    scheduled_section = editor.get_by_role("region", name=heading, exact=True)
    expect(scheduled_section.locator("h2")).to_have_text(heading)
    expect(scheduled_section.locator("li")).to_have_text(
        f"{timezone.localtime(scheduled_at, HANOI):%H:%M} Bài hẹn giờ ba ngày tới hẹn giờ")
    expect(scheduled_section.locator(".antd-scheduled")).to_have_text("hẹn giờ")
    empty_day = editor.get_by_role("region", name=dates.day_heading(today + datetime.timedelta(days=1)), exact=True)
    expect(empty_day.locator(".antd-empty")).to_have_text("Không có bài.")

    # The links open the articles' forms.
    scheduled_section.get_by_role("link", name="Bài hẹn giờ ba ngày tới", exact=True).click()
    expect(editor).to_have_url(re.compile(rf"{ADMIN}{scheduled.pk}/change/$"))
    expect(editor.locator("#id_title")).to_have_value("Bài hẹn giờ ba ngày tới")
    editor.go_back()
    editor.locator("section.antd-today").get_by_role("link", name="Bài đã đăng hôm nay", exact=True).click()
    expect(editor).to_have_url(re.compile(rf"{ADMIN}{out_today.pk}/change/$"))
    expect(editor.locator("#id_title")).to_have_value("Bài đã đăng hôm nay")
