"""Authors ("Tác giả"): bylines become records, in order, one per normalized name;
both import formats name them alike; the author's page, feed and JSON-LD; merging."""
import json

import feedparser
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles import authors, bylines
from articles.imports import plaintext
from articles.models import Article, Author
from tests.factories import ArticleFactory, UserFactory, hanoi
from tests.reader import Page, site_root
from tests.test_admin import login
from tests.test_ndjson_import import entry, run_import, write_ndjson

pytestmark = pytest.mark.django_db

BYLINE = "HẢI NAM - THU HÀ"


def names(article):
    return [a.name for a in article.authors.order_by("authorships__position")]


def test_a_byline_names_its_people_in_order_the_vietnamese_way():
    assert bylines.names_in(BYLINE) == ["Hải Nam", "Thu Hà"]
    assert bylines.names_in(["ĐỖ AN", "trần bình", "Lê Văn C"]) == ["Đỗ An", "Trần Bình", "Lê Văn C"]
    assert bylines.names_in("Minh Anh, MINH ANH") == ["Minh Anh"]
    assert bylines.names_in("Trần Đăng-Khoa") == ["Trần Đăng-Khoa"]
    assert bylines.names_in("") == bylines.names_in(None) == []


def test_one_record_per_normalized_name():
    found = Author.objects.for_names(["MINH ANH", "Minh Anh", "Minh  Anh"])
    assert [a.name for a in found] == ["Minh Anh"]
    assert Author.objects.for_names(["Minh  Anh"]) == found
    assert Author.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_bylines_into_authors_in_order():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes("articles")
    executor.migrate([("articles", "0014_modified_index")])
    ids = {}
    with connection.cursor() as cursor:
        for n, byline in enumerate([BYLINE, "MINH ANH", "Minh  Anh - thu hà", ""]):
            cursor.execute(
                "INSERT INTO articles_article (title, slug, lead, body, status, published_at, author, source,"
                " created_at, updated_at) VALUES (%s, %s, 'Sapo.', '<p>Bài.</p>', 'published', %s, %s, 'ANTD.VN',"
                " now(), now()) RETURNING id",
                [f"Bài {n}", f"bai-{n}", hanoi(2017, 2, 15, 8 + n), byline],
            )
            ids[byline] = cursor.fetchone()[0]
    MigrationExecutor(connection).migrate(leaves)

    assert names(Article.objects.get(pk=ids[BYLINE])) == ["Hải Nam", "Thu Hà"]
    assert names(Article.objects.get(pk=ids["MINH ANH"])) == ["Minh Anh"]
    assert names(Article.objects.get(pk=ids["Minh  Anh - thu hà"])) == ["Minh Anh", "Thu Hà"]
    assert names(Article.objects.get(pk=ids[""])) == []
    assert sorted(Author.objects.values_list("name", flat=True)) == ["Hải Nam", "Minh Anh", "Thu Hà"]
    # The text is left as imported: converting wrote no revision.
    assert Article.objects.get(pk=ids[BYLINE]).author == BYLINE


@pytest.mark.django_db(transaction=True)  # the NDJSON writers use connections of their own
def test_both_import_formats_map_bylines_to_the_same_records(tmp_path):
    text_file = tmp_path / "bai-mot.txt"
    text_file.write_text("Tiêu đề bài một\n\nSapo của bài.\n\nĐoạn thân bài đầu tiên.\n\n" + BYLINE + "\n", "utf-8")
    from_text, _ = plaintext.import_file(text_file)
    path = write_ndjson(tmp_path, [
        entry("a", "Bài nhập một", author="THU HÀ - Hải Nam"),
        entry("b", "Bài nhập hai", author=["hải nam", "MINH ANH", "Hải  Nam"]),
    ])
    _, err, error = run_import(path)
    assert error is None, err

    assert names(from_text) == ["Hải Nam", "Thu Hà"] and from_text.author == "Hải Nam - Thu Hà"
    assert names(Article.objects.get(external_id="a")) == ["Thu Hà", "Hải Nam"]
    second = Article.objects.get(external_id="b")
    assert names(second) == ["Hải Nam", "Minh Anh"] and second.author == "Hải Nam - Minh Anh"
    assert Author.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_an_author_that_is_not_text_is_refused(tmp_path):
    path = write_ndjson(tmp_path, [entry("a", "Bài nhập một", author=["Hải Nam", 3])])
    _, err, error = run_import(path)
    assert error is not None and "author phải là một chuỗi hoặc một danh sách chuỗi" in err


@pytest.fixture
def article():
    return ArticleFactory(author=BYLINE, published_at=hanoi(2020, 5, 1, 9))


def test_the_byline_links_each_author_to_their_page(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    byline = page[page.index('class="byline"'):]
    assert byline.index('href="/tac-gia/hai-nam/">Hải Nam</a>') < byline.index('href="/tac-gia/thu-ha/">Thu Hà</a>')


def test_the_author_page_lists_their_public_articles_newest_first(client, article):
    newer = ArticleFactory(author="Hải Nam", published_at=hanoi(2021, 1, 1, 9))
    draft = ArticleFactory(author="Hải Nam", status=Article.Status.DRAFT)
    ArticleFactory(author="Người Khác")
    response = client.get("/tac-gia/hai-nam/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tác giả: Hải Nam" in html
    assert html.index(newer.title) < html.index(article.title)
    assert "Người Khác" not in html and draft.title not in html
    assert client.get("/tac-gia/khong-co-ai/").status_code == 404
    assert client.get("/tac-gia/hai-nam/?page=2").status_code == 404


def test_the_author_feed_carries_their_articles(client, article):
    ArticleFactory(author="Người Khác")
    feed = feedparser.parse(client.get("/tac-gia/thu-ha/rss/").content)
    assert feed.feed.title.endswith("Tác giả Thu Hà")
    assert [entry.title for entry in feed.entries] == [article.title]
    assert feed.entries[0].author == "Hải Nam - Thu Hà"


def test_json_ld_names_each_author_with_their_page(client, article):
    data = json.loads(Page(client.get(article.get_absolute_url())).json_ld()[0])
    assert data["author"] == [
        {"@type": "Person", "name": "Hải Nam", "url": site_root() + "/tac-gia/hai-nam/"},
        {"@type": "Person", "name": "Thu Hà", "url": site_root() + "/tac-gia/thu-ha/"},
    ]


def test_renaming_an_author_rewrites_their_bylines(article):
    author = Author.objects.get(slug="thu-ha")
    author.name = "Thu Hà Nguyễn"
    author.save()
    article.refresh_from_db()
    assert article.author == "Hải Nam - Thu Hà Nguyễn"


def test_merging_two_authors_keeps_order_and_names_each_once(client, article):
    shared = ArticleFactory(author="Thu Hà - HẢI NAM - Thu Hằng")
    alone = ArticleFactory(author="HAI NAM")  # the same slug as Hải Nam: already one record
    duplicate = Author.objects.create(name="Hải Nam (ANTD)")
    authors.assign(alone, ["Hải Nam (ANTD)", "Thu Hằng"])
    keep = Author.objects.get(slug="hai-nam")
    login(client, UserFactory(username="bientap", is_staff=True, is_superuser=True))
    response = client.post("/admin/articles/author/", {
        "action": "merge", "_selected_action": [keep.pk, duplicate.pk],
    }, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Đã gộp “Hải Nam (ANTD)” vào “Hải Nam”: 1 bài viết nay ghi tác giả “Hải Nam”."]
    assert not Author.objects.filter(pk=duplicate.pk).exists()
    alone.refresh_from_db()
    assert names(alone) == ["Hải Nam", "Thu Hằng"] and alone.author == "Hải Nam - Thu Hằng"
    assert names(shared) == ["Thu Hà", "Hải Nam", "Thu Hằng"]


def test_merging_where_both_sign_one_article_names_them_once(article):
    other = Author.objects.create(name="Hải Nam B")
    authors.assign(article, ["Hải Nam", "Hải Nam B", "Thu Hà"])
    authors.merge(Author.objects.get(slug="hai-nam"), [other])
    article.refresh_from_db()
    assert names(article) == ["Hải Nam", "Thu Hà"] and article.author == "Hải Nam - Thu Hà"


def test_the_article_form_names_authors_in_order(client):
    from tests.test_admin import form_data
    first, second = Author.objects.for_names(["Thu Hà", "Hải Nam"])
    login(client, UserFactory(username="bientap2", is_staff=True, is_superuser=True))
    response = client.post("/admin/articles/article/add/", form_data(**{
        "authorships-TOTAL_FORMS": "2",
        "authorships-0-author": second.pk, "authorships-0-position": "0",
        "authorships-1-author": first.pk, "authorships-1-position": "1",
    }))
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert names(article) == ["Hải Nam", "Thu Hà"] and article.author == "Hải Nam - Thu Hà"
    assert article.revisions.last().content["author"] == "Hải Nam - Thu Hà"


def test_authors_autocomplete_on_the_article_form(client):
    Author.objects.for_names(["Thu Hà", "Hải Nam"])
    login(client, UserFactory(username="bientap3", is_staff=True, is_superuser=True))
    response = client.get("/admin/autocomplete/", {
        "term": "thu", "app_label": "articles", "model_name": "authorship", "field_name": "author",
    })
    assert [item["text"] for item in response.json()["results"]] == ["Thu Hà"]
