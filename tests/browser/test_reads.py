""""Đọc nhiều" in a real browser, against the live server with the whole-page
cache on and the real Redis: opening an article sends our beacon and the view
arrives, also when the page comes from the page cache; a bot's does not count;
the home page's list shows the article once its minute has passed."""
import time

import pytest
from playwright.sync_api import expect

from articles.models import HourlyReads
from articles.reads import counting
from tests.factories import ArticleFactory
from tests.test_reads import BOTS, BROWSER, redis_settings

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def page_cache_and_redis(settings):
    # live_server runs in a thread of this process: it reads the same settings.
    settings.ANTD = {**settings.ANTD, "PAGE_CACHE_SECONDS": 600}
    redis_settings(settings)


def views_of(article):
    pending = sum(n for (pk, _), n in counting.pending().items() if pk == article.pk)
    return pending + sum(HourlyReads.objects.filter(article=article).values_list("count", flat=True))


def wait_for_views(article, expected, timeout=10):
    deadline = time.monotonic() + timeout
    while views_of(article) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert views_of(article) == expected


def open_article(new_context, url, agent):
    page = new_context(user_agent=agent).new_page()
    with page.expect_response(lambda r: r.url.endswith("/_doc/")) as beacon:
        response = page.goto(url)
    assert response.status == 200
    assert beacon.value.status == 204
    assert beacon.value.request.method == "POST"
    return page, response


def a_minute_passes(monkeypatch):
    """This process's clock a minute on, and what Redis would have let go by then:
    every key due within the minute (the home page kept with its list among them,
    so a page kept longer than its list fails the test)."""
    clock = time.time
    monkeypatch.setattr(time, "time", lambda: clock() + 61)
    client = counting.redis_client()
    prefix = counting.pending_key("")[: -len("reads:")]
    for key in client.scan_iter(match=f"{prefix}*"):
        if 0 < client.ttl(key) <= 61:
            client.delete(key)


def test_a_readers_view_arrives_a_bots_does_not_and_the_list_follows(new_context, monkeypatch):
    article = ArticleFactory(title="Bắt nhóm đối tượng cướp giật tài sản trên phố")
    url = article.get_absolute_url()
    home = new_context(user_agent=BROWSER).new_page()
    home.goto("/")
    expect(home.locator(".most-read")).to_have_count(0)  # nothing read yet

    page, first = open_article(new_context, url, BROWSER)
    wait_for_views(article, 1)
    assert "set-cookie" not in first.headers
    script = page.locator("script[src*='reads']")
    expect(script).to_have_attribute("data-article", str(article.pk))

    _, again = open_article(new_context, url, BROWSER)  # the page cache's copy, counted all the same
    assert again.headers["etag"] == first.headers["etag"]
    wait_for_views(article, 2)

    open_article(new_context, url, BOTS[0])
    open_article(new_context, url, BOTS[3])  # a headless browser that says so
    assert views_of(article) == 2

    a_minute_passes(monkeypatch)
    home.reload()
    expect(home.locator(".most-read [data-window='day'] a")).to_have_text([article.title])
