"""The newsroom in a real browser: editors and reporters in the Vietnamese admin,
readers on the public site."""
import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import HANOI, Article
from tests.factories import PASSWORD, CategoryFactory, jpeg_bytes, placements

pytestmark = pytest.mark.browser

TITLE = "Đảm bảo an toàn giao thông dịp Tết"
SLUG = "dam-bao-an-toan-giao-thong-dip-tet"
LEAD = "Công an thành phố Hà Nội triển khai đồng bộ các biện pháp bảo đảm trật tự, an toàn giao thông dịp Tết Nguyên đán."
PARAGRAPH_1 = "Từ ngày 20 tháng Chạp, lực lượng Cảnh sát giao thông tăng cường tuần tra, kiểm soát trên các tuyến phố chính."
PARAGRAPH_2 = "Người dân được khuyến cáo chủ động lựa chọn lộ trình phù hợp, chấp hành nghiêm hiệu lệnh của người điều khiển giao thông."
BODY = f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}"
CAPTION = "Lực lượng CSGT phân luồng tại nút giao"
CATEGORY = "Giao thông"
ADDED = "được thêm vào thành công"  # Django's Vietnamese "was added successfully"
PUBLISH_ACTION = "Xuất bản các bài đã chọn"


def login(page, user):
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#content-main")).to_contain_text("Tên đăng nhập")
    login_button = page.locator("#login-form input[type=submit]")
    expect(login_button).to_have_value("Đăng nhập")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    login_button.click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name")).to_have_text("Quản trị An Ninh Thủ Đô")


def open_add_form(page):
    page.goto("/admin/articles/article/")
    page.get_by_role("link", name="Thêm vào bài viết", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/articles/article/add/$"))
    expect(page.locator("#content h1")).to_contain_text("bài viết")


def fill_text(page, title, lead=LEAD, body=BODY):
    page.fill("#id_title", title)
    page.fill("#id_lead", lead)
    fill_body(page, body)


def fill_body(page, body):
    """Into the body's rich-text editor (static/articles/admin/body-editor.js), which
    hides the textarea: one paragraph per blank-line-separated part."""
    page.locator(".field-body .ProseMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    for index, paragraph in enumerate(body.split("\n\n")):
        if index:
            page.keyboard.press("Enter")
        page.keyboard.insert_text(paragraph)


def body_paragraphs(page):
    """The paragraphs the body's editor shows."""
    return page.locator(".field-body .ProseMirror > p")


def choose_category(page, category):
    """Through the select2 autocomplete, which asks the admin's autocomplete view."""
    page.locator(".field-category .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(category.name[:4])
    page.locator(".select2-results__option", has_text=category.name).click()
    expect(page.locator("#id_category")).to_have_value(str(category.pk))


def save(page):
    page.locator("input[name=_save]").click()
    expect(page.locator(".errornote")).to_have_count(0)
    expect(page.locator(".errorlist")).to_have_count(0)


def create_draft_with_photo(page, tmp_path, category):
    """The editor's draft of test 1, written entirely in the admin."""
    photo_file = tmp_path / "Ảnh phân luồng.jpg"
    photo_file.write_bytes(jpeg_bytes(320, 200))

    open_add_form(page)
    fill_text(page, TITLE)
    choose_category(page, category)
    expect(page.locator("#id_status")).to_have_value(Article.Status.DRAFT)
    page.set_input_files("#id_photos-0-image", photo_file)
    page.fill("#id_photos-0-caption", CAPTION)
    page.locator("input[name=_continue]").click()

    success = page.locator(".messagelist .success")
    expect(success).to_contain_text(TITLE)
    expect(success).to_contain_text(ADDED)
    # Saved, the photo can be placed: until then readers would see it after the body.
    expect(page.locator(".messagelist .info")).to_contain_text(f"Ảnh chưa đặt vào nội dung: “{CAPTION}”")
    page.locator(".field-body .ProseMirror p", has_text=PARAGRAPH_1).click()
    page.keyboard.press("End")
    page.locator(".field-body .prose-menubar").get_by_role("button", name="Chèn ảnh", exact=True).click()
    page.locator("dialog.antd-photo-picker").get_by_role("button", name=re.compile(re.escape(CAPTION))).click()
    save(page)
    expect(page.locator(".messagelist .success")).to_contain_text(TITLE)
    return Article.objects.get(title=TITLE)


def test_editor_writes_a_draft_with_a_photo(page, anonymous_page, editor, tmp_path, media_root):
    category = CategoryFactory(name=CATEGORY)
    login(page, editor)

    article = create_draft_with_photo(page, tmp_path, category)

    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.slug == SLUG
    assert article.lead == LEAD
    assert article.paragraphs() == [PARAGRAPH_1, PARAGRAPH_2]
    assert article.category == category
    assert article.created_by == editor
    photos = list(article.photos.all())
    assert len(photos) == 1
    photo = photos[0]
    assert photo.caption == CAPTION
    assert [(before, placed.pk) for before, placed in placements(article)] == [(1, photo.pk)]
    assert photo.image, "the inline's photo was saved without its file"
    assert re.fullmatch(r"photos/\d{4}/\d{2}/\d{2}/anh-phan-luong-[0-9a-f]{8}\.jpg", photo.image.name)
    assert (media_root / photo.image.name).is_file()
    assert (photo.width, photo.height) == (320, 200)

    preview = article.get_absolute_url()
    assert preview == f"/xem-truoc/{article.pk}/"

    response = anonymous_page.goto(preview)
    assert response.status == 404
    expect(anonymous_page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    assert TITLE not in anonymous_page.content()

    response = page.goto(preview)
    assert response.status == 200
    expect(page.locator("h1.story-title")).to_have_text(TITLE)
    expect(page.locator(".notice")).to_contain_text("bản nháp")


def test_editor_publishes_and_a_reader_finds_the_article(page, anonymous_page, editor, tmp_path, live_server):
    category = CategoryFactory(name=CATEGORY)
    login(page, editor)
    article = create_draft_with_photo(page, tmp_path, category)

    # Not on the home page while it is a draft.
    anonymous_page.goto("/")
    expect(anonymous_page.get_by_role("link", name=TITLE, exact=True)).to_have_count(0)

    page.goto("/admin/articles/article/")
    row = page.locator("#result_list tbody tr", has_text=TITLE)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=PUBLISH_ACTION)
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist .success")).to_have_text("Đã xuất bản 1 bài.")

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    assert article.published_at <= timezone.now()
    day = timezone.localtime(article.published_at, HANOI).date()
    url = f"/{day:%Y/%m/%d}/{SLUG}/"
    assert article.get_absolute_url() == url

    anonymous_page.goto("/")
    # The home page may show a story more than once (lead story, latest, its category's block).
    links = anonymous_page.get_by_role("link", name=TITLE, exact=True)
    expect(links.first).to_be_visible()
    assert set(links.evaluate_all("links => links.map(a => a.getAttribute('href'))")) == {url}
    links.first.click()
    expect(anonymous_page).to_have_url(re.compile(rf"/\d{{4}}/\d{{2}}/\d{{2}}/{SLUG}/$"))
    assert anonymous_page.url.endswith(url)
    anonymous_page.wait_for_load_state("load")

    expect(anonymous_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(anonymous_page.locator(".sapo")).to_have_text(LEAD)
    expect(anonymous_page.locator(".notice")).to_have_count(0)
    figure = anonymous_page.locator(".story-body figure")
    expect(figure).to_have_count(1)
    expect(figure.locator("figcaption")).to_have_text(CAPTION)
    # Position 1: the photo stands after the first paragraph.
    blocks = anonymous_page.locator(".story-body > *").evaluate_all("els => els.map(e => e.tagName)")
    assert blocks == ["P", "FIGURE", "P"]
    image = figure.locator("img")
    expect(image).to_have_attribute("alt", CAPTION)
    loaded = image.evaluate(
        """img => new Promise(done => {
               const report = () => done({naturalWidth: img.naturalWidth, src: img.currentSrc});
               if (img.complete) report();
               else { img.addEventListener("load", report); img.addEventListener("error", report); }
           })"""
    )
    # With srcset/sizes the browser reports a density-corrected width, not the file's pixels.
    assert loaded["naturalWidth"] > 0, f"the photo did not load: {loaded['src']}"
    assert loaded["src"].startswith(f"{live_server.url}/media/"), loaded["src"]


def test_reporter_writes_drafts_but_cannot_publish(page, reporter):
    login(page, reporter)
    open_add_form(page)

    expect(page.locator("[name=status]")).to_have_count(0)
    expect(page.locator(".field-status .readonly")).to_have_text("Bản nháp")
    title = "Phát hiện đường dây làm giả giấy tờ ở Đống Đa"
    fill_text(page, title)
    save(page)
    expect(page.locator(".messagelist .success")).to_contain_text(ADDED)

    article = Article.objects.get(title=title)
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.created_by == reporter

    page.goto("/admin/articles/article/")
    expect(page.locator("#result_list tbody tr", has_text=title)).to_have_count(1)
    # Without the publish permission the action is not offered (with no action left
    # at all, Django leaves the action select out of the page).
    offered = page.locator("select[name=action] option").all_inner_texts()
    assert PUBLISH_ACTION not in offered
    assert not any("Gỡ xuất bản" in label for label in offered)


def test_publication_time_is_entered_day_first(page, anonymous_page, editor):
    title = "Bắt giữ đối tượng trộm cắp tài sản tại Hoàn Kiếm"
    slug = "bat-giu-doi-tuong-trom-cap-tai-san-tai-hoan-kiem"
    login(page, editor)
    open_add_form(page)
    fill_text(page, title)
    page.fill("input[name=published_at_0]", "15/02/2017")
    page.fill("input[name=published_at_1]", "17:30")
    page.locator("#id_status").select_option(label="Đã xuất bản")
    save(page)
    expect(page.locator(".messagelist .success")).to_contain_text(ADDED)

    article = Article.objects.get(title=title)
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == datetime.datetime(2017, 2, 15, 17, 30, tzinfo=HANOI)
    local = timezone.localtime(article.published_at, HANOI)
    assert (local.year, local.month, local.day, local.hour, local.minute) == (2017, 2, 15, 17, 30)
    url = article.get_absolute_url()
    assert url.startswith("/2017/02/15/")
    assert url == f"/2017/02/15/{slug}/"

    response = anonymous_page.goto(url)
    assert response.status == 200
    expect(anonymous_page.get_by_role("heading", level=1)).to_have_text(title)
    expect(anonymous_page.locator(".story .meta time")).to_have_text("Thứ Tư, 15/02/2017, 17:30 (GMT+7)")
