"""Two editors with one article's form open in two browsers: each is told, by name,
that the other is there, and the notice goes when the other leaves."""
import pytest
from playwright.sync_api import expect

from articles.models import Article, EditingSession
from tests.browser.test_admin_flow import login
from tests.factories import ArticleFactory, editor_named

pytestmark = pytest.mark.browser

NOTICE = ".antd-live-presence"



@pytest.fixture(autouse=True)
def fast_heartbeat(settings):
    # live_server runs in a thread of this process: it reads the same settings.
    settings.ANTD = {**settings.ANTD, "LIVE_INTERVAL_SECONDS": 1}


def test_each_editor_sees_the_other_by_name_until_the_other_leaves(new_context):
    article = ArticleFactory(title="Bài hai người cùng mở", status=Article.Status.DRAFT, published_at=None)
    url = f"/admin/articles/article/{article.pk}/change/"
    page_a, page_b = new_context().new_page(), new_context().new_page()
    login(page_a, editor_named("bientap_a", "An", "Nguyễn Văn"))
    login(page_b, editor_named("bientap_b", "Bình", "Trần Thị"))

    page_a.goto(url)
    expect(page_a.locator(NOTICE)).to_be_hidden()  # alone, for now
    page_b.goto(url)
    # B is told at once (the page itself names A); A within a heartbeat or two.
    expect(page_b.locator(NOTICE)).to_have_text("Nguyễn Văn An đang sửa bài này")
    expect(page_a.locator(NOTICE)).to_have_text("Trần Thị Bình đang sửa bài này")
    expect(page_a.locator(NOTICE)).to_be_visible()

    page_b.close()  # the tab closes: its beacon says so, no waiting for 30 seconds
    expect(page_a.locator(NOTICE)).to_be_hidden(timeout=5_000)
    # Kept as left, so that a heartbeat B sent before closing cannot bring B back.
    assert list(EditingSession.objects.filter(user__username="bientap_b").values_list("left", flat=True)) == [True]
