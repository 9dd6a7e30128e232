"""Authors ("Tác giả"): bylines become records, in order, one per normalized name;
both import formats name them alike; the author's page, feed and JSON-LD; their
photo; the authors index; merging, after a confirmation page."""
import json
import re
from urllib.parse import urlsplit

import feedparser
import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from articles import authors, bylines, queries
from articles.admin.authors import AuthorAdmin
from articles.imports import plaintext
from articles.models import Article, Author
from articles.photos import images
from tests import imagefiles as f
from tests.conftest import media_files
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
    response = client.post(merge_url(keep, duplicate), {"ids": f"{keep.pk},{duplicate.pk}", "keep": keep.pk}, follow=True)
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

def merge_url(*chosen):
    return "/admin/articles/author/gop/?ids=" + ",".join(str(author.pk) for author in chosen)


# The authors index -------------------------------------------------------------


@pytest.fixture
def index_authors():
    """Ánh, Bình and Đức write public articles (Bình two, and a draft); others do not."""
    ArticleFactory(author="Đức")
    ArticleFactory(author="Bình")
    ArticleFactory(author="Bình - Ánh")
    ArticleFactory(author="Bình", status=Article.Status.DRAFT)
    ArticleFactory(author="Chỉ Có Nháp", status=Article.Status.DRAFT)
    ArticleFactory(author="Bài Đã Gỡ", deleted_at=timezone.now())  # in the trash
    ArticleFactory(author="Hẹn Giờ", published_at=timezone.now() + timezone.timedelta(days=1))
    Author.objects.create(name="Chưa Viết Bài")


def index_entries(page):
    """[(name, href, count)] of the index's list."""
    return [
        (name, href, int(count))
        for href, name, count in re.findall(
            r'<li><a href="([^"]+)">([^<]+)</a> <span class="count">\((\d+) bài\)</span></li>', page.section("author-list")
        )
    ]


def test_the_authors_index_lists_those_with_public_articles_in_vietnamese_order(client, index_authors):
    page = Page(client.get("/tac-gia/"))
    # In code point order Á (U+00C1) and Đ (U+0110) would both follow B.
    assert index_entries(page) == [
        ("Ánh", "/tac-gia/anh/", 1), ("Bình", "/tac-gia/binh/", 2), ("Đức", "/tac-gia/duc/", 1),
    ]
    assert page.titles == ["Tác giả – An Ninh Thủ Đô"]
    assert page.breadcrumbs() == [("Trang chủ", "/"), ("Tác giả", None)]
    assert ({"href": "/tac-gia/"}, "Tác giả") in page.anchors  # the footer of every page
    author_page = Page(client.get("/tac-gia/binh/"))
    assert author_page.breadcrumbs() == [("Trang chủ", "/"), ("Tác giả", "/tac-gia/"), ("Bình", None)]


def test_the_authors_index_is_paged_like_the_tag_index(client, index_authors, monkeypatch):
    monkeypatch.setattr(queries, "AUTHOR_INDEX_PAGE", 2)
    first = Page(client.get("/tac-gia/"))
    assert [name for name, _, _ in index_entries(first)] == ["Ánh", "Bình"]
    assert first.anchor("next")[0]["href"] == "?page=2"
    second = Page(client.get("/tac-gia/?page=2"))
    assert [name for name, _, _ in index_entries(second)] == ["Đức"]
    assert second.anchor("next") is None and second.anchor("prev")[0]["href"] == "?page=1"
    assert second.titles == ["Tác giả – trang 2 – An Ninh Thủ Đô"]
    for wrong in ("?page=3", "?page=0", "?page=hai"):
        assert client.get("/tac-gia/" + wrong).status_code == 404


def test_an_empty_authors_index_says_nothing_but_answers(client):
    assert index_entries(Page(client.get("/tac-gia/"))) == []


# An author's photo ---------------------------------------------------------------


def change_author(client, author, **fields):
    return client.post(f"/admin/articles/author/{author.pk}/change/", {"name": author.name, "bio": author.bio, **fields})


def portrait_img(page):
    found = re.search(r'<span class="portrait"><picture>.*?(<img [^>]*>)</picture>\s*</span>', page.html, re.S)
    assert found, "no portrait on the page"
    return dict(re.findall(r'([\w-]+)="([^"]*)"', found.group(1)))


def test_an_author_photo_is_stored_cleaned_and_shown_small_round_and_in_json_ld(
    client, editor, media_root, django_capture_on_commit_callbacks
):
    article = ArticleFactory(author="Hải Nam - Thu Hà", published_at=hanoi(2020, 5, 1, 9))
    author = Author.objects.get(slug="hai-nam")
    login(client, editor)
    upload = f.upload(f.png_with_html(600, 800), "Chân dung Hải Nam.png", "image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = change_author(client, author, bio="Phóng viên mảng an ninh.", photo=upload)
    assert response.status_code == 302, response.content.decode()[:3000]

    author.refresh_from_db()
    assert re.fullmatch(r"authors/chan-dung-hai-nam-[0-9a-f]{8}\.png", author.photo.name)
    assert (author.photo_width, author.photo_height) == (600, 800)
    stored = default_storage.open(author.photo.name).read()
    assert f.HTML_PAYLOAD not in stored and f.decode(stored).size == (600, 800)  # written from pixels
    assert [width for width, _, _ in author.photo_renditions["jpeg"]] == list(images.PORTRAIT_WIDTHS)
    assert media_files(media_root) == sorted([author.photo.name, *images.rendition_names(author.photo_renditions)])

    reader = Client()
    page = Page(reader.get("/tac-gia/hai-nam/"))
    img = portrait_img(page)
    assert img["alt"] == "Hải Nam" and img["loading"] == "lazy"
    assert (img["width"], img["height"]) == ("600", "800") and img["sizes"] == "6rem"
    assert [width for _, width in re.findall(r"(\S+) (\d+)w", img["srcset"])] == ["160", "320"]
    assert reader.get(img["src"]).status_code == 200
    assert page.meta("og:image") == site_root() + author.photo.url

    profile = json.loads(page.json_ld()[0])
    assert profile["@type"] == "ProfilePage"
    assert profile["mainEntity"] == {
        "@type": "Person", "name": "Hải Nam", "url": site_root() + "/tac-gia/hai-nam/",
        "image": site_root() + author.photo.url, "description": "Phóng viên mảng an ninh.",
    }
    story = json.loads(Page(reader.get(article.get_absolute_url())).json_ld()[0])
    assert story["author"] == [
        {"@type": "Person", "name": "Hải Nam", "url": site_root() + "/tac-gia/hai-nam/", "image": site_root() + author.photo.url},
        {"@type": "Person", "name": "Thu Hà", "url": site_root() + "/tac-gia/thu-ha/"},  # no photo, no image
    ]
    assert "portrait" not in Page(reader.get("/tac-gia/thu-ha/")).html


def test_an_upload_that_is_not_an_image_is_refused_in_vietnamese(client, editor, media_root):
    author = Author.objects.create(name="Hải Nam")
    login(client, editor)
    response = change_author(client, author, photo=f.upload(f.html(), "chan-dung.jpg"))
    assert response.status_code == 200
    assert "Tệp không phải ảnh JPEG, PNG, WebP hoặc GIF." in response.content.decode()
    assert media_files(media_root) == [] and not Author.objects.get(pk=author.pk).photo


def test_a_save_that_fails_after_the_photo_was_written_leaves_no_file(client, editor, media_root, monkeypatch):
    author = Author.objects.create(name="Hải Nam")
    login(client, editor)

    def fails(*args, **kwargs):
        raise RuntimeError("the database went away after the photo was written")

    monkeypatch.setattr(AuthorAdmin, "log_change", fails)  # after the save, inside its transaction
    with pytest.raises(RuntimeError):
        change_author(client, author, photo=f.upload(f.jpeg(400, 400), "chan-dung.jpg"))
    assert media_files(media_root) == []
    assert not Author.objects.get(pk=author.pk).photo


def test_replacing_clearing_or_deleting_a_photo_removes_its_files_after_commit(
    client, editor, media_root, django_capture_on_commit_callbacks
):
    author = Author.objects.create(name="Hải Nam")
    login(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        change_author(client, author, photo=f.upload(f.jpeg(400, 400), "cu.jpg"))
    old = media_files(media_root)
    assert len(old) == 1 + 2 * len(images.FORMATS)
    with django_capture_on_commit_callbacks(execute=True):
        assert change_author(client, author, photo=f.upload(f.jpeg(500, 500), "moi.jpg")).status_code == 302
    author.refresh_from_db()
    assert "moi" in author.photo.name
    assert media_files(media_root) == sorted([author.photo.name, *images.rendition_names(author.photo_renditions)])
    with django_capture_on_commit_callbacks(execute=True):
        assert change_author(client, author, **{"photo-clear": "on"}).status_code == 302
    author.refresh_from_db()
    assert not author.photo and author.photo_renditions == {} and media_files(media_root) == []
    with django_capture_on_commit_callbacks(execute=True):
        change_author(client, author, photo=f.upload(f.jpeg(300, 300), "lai.jpg"))
        author.refresh_from_db()
        author.delete()  # an author who signs nothing may be deleted: their photo goes with them
    assert media_files(media_root) == []


# Merging, after a confirmation page -------------------------------------------------


@pytest.fixture
def two_records(article):
    """Hải Nam (the older record, on `article`) and Nam Hải (newer), who is the same person."""
    keep = Author.objects.get(slug="hai-nam")
    duplicate = Author.objects.create(name="Nam Hải")
    for _ in range(2):
        authors.assign(ArticleFactory(), ["Nam Hải", "Thu Hà"])
    return keep, duplicate


def test_the_merge_action_asks_first_listing_the_records_and_what_follows(client, editor, two_records):
    keep, duplicate = two_records
    login(client, editor)
    response = client.post("/admin/articles/author/", {"action": "merge", "_selected_action": [duplicate.pk, keep.pk]})
    assert response.status_code == 302 and response["Location"] == merge_url(keep, duplicate)
    assert Author.objects.filter(pk=duplicate.pk).exists()  # nothing merged yet

    for _ in range(2):  # a GET never merges
        page = client.get(response["Location"])
    assert page.status_code == 200 and Author.objects.filter(pk=duplicate.pk).exists()
    html = page.content.decode()
    rows = re.findall(r"<tr>\s*<td><input type=\"radio\" name=\"keep\" value=\"(\d+)\"[^>]*?( checked)?>.*?</tr>", html, re.S)
    assert rows == [(str(keep.pk), " checked"), (str(duplicate.pk), "")]  # the oldest is offered first
    for text in ("Gộp 2 tác giả dưới đây thành một", "Hải Nam", "Nam Hải", "1 bài", "2 bài",
                 "2 bài viết chuyển sang “Hải Nam”", "1 bài viết chuyển sang “Nam Hải”", 'value="Xác nhận gộp"',
                 'name="csrfmiddlewaretoken"', '<form method="post">'):
        assert text in html, text


def test_the_confirmation_merges_into_the_record_the_editor_keeps(client, editor, two_records, article):
    keep, duplicate = two_records
    login(client, editor)
    response = client.post(merge_url(keep, duplicate), {"ids": f"{keep.pk},{duplicate.pk}", "keep": duplicate.pk}, follow=True)
    assert response.redirect_chain == [("/admin/articles/author/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Đã gộp “Hải Nam” vào “Nam Hải”: 1 bài viết nay ghi tác giả “Nam Hải”."
    ]
    assert not Author.objects.filter(pk=keep.pk).exists()
    assert names(article) == ["Nam Hải", "Thu Hà"] and Article.objects.get(pk=article.pk).author == "Nam Hải - Thu Hà"
    assert Article.objects.filter(authors=duplicate).count() == 3
    assert client.get("/tac-gia/hai-nam/").status_code == 404
    assert client.get("/tac-gia/nam-hai/").status_code == 200


def test_merge_mistakes_get_a_vietnamese_message_never_an_error(client, editor, reporter, two_records):
    keep, duplicate = two_records
    login(client, editor)

    def warned(response):
        assert response.status_code == 302 and response["Location"] == "/admin/articles/author/", response
        return [str(m) for m in client.get(response["Location"]).context["messages"]]

    one = client.post("/admin/articles/author/", {"action": "merge", "_selected_action": [keep.pk]})
    assert warned(one) == ["Hãy chọn ít nhất hai tác giả để gộp."]
    for ids in (str(keep.pk), "", "abc,", f"{keep.pk},999999999", "9" * 40):
        assert warned(client.get(f"/admin/articles/author/gop/?ids={ids}")) == ["Hãy chọn ít nhất hai tác giả để gộp."]
    many = ",".join(str(Author.objects.create(name=f"Tác Giả {n}").pk) for n in range(21))
    assert warned(client.get(f"/admin/articles/author/gop/?ids={many}")) == ["Mỗi lần chỉ gộp được tối đa 20 tác giả."]

    ids = f"{keep.pk},{duplicate.pk}"
    for keep_value in ("", "abc", str(Author.objects.get(slug="thu-ha").pk)):
        response = client.post("/admin/articles/author/gop/", {"ids": ids, "keep": keep_value})
        assert response.status_code == 200
        assert "Hãy chọn tác giả được giữ lại, một trong các tác giả dưới đây." in response.content.decode()
    assert client.put(f"/admin/articles/author/gop/?ids={ids}").status_code == 405
    assert Author.objects.filter(pk__in=[keep.pk, duplicate.pk]).count() == 2

    login(client, reporter)  # reporters may not delete authors, so may not merge them
    assert client.get(f"/admin/articles/author/gop/?ids={ids}").status_code == 403
    assert client.post("/admin/articles/author/gop/", {"ids": ids, "keep": keep.pk}).status_code == 403
    assert Author.objects.filter(pk__in=[keep.pk, duplicate.pk]).count() == 2


def test_the_merge_needs_the_forms_csrf_token(editor, two_records):
    keep, duplicate = two_records
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    ids = f"{keep.pk},{duplicate.pk}"
    assert browser.post("/admin/articles/author/gop/", {"ids": ids, "keep": keep.pk}).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get(merge_url(keep, duplicate)).content.decode())
    response = browser.post("/admin/articles/author/gop/", {"ids": ids, "keep": keep.pk, "csrfmiddlewaretoken": token[1]})
    assert response.status_code == 302 and not Author.objects.filter(pk=duplicate.pk).exists()


def test_a_merge_keeps_the_photo_and_words_of_the_record_that_goes(
    client, editor, two_records, media_root, django_capture_on_commit_callbacks
):
    keep, duplicate = two_records
    login(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        change_author(client, duplicate, bio="Phóng viên ảnh.", photo=f.upload(f.jpeg(400, 500), "nam-hai.jpg"))
    duplicate.refresh_from_db()
    files = media_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/articles/author/gop/", {"ids": f"{keep.pk},{duplicate.pk}", "keep": keep.pk})
    keep.refresh_from_db()
    assert not Author.objects.filter(pk=duplicate.pk).exists()
    assert (keep.photo.name, keep.photo_width, keep.photo_height) == (duplicate.photo.name, 400, 500)
    assert keep.photo_renditions == duplicate.photo_renditions and keep.bio == "Phóng viên ảnh."
    assert media_files(media_root) == files  # the files changed hands, none was lost
    img = portrait_img(Page(Client().get("/tac-gia/hai-nam/")))
    assert urlsplit(img["src"]).path.endswith(duplicate.photo_renditions["jpeg"][-1][2].rsplit("/", 1)[1])
