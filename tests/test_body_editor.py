"""The body editor's server half (articles/admin/editor.py): the widget in the article
form, the link dialog's article search, and the Vietnamese of every string its
scripts show (static/articles/admin/body-*.js, django-prose-editor's bundle)."""
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from articles.models import Article
from tests.factories import ArticleFactory, PhotoFactory, editor_named

pytestmark = pytest.mark.django_db

SEARCH_URL = "/admin/articles/article/link-search/"
SCRIPTS = ("articles/admin/body-editor.js", "articles/admin/body-links.js", "articles/admin/body-photos.js")


@pytest.fixture
def editor():
    return editor_named("bientap_lienket", "Lan", "Phạm Thị")


def test_the_link_search_finds_articles_as_the_admin_search_does(client, editor):
    published = ArticleFactory(title="Triệt phá đường dây đánh bạc qua mạng")
    draft = ArticleFactory(title="Đường dây đánh bạc bị bắt", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(title="Khánh thành cây cầu mới")
    client.force_login(editor)

    found = client.get(SEARCH_URL, {"q": "danh bac"}).json()["results"]  # without diacritics, as readers search

    assert {(item["id"], item["title"], item["public"]) for item in found} == {
        (published.pk, published.title, True), (draft.pk, draft.title, False),
    }
    first = next(item for item in found if item["id"] == published.pk)
    assert first["url"] == published.get_absolute_url()
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", first["date"])
    assert client.get(SEARCH_URL, {"q": "  "}).json() == {"results": []}


def test_the_link_search_is_for_the_newsroom_only(client):
    ArticleFactory(title="Triệt phá đường dây đánh bạc qua mạng")
    response = client.get(SEARCH_URL, {"q": "đánh bạc"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_form_gives_the_editor_the_article_s_saved_photos(client, editor):
    article = ArticleFactory()
    photo = PhotoFactory(article=article, caption="Tổ công tác làm nhiệm vụ", position=None)
    client.force_login(editor)

    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    add_page = client.get("/admin/articles/article/add/").content.decode()

    textarea = re.search(r"<textarea[^>]*data-body-editor[^>]*>", page).group(0)
    photos = json.loads(re.search(r'data-photos="([^"]*)"', textarea).group(1).replace("&quot;", '"'))
    assert [(item["id"], item["caption"]) for item in photos] == [(photo.pk, "Tổ công tác làm nhiệm vụ")]
    assert photos[0]["thumbnail"].startswith(settings.MEDIA_URL)
    assert f'data-link-search="{SEARCH_URL}"' in textarea
    assert " required" not in textarea  # hidden behind the editor, it could not say so
    assert '<script src="/static/articles/admin/body-editor.js" type="module">' in page
    assert "importmap" not in page  # the admin's CSP would refuse it
    assert "data-photos" not in re.search(r"<textarea[^>]*data-body-editor[^>]*>", add_page).group(0)


def _catalog(client):
    """The admin's jsi18n catalogue, as the editor's scripts read it through window.gettext."""
    source = client.get("/admin/jsi18n/").content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});\n", source, re.S).group(1))


def test_every_string_of_the_editor_is_vietnamese(client, editor):
    ours = set()
    for script in SCRIPTS:
        ours |= set(re.findall(r'gettext\("((?:[^"\\]|\\.)*)"\)', Path(finders.find(script)).read_text()))
    bundle = Path(finders.find("django_prose_editor/editor.js")).read_text()
    theirs = {json.loads(f'"{text}"') for text in re.findall(r'\bpX\("((?:[^"\\]|\\.)*)"\)', bundle)}
    assert len(ours) > 30 and len(theirs) > 30  # the patterns still find the calls
    client.force_login(editor)

    catalog = _catalog(client)

    assert sorted(text for text in ours | theirs if text not in catalog) == []
    assert catalog["Subheading"] == "Tiêu đề phụ"
    assert catalog["Save the article to place its photos in the body."] == "Lưu bài để đặt ảnh vào nội dung."
