"""Reading an article in a real browser: the share links request nothing from another
host, "Sao chép liên kết" copies the address, the system share sheet where the browser
has one, the print stylesheet and dark mode."""
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from articles.models import Article
from devtools import samples
from tests.browser.test_quality import rich_article
from tests.browser.test_rich_body import CSP_WATCH, watch
from tests.quality import axe_violations, describe_violation

pytestmark = pytest.mark.browser

FOUNDING_URL = "/2017/02/15/doi-moi-bien-phap-cach-lam-day-manh-phong-trao-thi-dua/"
HIDDEN_IN_PRINT = [".masthead", ".footer", ".breadcrumbs", ".share", ".neighbours", ".related"]


@pytest.fixture
def article(live_server):
    """The sample content: the founding article with its photos, neighbours and related articles."""
    samples.load()
    return Article.objects.get(external_id=samples.FOUNDING_ARTICLE)


def reader(new_context, **options):
    """A reader's page, its script errors and CSP refusals watched."""
    context = new_context(**options)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    watch(page)
    return page


def assert_clean_page(page):
    """No CSP refusal and no script error (the browser's own favicon request may 404)."""
    assert page.evaluate("window.cspViolations") == []
    assert [error for error in page.errors if "404 (Not Found)" not in error] == []


def canonical(page):
    return page.locator('link[rel="canonical"]').get_attribute("href")


def display(page, selector):
    return page.locator(selector).first.evaluate("element => getComputedStyle(element).display")


def test_the_article_page_requests_nothing_from_another_host(new_context, live_server, article):
    page = reader(new_context)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(FOUNDING_URL)
    # Every lazy photo asked for, then the network quiet.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")

    ours = urlsplit(live_server.url).netloc
    assert requested and requested[0] == live_server.url + FOUNDING_URL
    assert any(url.endswith("/static/js/share.js") for url in requested), requested
    assert [url for url in requested if urlsplit(url).netloc != ours] == []
    shares = page.locator(".share-links a")
    expect(shares).to_have_text(["Facebook", "Zalo", "X", "E-mail", "Sao chép liên kết"])
    assert_clean_page(page)


def test_copy_link_puts_the_address_on_the_clipboard_and_says_so(new_context, article):
    page = reader(new_context, permissions=["clipboard-read", "clipboard-write"])
    page.goto(FOUNDING_URL)
    copy = page.get_by_role("button", name="Sao chép liên kết")
    copy.click()
    expect(page.locator(".share-status")).to_have_text("Đã sao chép liên kết")
    assert page.evaluate("navigator.clipboard.readText()") == canonical(page)
    assert urlsplit(page.url).path == FOUNDING_URL  # copied, not followed
    assert_clean_page(page)


def test_without_javascript_the_share_links_are_plain_links(new_context, article):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(FOUNDING_URL)
    expect(page.get_by_role("link", name="Sao chép liên kết")).to_have_attribute("href", canonical(page))
    expect(page.get_by_role("link", name="Facebook")).to_have_attribute("rel", "noopener noreferrer")
    expect(page.get_by_role("button", name="Chia sẻ")).to_have_count(0)


SHARE_SHEET = """
window.shared = [];
Object.defineProperty(Navigator.prototype, "share", {
  configurable: true,
  value: function (data) { window.shared.push(data); return Promise.resolve(); },
});
"""


def test_the_system_share_sheet_where_the_browser_has_one(new_context, article):
    page = reader(new_context)
    page.goto(FOUNDING_URL)
    has_share = page.evaluate("typeof navigator.share === 'function'")
    expect(page.get_by_role("button", name="Chia sẻ", exact=True)).to_have_count(1 if has_share else 0)

    context = new_context()
    context.add_init_script(SHARE_SHEET)  # a phone's Web Share API, as Chromium on Linux has none
    phone = context.new_page()
    phone.goto(FOUNDING_URL)
    phone.get_by_role("button", name="Chia sẻ", exact=True).click()
    assert phone.evaluate("window.shared") == [{"title": article.title, "url": canonical(phone)}]


def test_print_shows_the_article_alone_with_its_address_and_date(new_context, article):
    page = reader(new_context)
    page.goto(FOUNDING_URL)
    assert display(page, ".print-url") == "none"
    assert all(display(page, selector) != "none" for selector in HIDDEN_IN_PRINT)

    page.emulate_media(media="print")
    assert {selector: display(page, selector) for selector in HIDDEN_IN_PRINT} == dict.fromkeys(HIDDEN_IN_PRINT, "none")
    expect(page.locator(".print-url")).to_be_visible()
    expect(page.locator(".print-url")).to_have_text(f"Bài viết tại: {canonical(page)}")
    expect(page.locator(".story-head time").first).to_be_visible()
    expect(page.locator(".story-head time").first).to_have_text("Thứ Tư, 15/02/2017, 17:30 (GMT+7)")
    expect(page.locator(".story-title")).to_be_visible()
    expect(page.locator(".story-body")).to_be_visible()
    # Black on white on paper, whatever the screen's scheme.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(part)) for part in rgb[rgb.index("(") + 1:-1].split(",")[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_dark_mode_follows_the_system_setting_and_keeps_its_contrast(new_context, article):
    light = reader(new_context, color_scheme="light")
    light.goto(FOUNDING_URL)
    assert light.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"

    # axe-core is injected as an inline script, which our own CSP rightly refuses.
    dark = new_context(color_scheme="dark", bypass_csp=True).new_page()
    # The article with every element of a body (a table, a notice, corrections), the founding one, the home page.
    for path in (rich_article(article).get_absolute_url(), FOUNDING_URL, "/"):
        dark.goto(path)
        background = dark.evaluate("getComputedStyle(document.body).backgroundColor")
        text = dark.evaluate("getComputedStyle(document.body).color")
        assert luminance(background) < 0.02 and luminance(text) > 0.6, (path, background, text)
        violations = axe_violations(dark)
        assert not violations, "\n".join(line for violation in violations for line in describe_violation(violation))
