"""The editor's autosaved copy in a real browser: typed text kept on the server as the
editor types, offered again after the tab closed, restored into the form with one
click (select2 choices and photo rows included) and then saved as usual; a new,
never-saved article too; discarded with one click; retried when the server is away."""
import re
import time

import pytest
from playwright.sync_api import expect

from articles.models import Article, Autosave, Revision
from tests.browser.test_admin_flow import body_paragraphs, choose_category, fill_body, login, save
from tests.factories import ArticleFactory, CategoryFactory, PhotoFactory, UserFactory, editor_named

pytestmark = pytest.mark.browser

OFFER = ".antd-live-offer"
RESTORE = "Khôi phục bản đang soạn dở"
DISCARD = "Bỏ bản này"
TITLE = "Cháy kho hàng ở Long Biên, không có thương vong"
LEAD = "Lực lượng PCCC đã khống chế đám cháy sau 40 phút."
BODY = "Khoảng 14 giờ chiều nay, người dân phát hiện khói bốc lên từ kho hàng.\n\nNguyên nhân đang được điều tra."
CAPTION = "Hiện trường vụ cháy nhìn từ trên cao"


@pytest.fixture(autouse=True)
def fast_autosave(settings):
    # live_server runs in a thread of this process: it reads the same settings.
    settings.ANTD = {**settings.ANTD, "LIVE_INTERVAL_SECONDS": 1}


@pytest.fixture
def editor():
    return editor_named("bientap_an", "An", "Nguyễn Văn")


def watched(page):
    """The page, with every script error and CSP refusal it reports kept for the test."""
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    return page


def wait_for_copy(page, user, article, text):
    """Until the server holds the editor's copy with this text in it."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        copy = Autosave.objects.filter(user=user, article=article).first()
        if copy and any(text in value for _, value, _ in copy.fields):
            return copy
        page.wait_for_timeout(200)
    pytest.fail(f"no autosaved copy with {text!r}")


def reopen(context, url):
    page = watched(context.new_page())
    page.goto(url)
    return page


def test_typed_text_survives_a_closed_tab_and_is_restored_and_saved(new_context, editor):
    article = ArticleFactory(title="Tiêu đề cũ", status=Article.Status.DRAFT, published_at=None)
    photo = PhotoFactory(article=article, caption="Chú thích cũ")
    other_category = CategoryFactory(name="Phòng cháy chữa cháy")
    url = f"/admin/articles/article/{article.pk}/change/"
    context = new_context()
    page = watched(context.new_page())
    login(page, editor)
    page.goto(url)
    expect(page.locator(OFFER)).to_have_count(0)

    page.fill("#id_title", TITLE)
    fill_body(page, BODY)
    page.fill("#id_photos-0-caption", CAPTION)
    choose_category(page, other_category)
    wait_for_copy(page, editor, article, CAPTION)
    wait_for_copy(page, editor, article, str(other_category.pk))
    revisions = Revision.objects.filter(article=article).count()
    page.close()  # no save: the tab is gone

    assert Article.objects.get(pk=article.pk).title == "Tiêu đề cũ"  # nothing written into the article
    assert Revision.objects.filter(article=article).count() == revisions
    page = reopen(context, url)
    offer = page.locator(OFFER)
    expect(offer).to_contain_text(re.compile(r"Bạn có một bản đang soạn dở, lưu lúc \d\d:\d\d \d\d/\d\d/\d{4}\."))
    expect(page.locator("#id_title")).to_have_value("Tiêu đề cũ")
    page.get_by_role("button", name=RESTORE).click()
    expect(offer).to_be_hidden()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(body_paragraphs(page)).to_have_text(BODY.split("\n\n"))
    expect(page.locator("#id_photos-0-caption")).to_have_value(CAPTION)
    expect(page.locator("#id_category")).to_have_value(str(other_category.pk))
    expect(page.locator(".field-category .select2-selection__rendered")).to_contain_text(other_category.name)

    save(page)
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.category_id) == (TITLE, other_category.pk)
    assert stored.paragraphs() == BODY.split("\n\n")
    assert stored.photos.get(pk=photo.pk).caption == CAPTION
    assert not Autosave.objects.filter(user=editor).exists()  # the copy is spent
    assert page.errors == []


def test_a_new_never_saved_article_is_restored_and_created(new_context, editor):
    context = new_context()
    page = watched(context.new_page())
    login(page, editor)
    page.goto("/admin/articles/article/add/")
    expect(page.locator(OFFER)).to_have_count(0)
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", LEAD)
    fill_body(page, BODY)
    wait_for_copy(page, editor, None, BODY.splitlines()[-1])
    page.close()
    assert not Article.objects.exists()

    page = reopen(context, "/admin/articles/article/add/")
    expect(page.locator(OFFER)).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("")
    page.get_by_role("button", name=RESTORE).click()
    expect(page.locator(OFFER)).to_be_hidden()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_lead")).to_have_value(LEAD)
    save(page)
    expect(page.locator(".messagelist .success")).to_contain_text("được thêm vào thành công")

    article = Article.objects.get()
    assert (article.title, article.lead) == (TITLE, LEAD)
    assert article.paragraphs() == BODY.split("\n\n")
    assert article.created_by == editor
    assert not Autosave.objects.exists()
    assert page.errors == []


def test_discarding_the_copy_removes_the_offer(new_context, editor):
    article = ArticleFactory(title="Tiêu đề cũ", status=Article.Status.DRAFT, published_at=None)
    url = f"/admin/articles/article/{article.pk}/change/"
    context = new_context()
    page = watched(context.new_page())
    login(page, editor)
    page.goto(url)
    page.fill("#id_title", TITLE)
    wait_for_copy(page, editor, article, TITLE)
    page.close()

    page = reopen(context, url)
    page.get_by_role("button", name=DISCARD).click()
    expect(page.locator(OFFER)).to_be_hidden()
    assert not Autosave.objects.exists()
    page.reload()
    expect(page.locator("#antd-live")).to_have_count(1)
    expect(page.locator(OFFER)).to_have_count(0)
    expect(page.locator("#id_title")).to_have_value("Tiêu đề cũ")
    assert page.errors == []


def test_a_failed_autosave_is_said_quietly_and_retried(new_context, editor):
    article = ArticleFactory(title="Tiêu đề cũ", status=Article.Status.DRAFT, published_at=None)
    page = watched(new_context().new_page())
    login(page, editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.route("**/autosave/", lambda route: route.abort())  # the connection is lost
    page.fill("#id_title", TITLE)
    status = page.locator(".antd-live-status")
    expect(status).to_have_text("Chưa lưu tạm được, sẽ thử lại")
    assert not Autosave.objects.exists()

    page.unroute("**/autosave/")  # back online: the next tick sends the same text
    wait_for_copy(page, editor, article, TITLE)
    expect(status).to_be_hidden()
    assert [e for e in page.errors if "autosave" not in e and "ERR_FAILED" not in e] == []


def test_restored_photo_rows_are_added_as_the_editor_added_them(new_context, editor):
    article = ArticleFactory(title="Tiêu đề cũ", status=Article.Status.DRAFT, published_at=None)
    PhotoFactory(article=article)
    url = f"/admin/articles/article/{article.pk}/change/"
    context = new_context()
    page = watched(context.new_page())
    login(page, editor)
    page.goto(url)
    expect(page.locator("#id_photos-TOTAL_FORMS")).to_have_value("2")  # the photo and one blank row
    page.locator("#photos-group .add-row a").click()
    page.fill("#id_photos-2-caption", CAPTION)
    wait_for_copy(page, editor, article, CAPTION)
    page.close()

    page = reopen(context, url)
    expect(page.locator("#id_photos-TOTAL_FORMS")).to_have_value("2")
    page.get_by_role("button", name=RESTORE).click()
    expect(page.locator("#id_photos-TOTAL_FORMS")).to_have_value("3")
    expect(page.locator("#id_photos-2-caption")).to_have_value(CAPTION)
    assert page.errors == []


def test_a_restored_copy_still_cannot_overwrite_a_colleagues_newer_version(new_context, editor):
    article = ArticleFactory(title="Tiêu đề cũ", status=Article.Status.DRAFT, published_at=None)
    colleague = UserFactory(username="bientap_binh", first_name="Bình", last_name="Trần Thị", is_staff=True)
    url = f"/admin/articles/article/{article.pk}/change/"
    context = new_context()
    page = watched(context.new_page())
    login(page, editor)
    page.goto(url)  # opened on the version before the colleague's
    theirs = Article.objects.get(pk=article.pk)
    theirs.lead, theirs.updated_by = "Sapo do đồng nghiệp sửa.", colleague
    theirs.save()
    page.fill("#id_title", TITLE)  # typed after their save: the copy is newer than the article
    wait_for_copy(page, editor, article, TITLE)
    page.close()

    page = reopen(context, url)
    page.get_by_role("button", name=RESTORE).click()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    page.locator("input[name=_save]").click()
    expect(page.locator(".errorlist.nonfield")).to_contain_text(
        re.compile(r"Bài này đã được Trần Thị Bình lưu lúc \d\d:\d\d \d\d/\d\d/\d{4}")
    )
    expect(page.locator("#id_title")).to_have_value(TITLE)  # nothing typed is lost
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.lead) == ("Tiêu đề cũ", "Sapo do đồng nghiệp sửa.")
