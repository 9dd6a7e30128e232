"""Two people, one article (articles/newsroom/editing.py): a save over a newer version is
refused, naming who saved it and when, and nothing anyone typed is lost."""
import html
import re
import threading

import pytest
from django.db import connection, transaction

from articles.newsroom.editing import EditTokenForm
from articles.models import Article
from tests.factories import ArticleFactory, editor_named
from tests.test_admin import form_data

PARAGRAPH = "Đoạn bổ sung của biên tập viên A: lực lượng chức năng đã có mặt từ 6 giờ sáng."
TOKEN = re.compile(r'name="edit_token" value="([^"]*)"')



@pytest.fixture
def article(db):
    return ArticleFactory(title="Bài đang sửa", lead="Sapo.", body="Đoạn một.\n\nĐoạn hai.", status=Article.Status.DRAFT,
                          published_at=None)


def opened(client, article):
    """The change form as an editor opens it: its fields as they are, and its edit token."""
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    token = html.unescape(TOKEN.search(response.content.decode()).group(1))
    return form_data(title=article.title, lead=article.lead, body=article.body, edit_token=token)


def save(client, article, data):
    return client.post(f"/admin/articles/article/{article.pk}/change/", data)


def test_a_save_over_a_colleagues_newer_version_is_refused_and_keeps_what_was_typed(client, article):
    a, b = editor_named("bientap_a", "An", "Nguyễn Văn"), editor_named("bientap_b", "Bình", "Trần Thị")
    client.force_login(a)
    form_of_a = opened(client, article)
    client.force_login(b)
    form_of_b = opened(client, article)

    client.force_login(a)
    assert save(client, article, {**form_of_a, "body": article.body + "\n\n" + PARAGRAPH}).status_code == 302

    client.force_login(b)
    refused = save(client, article, {**form_of_b, "title": "Tiêu đề B đã sửa"})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Bài này đã được Nguyễn Văn An lưu lúc" in html.unescape(page)
    assert "Họ đã sửa: nội dung" in html.unescape(page)
    assert "Hãy sửa các lỗi dưới đây." in page and "Please correct" not in page
    assert html.escape(PARAGRAPH) in page  # their saved text, shown beside the field
    assert 'value="Tiêu đề B đã sửa"' in page  # B's own text is still in the form
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == "Bài đang sửa" and PARAGRAPH in stored.body  # A's paragraph survives

    # B takes A's change into account and saves again: the form's token is now A's version.
    again = {**form_of_b, "title": "Tiêu đề B đã sửa", "body": stored.body,
             "edit_token": html.unescape(TOKEN.search(page).group(1))}
    assert save(client, article, again).status_code == 302
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == "Tiêu đề B đã sửa" and PARAGRAPH in stored.body


def test_a_save_on_the_version_it_opened_goes_through(client, article):
    client.force_login(editor_named("bientap_a", "An", "Nguyễn Văn"))
    data = opened(client, article)
    assert save(client, article, {**data, "title": "Tiêu đề mới"}).status_code == 302
    assert save(client, article, {**opened(client, Article.objects.get(pk=article.pk)), "lead": "Sapo mới."}).status_code == 302
    assert Article.objects.get(pk=article.pk).lead == "Sapo mới."


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_cannot_both_pass():
    article = ArticleFactory(title="Hai người cùng lưu", status=Article.Status.DRAFT, published_at=None)
    token = EditTokenForm(instance=article).fields["edit_token"].initial
    ready = threading.Barrier(2)
    outcomes = []

    def editor(title):
        try:
            data = {"title": title, "slug": "", "lead": article.lead, "body": article.body, "status": "draft",
                    "published_at": "", "author": "", "source": "ANTD.VN", "edit_token": token}
            form = EditTokenForm(data, instance=Article.objects.get(pk=article.pk))
            ready.wait(timeout=10)
            with transaction.atomic():
                valid = form.is_valid()  # locks the row: the second waits for the first
                if valid:
                    form.save()
                    threading.Event().wait(0.3)  # still holding the lock when the other asks
            outcomes.append((title, valid))
        finally:
            connection.close()

    threads = [threading.Thread(target=editor, args=(title,)) for title in ("Bản của A", "Bản của B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(valid for _, valid in outcomes) == [False, True]
    winner = next(title for title, valid in outcomes if valid)
    assert Article.objects.get(pk=article.pk).title == winner
