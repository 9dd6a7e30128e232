"""The front page as a reader on a phone uses it: the lead story and the secondary
stories with their photos, the header's menu opened without JavaScript, a search
from the header, a featured event thread followed to its page; and on a desktop,
"Tin mới nhất" beside "Đọc nhiều" and the threads."""
import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, Category, EventThread
from devtools import samples
from tests import quality

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 800}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
FOUNDING_TITLE = "Đổi mới biện pháp, cách làm đẩy mạnh phong trào thi đua"


@pytest.fixture
def front(live_server):
    """The sample content, and a featured thread of two of its articles."""
    samples.load()
    thread = EventThread.objects.create(
        title="Phong trào thi đua Vì an ninh Tổ quốc", introduction="Các bài về phong trào thi đua.", featured=True,
    )
    thread.articles.add(*Article.objects.published().order_by("-published_at")[:2])
    return thread


def test_on_a_phone_without_javascript_the_menu_opens_and_leads_to_a_category(new_context, front):
    page = new_context(java_script_enabled=False, **PHONE).new_page()
    page.goto("/")
    # The header is one line of name and search, one of the menu: compact on a phone.
    assert page.locator(".masthead").bounding_box()["height"] < 130
    expect(page.locator(".lead-story img")).to_be_visible()
    expect(page.locator(".secondary .card")).to_have_count(4)
    assert quality.horizontal_overflow(page) == 0

    panel = page.locator(".menu-panel")
    expect(panel).to_be_hidden()
    page.locator(".menu summary").click()
    expect(panel).to_be_visible()
    names = list(Category.objects.order_by("position", "name").values_list("name", flat=True))
    expect(panel.locator(".menu-categories a")).to_have_text(names)
    assert quality.horizontal_overflow(page) == 0
    panel.get_by_role("link", name="Giao thông").click()
    expect(page).to_have_url(re.compile(r"/chuyen-muc/giao-thong/$"))
    expect(page.locator("h1")).to_have_text("Giao thông")


def test_a_reader_searches_from_the_header(new_context, front):
    page = new_context(**PHONE).new_page()
    page.goto("/")
    page.get_by_role("searchbox", name="Tìm kiếm trong kho lưu trữ").fill("thi đua")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_role("link", name=FOUNDING_TITLE).first).to_be_visible()
    assert "/tim-kiem/?q=" in page.url


def test_a_featured_thread_leads_to_its_page(new_context, front):
    page = new_context(**PHONE).new_page()
    page.goto("/")
    box = page.locator(".featured-threads")
    expect(box.locator(".thread-articles li")).to_have_count(2)
    box.get_by_role("link", name=front.title).click()
    expect(page.locator("h1")).to_have_text(f"Dòng sự kiện: {front.title}")


def test_on_a_desktop_the_latest_stand_beside_the_threads(new_context, front):
    page = new_context(**DESKTOP).new_page()
    page.goto("/")
    latest, threads = page.locator(".latest").bounding_box(), page.locator(".featured-threads").bounding_box()
    assert threads["x"] > latest["x"] + latest["width"] - 1  # a column of its own, to the right
    # The four secondary stories stand in one row.
    tops = {round(card.bounding_box()["y"]) for card in page.locator(".secondary .card").all()}
    assert len(tops) == 1
