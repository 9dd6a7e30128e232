"""An editor's history by hand: two saves, the history page, a word-level
comparison, an old revision read and restored, the reader's page following."""
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from articles.models import Article, Revision
from tests.browser.test_admin_flow import body_paragraphs, fill_body, login
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.browser


def test_compare_and_restore_a_revision_and_the_reader_sees_it(new_context):
    editor = UserFactory(username="bientap_c", first_name="Cường", last_name="Lê Văn", is_staff=True)
    editor.groups.add(Group.objects.get(name="Biên tập viên"))
    article = ArticleFactory(title="Bắt giữ đối tượng trộm cắp", body="Công an phường đã bắt giữ đối tượng.",
                             category=None, author="")
    page = new_context().new_page()
    login(page, editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    fill_body(page, "Công an quận đã bắt giữ hai đối tượng.")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("thành công")

    reader = new_context().new_page()
    reader.goto(article.get_absolute_url())
    expect(reader.locator("article")).to_contain_text("Công an quận đã bắt giữ hai đối tượng.")

    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.get_by_role("link", name="Lịch sử").click()
    rows = page.locator("#revisions tbody tr")
    expect(rows).to_have_count(2)  # the factory's write, recorded at its commit, and the editor's save
    expect(rows.first).to_contain_text("Lê Văn Cường")
    expect(rows.first).to_contain_text("Nội dung")
    expect(rows.first.locator("th time")).to_have_text(re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d$"))

    page.get_by_role("button", name="So sánh hai phiên bản đã chọn").click()
    body = page.locator("tr", has=page.locator("th", has_text="Nội dung")).locator("td.text")
    expect(body.locator("del")).to_have_text(["phường"])
    expect(body.locator("ins")).to_have_text(["quận", "hai"])

    page.get_by_role("link", name="Quay lại lịch sử").click()
    oldest = Revision.objects.filter(article=article).order_by("id").first()
    page.get_by_role("link", name=f"Xem phiên bản #{oldest.pk}").click()
    expect(page.locator("#content-main")).to_contain_text("Công an phường đã bắt giữ đối tượng.")
    page.get_by_role("link", name="Khôi phục phiên bản này").click()
    page.get_by_role("button", name="Khôi phục phiên bản này").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Đã khôi phục phiên bản #{oldest.pk}")
    expect(body_paragraphs(page)).to_have_text(["Công an phường đã bắt giữ đối tượng."])

    reader.reload()
    expect(reader.locator("article")).to_contain_text("Công an phường đã bắt giữ đối tượng.")
    assert Article.objects.get(pk=article.pk).body == "<p>Công an phường đã bắt giữ đối tượng.</p>"
    assert Revision.objects.filter(article=article).count() == 3
