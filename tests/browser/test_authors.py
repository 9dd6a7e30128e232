"""Merging two records of one author in a real browser: the list's action leads to a
confirmation page (the records, which one stays, how many articles follow), going
back changes nothing, and "Xác nhận gộp" merges into the record the editor picked.
Server-side rules: tests/test_authors.py."""
import importlib
import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from articles.models import Article, Author
from tests.browser.test_admin_flow import login
from tests.factories import ArticleFactory

pytestmark = pytest.mark.browser

ACTION = "Gộp các tác giả đã chọn thành một"
authors_migration = importlib.import_module("articles.migrations.0015_authors")


@pytest.fixture
def editor_of_authors(editor):
    """The editor with the author permissions migration 0015 gives their group: a
    browser test's flushed database has the groups again (conftest.py), not those."""
    for name, codenames in authors_migration.GROUP_PERMISSIONS.items():
        permissions = Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        Group.objects.get(name=name).permissions.add(*permissions)
    return editor


def choose_and_merge(page, *names):
    page.goto("/admin/articles/author/")
    for name in names:
        page.locator("#result_list tbody tr", has_text=name).locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=ACTION)
    page.locator("button[name=index]").click()
    expect(page).to_have_url(re.compile(r"/admin/articles/author/gop/\?ids=\d+,\d+$"))


def test_editor_merges_two_authors_after_confirming(page, editor_of_authors):
    older = ArticleFactory(title="Bắt giữ nhóm đối tượng trộm cắp xe máy", author="Hải Nam - Thu Hà")
    newer = ArticleFactory(title="Phá đường dây làm giả giấy tờ", author="Nam Hải")
    login(page, editor_of_authors)

    choose_and_merge(page, "Hải Nam", "Nam Hải")
    expect(page.locator("#content h1")).to_have_text("Gộp tác giả")
    rows = page.locator("#merge-authors tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Hải Nam")
    expect(rows.nth(0)).to_contain_text("1 bài viết chuyển sang “Hải Nam”")
    expect(page.get_by_label("Hải Nam", exact=True)).to_be_checked()  # the older record by default
    page.get_by_role("link", name="Không, quay lại").click()
    expect(page).to_have_url(re.compile(r"/admin/articles/author/$"))
    assert Author.objects.count() == 3  # going back merged nothing

    choose_and_merge(page, "Hải Nam", "Nam Hải")
    page.get_by_label("Nam Hải", exact=True).check()
    page.get_by_role("button", name="Xác nhận gộp").click()
    expect(page).to_have_url(re.compile(r"/admin/articles/author/$"))
    expect(page.locator(".messagelist .success")).to_have_text(
        "Đã gộp “Hải Nam” vào “Nam Hải”: 1 bài viết nay ghi tác giả “Nam Hải”."
    )
    expect(page.locator("#result_list tbody tr", has_text="Hải Nam")).to_have_count(0)
    assert Article.objects.get(pk=older.pk).author == "Nam Hải - Thu Hà"
    assert Article.objects.get(pk=newer.pk).author == "Nam Hải"
    assert set(Author.objects.values_list("name", flat=True)) == {"Nam Hải", "Thu Hà"}
