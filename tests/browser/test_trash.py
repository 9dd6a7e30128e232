"""The trash in a real browser: an editor deletes an article from its form, a
reader finds the site's "gone" page at its address, the editor restores it from
"Thùng rác" and the reader finds it again."""
import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, AuditEntry
from tests.browser.test_admin_flow import login
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.browser

TITLE = "Triệt phá đường dây cá độ bóng đá qua mạng"
RESTORE_ACTION = "Khôi phục các bài đã chọn"


def test_editor_trashes_an_article_and_restores_it(page, anonymous_page, editor):
    article = ArticleFactory(
        title=TITLE, category=CategoryFactory(name="Pháp luật"),
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    url = article.get_absolute_url()
    assert anonymous_page.goto(url).status == 200
    expect(anonymous_page.get_by_role("heading", level=1)).to_have_text(TITLE)

    login(page, editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.locator(".submit-row a.deletelink").click()
    expect(page).to_have_url(re.compile(rf"/admin/articles/article/{article.pk}/delete/$"))
    expect(page.locator("#content")).to_contain_text("có thể khôi phục trong 30 ngày")
    page.get_by_role("button", name="Chuyển vào thùng rác").click()
    expect(page).to_have_url(re.compile(r"/admin/articles/article/$"))
    expect(page.locator(".messagelist .success")).to_have_text(
        f"Đã chuyển bài “{TITLE}” vào thùng rác. Có thể khôi phục trong 30 ngày."
    )
    expect(page.locator("#result_list", has_text=TITLE)).to_have_count(0)

    response = anonymous_page.goto(url)
    assert response.status == 410
    expect(anonymous_page.get_by_role("heading", level=1)).to_have_text("Bài viết này đã bị gỡ")
    assert TITLE not in anonymous_page.content()
    anonymous_page.goto("/")
    expect(anonymous_page.get_by_role("link", name=TITLE, exact=True)).to_have_count(0)

    page.goto("/admin/")
    page.get_by_role("link", name="Thùng rác", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/articles/trashedarticle/$"))
    row = page.locator("#result_list tbody tr", has_text=TITLE)
    expect(row.locator(".field-days_left")).to_have_text("30 ngày")
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=RESTORE_ACTION)
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist .success")).to_have_text("Đã khôi phục 1 bài.")
    expect(page.locator("#result_list tbody tr", has_text=TITLE)).to_have_count(0)

    response = anonymous_page.goto(url)
    assert response.status == 200
    expect(anonymous_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert Article.objects.get(pk=article.pk).deleted_at is None
    actions = list(AuditEntry.objects.filter(article=article, user=editor).values_list("action", flat=True))
    assert sorted(actions) == sorted([AuditEntry.Action.TRASH, AuditEntry.Action.UNTRASH])
