"""Two editors in two browsers on one article: B's save over A's newer version is
refused in Vietnamese, B keeps what B typed, A's paragraph survives."""
import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.test_admin_flow import fill_body, login
from tests.factories import ArticleFactory, editor_named

pytestmark = pytest.mark.browser

PARAGRAPH = "Đoạn bổ sung của biên tập viên A: lực lượng chức năng đã có mặt từ 6 giờ sáng."



def test_a_colleagues_save_is_never_overwritten(new_context):
    article = ArticleFactory(title="Bài hai người cùng mở", status=Article.Status.DRAFT, published_at=None)
    url = f"/admin/articles/article/{article.pk}/change/"
    page_a, page_b = new_context().new_page(), new_context().new_page()
    login(page_a, editor_named("bientap_a", "An", "Nguyễn Văn"))
    login(page_b, editor_named("bientap_b", "Bình", "Trần Thị"))
    page_a.goto(url)
    page_b.goto(url)

    fill_body(page_a, "\n\n".join([*article.paragraphs(), PARAGRAPH]))
    page_a.locator("input[name=_save]").click()
    expect(page_a.locator(".messagelist")).to_contain_text("thành công")

    page_b.fill("#id_title", "Tiêu đề do B sửa")
    page_b.locator("input[name=_save]").click()
    expect(page_b.locator(".errornote")).to_contain_text("Hãy sửa các lỗi dưới đây.")
    expect(page_b.locator(".errorlist.nonfield")).to_contain_text(
        re.compile(r"Bài này đã được Nguyễn Văn An lưu lúc \d\d:\d\d \d\d/\d\d/\d{4}")
    )
    expect(page_b.locator("#id_title")).to_have_value("Tiêu đề do B sửa")
    expect(page_b.locator(".field-body .errorlist")).to_contain_text(PARAGRAPH)
    assert PARAGRAPH in Article.objects.get(pk=article.pk).body

    # B takes A's paragraph in and saves again.
    fill_body(page_b, "\n\n".join(Article.objects.get(pk=article.pk).paragraphs()))
    page_b.locator("input[name=_save]").click()
    expect(page_b.locator(".messagelist")).to_contain_text("thành công")
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == "Tiêu đề do B sửa" and PARAGRAPH in stored.body
