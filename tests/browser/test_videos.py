"""A video link in the body's editor (static/articles/admin/body-videos.js): inserted
with "Chèn video", saved, described by its host after commit (a real HTTP server on
127.0.0.1, tests/test_videos.py), and shown to readers as a card that makes the
browser ask nothing of another host."""
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from articles.models import Article, Video
from tests.browser.test_admin_flow import login, save
from tests.browser.test_rich_body import assert_clean_page, body_editor, open_editor, tool, watched_page  # noqa: F401
from tests.factories import ArticleFactory, editor_named
from tests.quality import axe_violations, describe_violation, horizontal_overflow, validate_html, wide_elements
from tests.test_videos import TITLE, YOUTUBE_ID, YOUTUBE_URL, host  # noqa: F401 (host is a fixture)

pytestmark = pytest.mark.browser

PARAGRAPH = "Công an quận Hoàn Kiếm ra quân bảo đảm trật tự đô thị quanh hồ Gươm."


@pytest.fixture
def editor():
    return editor_named("bientap_video", "Hà", "Trần Thu")


def insert_video(page, address):
    tool(page, "Chèn video").click()
    dialog = page.locator("dialog.antd-video-dialog")
    field = dialog.get_by_label("Đường dẫn video YouTube hoặc Facebook")
    field.fill(address)
    dialog.get_by_role("button", name="Chèn video").click()
    return dialog, field


def test_an_editor_inserts_a_youtube_link_and_readers_get_a_card_from_our_server(
        watched_page, editor, host, new_context, live_server):
    page = watched_page
    article = ArticleFactory(title="Ra quân lập lại trật tự vỉa hè", body=PARAGRAPH)
    login(page, editor)
    open_editor(page, article)

    body_editor(page).locator("p", has_text=PARAGRAPH).click()
    page.keyboard.press("End")
    dialog, field = insert_video(page, f"https://youtube.com.evil.example/watch?v={YOUTUBE_ID}")
    expect(dialog).to_be_visible()  # refused, in Vietnamese, and nothing inserted
    assert "Chỉ chèn được video YouTube" in field.evaluate("input => input.validationMessage")
    dialog.get_by_role("button", name="Hủy").click()
    expect(body_editor(page).locator("figure[data-video]")).to_have_count(0)

    insert_video(page, f"https://youtu.be/{YOUTUBE_ID}?si=chia-se")
    placed = body_editor(page).locator(f'figure[data-video="{YOUTUBE_URL}"]')
    expect(placed).to_contain_text("Video trên YouTube")
    expect(placed).to_contain_text(YOUTUBE_URL)
    save(page)
    expect(page.locator(".messagelist .success")).to_contain_text("thành công")
    expect(page.locator(".messagelist .warning")).to_have_count(0)
    assert_clean_page(page)

    assert Article.objects.get(pk=article.pk).body == f'<p>{PARAGRAPH}</p><figure data-video="{YOUTUBE_URL}"></figure>'
    video = Video.objects.get()  # fetched once the save committed
    assert video.title == TITLE and video.thumbnail.name.startswith("videos/")

    reader = new_context(bypass_csp=True).new_page()  # for axe's script at the end; the page's own is 'self'
    requested = []
    reader.on("request", lambda request: requested.append(request.url))
    reader.goto(article.get_absolute_url())
    card = reader.locator(".story-body figure.video")
    card.scroll_into_view_if_needed()
    expect(card.locator("figcaption")).to_have_text(TITLE)
    play = card.get_by_role("link", name="Xem video trên YouTube")
    expect(play).to_have_attribute("href", YOUTUBE_URL)
    expect(play).to_have_attribute("rel", "noopener noreferrer")
    thumbnail = card.locator("img")
    expect(thumbnail).to_have_attribute("src", video.thumbnail.url)
    reader.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    expect(reader.locator("iframe")).to_have_count(0)
    ours = urlsplit(live_server.url).netloc
    assert any(urlsplit(url).path == video.thumbnail.url for url in requested)
    assert [url for url in requested if urlsplit(url).netloc != ours] == []

    # The card on a phone: no sideways scroll, valid HTML, nothing serious for axe.
    assert horizontal_overflow(reader) <= 0, wide_elements(reader)
    assert validate_html(reader.content()) == []
    assert [line for violation in axe_violations(reader) for line in describe_violation(violation)] == []
