"""The body's rich-text editor in a real browser (articles/admin/editor.py,
static/articles/admin/body-*.js): what an editor writes, places and pastes, as
stored and as the reader's page shows it, under the admin's own CSP."""
import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.test_admin_flow import login, save
from tests.factories import ArticleFactory, PhotoFactory, editor_named

pytestmark = pytest.mark.browser

PARAGRAPH_1 = "Sáng nay, Công an quận Hoàn Kiếm ra quân bảo đảm trật tự đô thị quanh hồ Gươm."
PARAGRAPH_2 = "Các tổ công tác chia nhau tuần tra trên mười tuyến phố trọng điểm."
SUBHEADING = "Xử lý nghiêm vi phạm lấn chiếm vỉa hè"
BOLD = "hơn 30 trường hợp"
QUOTE = "Chúng tôi sẽ duy trì lực lượng đến hết tháng."
ITEMS = ("Thu giữ biển quảng cáo sai phép", "Nhắc nhở các hộ kinh doanh")
CAPTION = "Tổ công tác kiểm tra trên phố Hàng Bài"
OTHER_TITLE = "Triệt phá đường dây đánh bạc qua mạng"

# Observed before any page script runs, and so before the CSP could refuse one.
CSP_WATCH = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (event) => window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""


@pytest.fixture
def editor():
    return editor_named("bientap_rich", "Hà", "Trần Thu")


@pytest.fixture
def watched_page(new_context):
    context = new_context()
    context.add_init_script(CSP_WATCH)
    return context.new_page()


def body_editor(page):
    return page.locator(".field-body .ProseMirror")


def tool(page, label):
    return page.locator(".field-body .prose-menubar").get_by_role("button", name=label, exact=True)


def watch(page):
    """Every script error and CSP refusal the article form reports, kept for the test
    (from the form on: the login page's missing favicon is not the editor's)."""
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))


def open_editor(page, article):
    watch(page)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    expect(body_editor(page)).to_be_visible()  # the module loaded and replaced the textarea


def assert_clean_page(page):
    assert page.evaluate("window.cspViolations") == []
    assert page.errors == []


def story_blocks(page):
    """The public body's top-level elements, as (tag, text)."""
    return page.locator(".story-body").evaluate(
        "body => Array.from(body.children, (el) => [el.tagName.toLowerCase(), el.textContent.trim()])"
    )


def test_editor_writes_a_rich_body_and_places_a_photo(watched_page, editor, new_context):
    page = watched_page
    other = ArticleFactory(title=OTHER_TITLE, body="Công an thành phố triệt phá đường dây đánh bạc.")
    article = ArticleFactory(title="Ra quân lập lại trật tự vỉa hè", body="Nội dung cũ.")
    photo = PhotoFactory(article=article, caption=CAPTION, position=None)
    login(page, editor)
    open_editor(page, article)

    toolbar = page.locator(".field-body .prose-menubar")
    for label in ("Đoạn văn", "Tiêu đề phụ", "Tiêu đề nhỏ", "Chữ đậm", "Chữ nghiêng", "Liên kết",
                  "Trích dẫn", "Danh sách gạch đầu dòng", "Danh sách đánh số", "Chèn ảnh", "Chèn bảng",
                  "Hoàn tác", "Làm lại"):
        expect(toolbar.get_by_role("button", name=label, exact=True)).to_have_count(1)
    notice = page.locator(".antd-body-photos")
    expect(notice).to_contain_text("Ảnh chưa đặt vào nội dung, sẽ hiện sau nội dung bài")
    expect(notice).to_contain_text(CAPTION)

    body = body_editor(page)
    body.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(PARAGRAPH_1)
    page.keyboard.press("Enter")
    page.keyboard.type(PARAGRAPH_2)
    page.keyboard.press("Enter")
    tool(page, "Tiêu đề phụ").click()
    page.keyboard.type(SUBHEADING)
    page.keyboard.press("Enter")
    page.keyboard.type("Lực lượng chức năng đã lập biên bản ")
    tool(page, "Chữ đậm").click()
    page.keyboard.type(BOLD)
    tool(page, "Chữ đậm").click()
    page.keyboard.type(" vi phạm.")
    page.keyboard.press("Enter")
    page.keyboard.type("Xem thêm: ")

    tool(page, "Liên kết").click()
    dialog = page.locator("dialog.antd-link-dialog")
    dialog.get_by_label("Tìm bài viết trong kho").fill("đánh bạc")
    dialog.get_by_role("button", name=re.compile(OTHER_TITLE)).click()
    expect(dialog).to_have_count(0)
    page.keyboard.press("Enter")

    tool(page, "Trích dẫn").click()
    page.keyboard.type(QUOTE)
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty paragraph leaves the quote
    tool(page, "Danh sách gạch đầu dòng").click()
    page.keyboard.type(ITEMS[0])
    page.keyboard.press("Enter")
    page.keyboard.type(ITEMS[1])

    # The photo goes where the cursor is: at the end of the first paragraph.
    body.locator("p", has_text=PARAGRAPH_1).click()
    page.keyboard.press("End")
    tool(page, "Chèn ảnh").click()
    picker = page.locator("dialog.antd-photo-picker")
    picker.get_by_role("button", name=re.compile(CAPTION)).click()
    expect(body.locator(f'figure[data-photo="{photo.pk}"]')).to_contain_text(CAPTION)
    expect(notice).to_be_hidden()

    save(page)
    expect(page.locator(".messagelist .success")).to_contain_text("thành công")
    # The editor wrote only what the allow-list keeps: the server had nothing to drop.
    expect(page.locator(".messagelist .warning")).to_have_count(0)
    assert_clean_page(page)

    stored = Article.objects.get(pk=article.pk).body
    assert stored.startswith(f'<p>{PARAGRAPH_1}</p><figure data-photo="{photo.pk}"></figure><p>{PARAGRAPH_2}</p>')
    assert f'data-article="{other.pk}"' in stored

    reader = new_context().new_page()
    reader.goto(article.get_absolute_url())
    story = reader.locator(".story-body")
    expect(story.locator("h2")).to_have_text(SUBHEADING)
    expect(story.locator("strong")).to_have_text(BOLD)
    link = story.locator(f'a[href="{other.get_absolute_url()}"]')
    expect(link).to_have_text(OTHER_TITLE)
    expect(story.locator("blockquote")).to_have_text(QUOTE)
    expect(story.locator("ul > li")).to_have_text(list(ITEMS))
    blocks = story_blocks(reader)
    assert [tag for tag, _ in blocks[:3]] == ["p", "figure", "p"]
    assert (blocks[0][1], blocks[2][1]) == (PARAGRAPH_1, PARAGRAPH_2)
    expect(story.locator("figure").first.locator("figcaption")).to_contain_text(CAPTION)
    expect(story.locator("figure img")).to_have_count(1)
    link.click()
    expect(reader.locator("h1.story-title")).to_have_text(OTHER_TITLE)


WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<style>p.MsoNormal { font-family: Calibri; }</style><script>window.pwned = "script";</script></head><body>
<h1 class="MsoTitle" style="color:red"><span style="font-family:Arial">Tiêu đề dán từ Word</span></h1>
<p class="MsoNormal" style="margin:0;font-size:12pt" onclick="window.pwned='onclick'"><b><span
 style="font-family:'Times New Roman'">Chữ đậm từ Word</span></b><span lang="VI"> và chữ <font color="red"
 face="Arial">có phông</font> thường.</span></p>
<ul style="margin-top:0"><li class="MsoListParagraph" style="mso-list:l0 level1 lfo1"><span>Mục một</span></li>
<li><span style="color:blue">Mục hai</span></li></ul>
<p><a href="https://antd.vn/tin-khac" class="x" style="color:blue" onmouseover="window.pwned='hover'"
 target="_blank">liên kết ngoài</a> và <a href="javascript:window.pwned='href'">liên kết độc</a></p>
<table class="MsoTableGrid" style="border-collapse:collapse" border="1"><colgroup><col width="200"></colgroup>
<tr><td style="background:yellow" width="200"><b>Đơn vị</b></td><td>Số vụ</td></tr>
<tr><td class="x">Hoàn Kiếm</td><td colspan="1">12</td></tr></table>
<img src="/nowhere.png" onerror="window.pwned='img'">
</body></html>"""

DOCS_HTML = """<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b3c"><h2 dir="ltr"
 style="line-height:1.38;margin-top:18pt"><span style="font-size:16pt;font-family:Arial;color:#000000;font-weight:400;
 vertical-align:baseline">Tiêu đề dán từ Docs</span></h2><p dir="ltr" style="line-height:1.38"><span
 style="font-family:Arial;font-weight:700">Chữ đậm từ Docs</span><span style="font-weight:400"> rồi chữ
 thường.</span></p><ol style="margin-top:0;margin-bottom:0"><li dir="ltr" style="list-style-type:decimal"
 aria-level="1"><p dir="ltr" role="presentation"><span style="font-style:italic">Bước một</span></p></li><li
 dir="ltr"><p dir="ltr"><span>Bước hai</span></p></li></ol></b>"""

LEFTOVERS = re.compile(r"style=|class=|<span|<font|<script|<img|<col|\son\w+=|javascript:|dir=|pwned", re.I)


TYPED = "Đoạn gõ trước khi dán."


def paste(page, html):
    body_editor(page).click()
    page.keyboard.press("Control+A")
    page.keyboard.type(TYPED)
    page.keyboard.press("Enter")  # into an empty paragraph, as an editor pastes a whole document
    page.evaluate(
        """(html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "văn bản thuần");
            document.querySelector(".field-body .ProseMirror").dispatchEvent(
                new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )


@pytest.mark.parametrize(
    ("source", "heading", "bold", "list_tag", "items"),
    [
        (WORD_HTML, "Tiêu đề dán từ Word", "Chữ đậm từ Word", "ul", ["Mục một", "Mục hai"]),
        (DOCS_HTML, "Tiêu đề dán từ Docs", "Chữ đậm từ Docs", "ol", ["Bước một", "Bước hai"]),
    ],
    ids=["word", "google-docs"],
)
def test_a_paste_keeps_the_structure_and_nothing_else(watched_page, editor, new_context, source, heading, bold,
                                                      list_tag, items):
    page = watched_page
    article = ArticleFactory(title="Bài dán nội dung", body="Đoạn có sẵn.")
    login(page, editor)
    open_editor(page, article)
    paste(page, source)
    body = body_editor(page)
    expect(body.locator("h2")).to_have_text(heading)
    page.wait_for_timeout(300)  # the img's onerror, had it survived, would have run by now
    assert page.evaluate("window.pwned") is None

    save(page)
    expect(page.locator(".messagelist .success")).to_contain_text("thành công")
    expect(page.locator(".messagelist .warning")).to_have_count(0)
    assert_clean_page(page)
    stored = Article.objects.get(pk=article.pk).body
    assert stored.startswith(f"<p>{TYPED}</p><h2>")
    assert not LEFTOVERS.search(stored), stored

    reader = new_context().new_page()
    reader.goto(article.get_absolute_url())
    story = reader.locator(".story-body")
    expect(story.locator("h2")).to_have_text(heading)
    expect(story.locator("strong").first).to_have_text(bold)
    expect(story.locator(f"{list_tag} > li")).to_have_text(items)
    rendered = story.inner_html()
    assert not LEFTOVERS.search(rendered), rendered
    if source is WORD_HTML:
        expect(story.locator('a[href="https://antd.vn/tin-khac"]')).to_have_text("liên kết ngoài")
        expect(story.locator("a", has_text="liên kết độc")).to_have_count(0)
        expect(story).to_contain_text("liên kết độc")
        expect(story.locator("table th, table td")).to_have_text(["Đơn vị", "Số vụ", "Hoàn Kiếm", "12"])
    else:
        expect(story.locator("ol em")).to_have_text("Bước một")


def test_a_new_article_says_to_save_before_placing_photos(watched_page, editor):
    page = watched_page
    login(page, editor)
    watch(page)
    page.goto("/admin/articles/article/add/")
    expect(body_editor(page)).to_be_visible()
    expect(page.locator(".antd-body-photos")).to_have_text("Lưu bài để đặt ảnh vào nội dung.")
    tool(page, "Chèn ảnh").click()
    expect(page.locator("dialog.antd-photo-picker")).to_contain_text("Lưu bài để đặt ảnh vào nội dung.")
    page.locator("dialog.antd-photo-picker").get_by_role("button", name="Đóng").click()
    assert_clean_page(page)



def test_a_numbered_list_and_a_table_from_the_toolbar_and_undo(watched_page, editor):
    page = watched_page
    article = ArticleFactory(title="Số liệu tuần tra", body="Đoạn có sẵn.")
    login(page, editor)
    open_editor(page, article)
    body = body_editor(page)
    body.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Kết quả trong tuần:")
    page.keyboard.press("Enter")
    tool(page, "Danh sách đánh số").click()
    page.keyboard.type("Tuần tra 40 lượt")
    page.keyboard.press("Enter")
    page.keyboard.type("Lập 12 biên bản")
    page.wait_for_timeout(700)  # typing after a pause is a step of its own to undo
    page.keyboard.type(" thừa")
    items = body.locator("ol > li")
    tool(page, "Hoàn tác").click()
    expect(items).to_have_text(["Tuần tra 40 lượt", "Lập 12 biên bản"])
    tool(page, "Làm lại").click()
    expect(items).to_have_text(["Tuần tra 40 lượt", "Lập 12 biên bản thừa"])
    tool(page, "Hoàn tác").click()
    expect(items).to_have_text(["Tuần tra 40 lượt", "Lập 12 biên bản"])
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    tool(page, "Chèn bảng").click()
    page.keyboard.type("Đơn vị")
    page.keyboard.press("Tab")
    page.keyboard.type("Số vụ")
    expect(tool(page, "Thêm hàng")).to_be_visible()  # the table's own tools, while in it

    save(page)
    expect(page.locator(".messagelist .warning")).to_have_count(0)
    assert_clean_page(page)
    stored = Article.objects.get(pk=article.pk).body
    assert "<ol><li><p>Tuần tra 40 lượt</p></li><li><p>Lập 12 biên bản</p></li></ol>" in stored
    assert re.search(r"<table><tbody><tr><th[^>]*><p>Đơn vị</p></th><th[^>]*><p>Số vụ</p></th>", stored), stored
