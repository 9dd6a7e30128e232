"""Hostile input: what editors type and what strangers send.

1. Script payloads in every field an editor writes never become executable markup
   on any public surface (pages parsed with html.parser, the feed parsed as XML,
   the JSON-LD read back with json.loads).
2. Hypothesis throws paths and query strings at every URL pattern of
   articles/urls.py: the answer is never a server error.
3. The web process (and only it) runs with a statement timeout.
"""
import html
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote_from_bytes

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings, strategies as st

from articles import bylines
from articles import urls as article_urls
from articles.models import Article
from articles.richtext import plain, sanitize
from tests.factories import (
    ArticleFactory, CategoryFactory, CorrectionFactory, PhotoFactory, TagFactory, UserFactory, hanoi,
)

REPO = Path(__file__).resolve().parent.parent

PAYLOADS = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "<svg/onload=alert(1)>",
    "'-alert(1)-'<!--",
]
PAYLOAD_IDS = ["script", "img-onerror", "close-script", "javascript-url", "svg-onload", "quote-comment"]

# Every field an editor writes, and whether the field shows up in the JSON-LD (key path).
FIELDS = {
    "title": ("headline",),
    "lead": ("description",),
    "body": None,
    "caption": None,
    "credit": None,
    "alt_text": None,
    "tag": None,
    "category": ("articleSection",),
    "category_description": None,
    "author": None,  # a list of Persons, one per name of the byline (test_json_ld_cannot_be_closed_early)
}

WORD = "kiemthuxss"  # a word of the article to search for
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "content", "data", "poster", "xlink:href"}


# --- parsing --------------------------------------------------------------------------


class Markup(HTMLParser):
    """Every element with its attributes, and the text of every <script>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, [(name, value)])
        self.scripts = []  # (attrs, text)
        self.text = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        if tag == "script":
            self._script = (dict(attrs), [])

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)
        else:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None


def parse_html(content):
    parser = Markup()
    parser.feed(content)
    parser.close()
    return parser


OWN_SCRIPTS = {f"/static/js/{path.name}" for path in (Path(__file__).resolve().parent.parent / "static" / "js").glob("*.js")}


def own_script(attrs):
    return dict(attrs).get("src") in OWN_SCRIPTS


def assert_no_executable_markup(content, where, *, json_ld_expected=False):
    """No event handler attribute, no javascript: URL, no script but the one JSON-LD."""
    assert "<script>alert" not in content.lower(), f"{where}: raw <script>alert"
    parsed = parse_html(content)
    for tag, attrs in parsed.elements:
        for name, value in attrs:
            assert not name.lower().startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            if name.lower() in URL_ATTRIBUTES and value:
                squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                assert not squeezed.startswith(("javascript:", "vbscript:", "data:text/html")), \
                    f"{where}: <{tag} {name}={value!r}>"
        assert tag not in ("iframe", "object", "embed", "svg", "math", "base"), f"{where}: injected <{tag} {attrs}>"
        if tag == "img":
            assert dict(attrs).get("src") != "x", f"{where}: injected <img {attrs}>"
    # The site's own script files (static/js/, allowed by CSP 'self') are ours, not the input's.
    script_tags = [attrs for tag, attrs in parsed.elements if tag == "script" and not own_script(attrs)]
    if json_ld_expected:
        assert len(script_tags) == 1, f"{where}: {len(script_tags)} script elements"
        inline = [(attrs, text) for attrs, text in parsed.scripts if not own_script(attrs.items())]
        assert len(inline) == 1
        attrs, text = inline[0]
        assert attrs == {"type": "application/ld+json"}, attrs
        return json.loads(text)
    assert script_tags == [], f"{where}: script elements {script_tags}"
    return None


def visible_text(content):
    return "".join(parse_html(content).text)


def attribute_values(content):
    return [value for _, attrs in parse_html(content).elements for _, value in attrs if value]


RSS_ELEMENTS = {
    "rss", "channel", "title", "link", "description", "language", "lastBuildDate", "item", "pubDate",
    "guid", "category", "enclosure", "{http://www.w3.org/2005/Atom}link",
    "{http://purl.org/dc/elements/1.1/}creator", "{http://www.w3.org/2005/Atom}updated",
    "author", "comments", "ttl", "copyright", "image", "url", "width", "height",
    "{http://purl.org/rss/1.0/modules/content/}encoded",
}
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def parse_feed(content, where):
    root = ET.fromstring(content)  # raises on anything that is not well-formed XML
    for element in root.iter():
        assert element.tag in RSS_ELEMENTS, f"{where}: unexpected element {element.tag}"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{where}: {element.tag} {name}={value!r}"
        if element.tag == CONTENT:
            # The body as HTML, which the reader renders: held to the page's rules.
            assert_no_executable_markup(element.text or "", f"{where}: content:encoded")
    return root


def texts(root):
    return [element.text or "" for element in root.iter()]


# --- the hostile article ------------------------------------------------------------------


def value_for(field, payload):
    """The field's value: the payload embedded in ordinary Vietnamese text."""
    return f"Giá trị {payload} cuối {WORD}" if field in ("title", "body") else f"Giá trị {payload} cuối"


def hostile_article(field, payload):
    values = {field: value_for(field, payload)}
    category = CategoryFactory(
        name=values.get("category", "Chuyên mục an toàn"),
        description=values.get("category_description", "Mô tả chuyên mục."),
    )
    tag = TagFactory(name=values.get("tag", "Thẻ an toàn"))
    article = ArticleFactory(
        title=values.get("title", f"Bài kiểm thử {WORD} về an ninh"),
        lead=values.get("lead", "Sapo bình thường của bài."),
        body=values.get("body", f"Đoạn một có {WORD}.\n\nĐoạn hai."),
        author=values.get("author", "PHÓNG VIÊN"),
        category=category,
        tags=[tag],
        published_at=hanoi(2017, 2, 15, 9, 30),
    )
    PhotoFactory(
        article=article, position=1,
        caption=values.get("caption", "Chú thích ảnh"),
        credit=values.get("credit", "Ảnh: ANTD"),
        alt_text=values.get("alt_text", "Mô tả ảnh"),
    )
    article = Article.objects.get(pk=article.pk)
    if field == "body":
        # The body is HTML: readers see the words the allow-list keeps (tests/test_rich_body.py).
        return article, category, tag, plain.to_text(sanitize.clean(values[field]).html)
    if field == "author":
        # A byline names people: readers see the names it parts (articles/bylines.py), each a link.
        return article, category, tag, bylines.byline(bylines.names_in(values[field]))
    return article, category, tag, values[field]


def check_pages(client, article, category, tag, value, field):
    pages = {
        "article": article.get_absolute_url(),
        "home": "/",
        "category": category.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "search": f"/tim-kiem/?q={WORD}",
        "day": "/2017/02/15/",
    }
    rendered = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        rendered[name] = response.content.decode()
        data = assert_no_executable_markup(rendered[name], f"{field}/{name}", json_ld_expected=name == "article")
        if name == "article":
            key = FIELDS[field]
            if key:
                found = data
                for part in key:
                    found = found[part]
                assert found == value, (key, found, value)
        if name == ("category" if field == "category_description" else "article"):
            # The value is shown to readers, as text or in an attribute (alt), never dropped.
            shown = visible_text(rendered[name]) + "\n".join(attribute_values(rendered[name]))
            assert " ".join(value.split()) in " ".join(shown.split()), f"{field}: the value is missing from the {name} page"
    # The search page found the article.
    assert article.get_absolute_url() in rendered["search"]
    return rendered


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
@pytest.mark.parametrize("field", FIELDS)
def test_editor_fields_never_become_markup(client, field, payload):
    article, category, tag, value = hostile_article(field, payload)
    check_pages(client, article, category, tag, value, field)

    for url in ("/rss/", f"/chuyen-muc/{category.slug}/rss/", f"/tag/{tag.slug}/rss/"):
        response = client.get(url)
        assert response.status_code == 200, url
        root = parse_feed(response.content, f"{field}{url}")
        if field in ("title", "lead", "author", "category", "tag"):
            # <description> is HTML (feed readers render it), so the sapo may be escaped once more.
            assert any(value in text or value in html.unescape(text) for text in texts(root)), \
                f"{field}: value missing from {url}"
    if field == "category_description":
        root = parse_feed(client.get(f"/chuyen-muc/{category.slug}/rss/").content, "category feed")
        assert root.find("channel/description").text == value


def test_json_ld_cannot_be_closed_early(client, db):
    """The payload that closes the script element stays inside the JSON."""
    payload = "</script><script>alert(1)</script><!--"
    article = ArticleFactory(title=payload, lead=payload, author=payload, published_at=hanoi(2017, 2, 15, 9))
    page = client.get(article.get_absolute_url()).content.decode()
    data = assert_no_executable_markup(page, "article", json_ld_expected=True)
    assert data["headline"] == data["description"] == payload
    # The byline's name, as its author record keeps it (articles/bylines.py).
    assert [person["name"] for person in data["author"]] == bylines.names_in(payload)
    own = sum(own_script(attrs) for tag, attrs in parse_html(page).elements if tag == "script")
    assert page.lower().count("</script") == 1 + own  # the JSON-LD's end, and our script files'


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS[:3], ids=PAYLOAD_IDS[:3])
def test_feed_description_read_as_html_is_the_plain_sapo(client, payload):
    """RSS readers render <description> as HTML (RSS 2.0: "entity-encoded HTML"; feedparser
    and every common reader do). The sapo is plain text, so it must be HTML-escaped in the
    feed, or its angle brackets become markup in the reader."""
    lead = value_for("lead", payload)
    ArticleFactory(lead=lead, published_at=hanoi(2017, 2, 15, 9))
    root = parse_feed(client.get("/rss/").content, "feed")
    description = root.find("channel/item/description").text
    read_as_html = parse_html(description)
    assert read_as_html.elements == [], f"the reader sees elements {read_as_html.elements} in {description!r}"
    assert "".join(read_as_html.text) == lead


def test_search_query_is_echoed_as_text(client, db):
    ArticleFactory(title=f"Bài {WORD}", published_at=hanoi(2017, 2, 15, 9))
    for payload in PAYLOADS:
        response = client.get("/tim-kiem/", {"q": f"{WORD} {payload}"})
        assert response.status_code == 200
        assert_no_executable_markup(response.content.decode(), f"search {payload}")
        response = client.get("/tim-kiem/", {"q": payload})
        assert response.status_code == 200
        assert_no_executable_markup(response.content.decode(), f"search {payload}")


# --- fuzzing every URL pattern ----------------------------------------------------------------


def encode(value):
    """Text to bytes, lone surrogates kept as their (invalid UTF-8) bytes."""
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value


TSQUERY = ["&", "|", "!", "(", ")", ":", "*", "<->", "<1>", "!!", "(((", "a & | b", ":*", "'", '"', "''", '""',
           "-", "or", "OR", "\\", "a:*B", "!(a|b)", '"a', "a <-> <-> b", "&&&", "*:*"]

text_values = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Cs", "Cc", "Ll", "Lu", "Nd", "Zs", "Po", "Sm"]), max_size=30),
    st.text(alphabet='&|!():*<->"\' \\-aăđếz0123456789', max_size=40),
    st.lists(st.sampled_from(TSQUERY), max_size=8).map(" ".join),
    st.sampled_from(["", "\x00", "a\x00b", "1", "0", "-1", "2", "last", "99999999999999999999999", "1e3", "١", "²",
                     "1.5", " 1", "0x10", "NaN", "%", "%00", "%ff", "15/02/2017", "31/02/2017", "2017-02-15",
                     "01/01/0001", "31/12/9999", "00/00/0000", "moi-nhat", "giao-thong", "<script>"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.tuples(st.sampled_from(["a", "đ", "á ", "ệ\u0300", "\U0001F600"]), st.integers(200, 6000)).map(
        lambda pair: pair[0] * pair[1]
    ),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
)
byte_values = st.one_of(text_values.map(encode), st.binary(max_size=40))

QUERY_KEYS = ["page", "q", "p", "sap_xep", "chuyen_muc", "tu_ngay", "den_ngay", "format", "utm_source"]
query_keys = st.one_of(st.sampled_from(QUERY_KEYS).map(encode), st.text(max_size=10).map(encode), st.binary(max_size=10))


@st.composite
def query_strings(draw):
    """(encoded query string, or a raw one for the WSGI environ)."""
    numbers = st.one_of(
        st.integers(min_value=-5, max_value=50), st.integers(min_value=2**58, max_value=10**25),
        st.sampled_from([2**63 // 20, 2**63 // 20 + 2, 2**63, 2**64, 10**20]),
    ).map(lambda n: str(n).encode())
    pairs = draw(st.lists(
        st.one_of(st.tuples(query_keys, byte_values), st.tuples(st.sampled_from([b"page", b"p"]), numbers)),
        max_size=5,
    ))
    if draw(st.booleans()):
        return "?" + "&".join(f"{quote_from_bytes(k, safe='')}={quote_from_bytes(v, safe='')}" for k, v in pairs), None
    raw = b"&".join(k + b"=" + v for k, v in pairs) or draw(st.binary(max_size=30))
    return "", raw.decode("latin-1")


def segment(strategy):
    return strategy.map(lambda value: quote_from_bytes(encode(value), safe=""))


years = st.one_of(
    st.integers(0, 9999).map(lambda y: f"{y:04d}"),
    st.sampled_from(["0000", "0001", "1900", "1969", "1970", "2017", "2038", "9998", "9999"]),
)
two_digits = st.one_of(st.integers(0, 99).map(lambda n: f"{n:02d}"), st.sampled_from(["00", "01", "02", "12", "13",
                                                                                        "15", "28", "29", "30", "31",
                                                                                        "32", "99"]))
slugs = st.one_of(
    st.sampled_from(["tin-fuzz", "giao-thong", "ma-tuy", "a", "-", "_", "--", "0"]),
    st.from_regex(r"[-a-zA-Z0-9_]{1,60}", fullmatch=True),
    st.text(min_size=1, max_size=40),
    st.text(alphabet=st.characters(categories=["Cs", "Lo", "Ll", "Mn"]), min_size=1, max_size=20),
    st.binary(min_size=1, max_size=30),
    st.integers(200, 3000).map(lambda n: "a" * n),
)
sections = st.one_of(st.sampled_from(["articles", "categories", "tags", "archives", "threads", "news", "static", ""]),
                     st.text(min_size=1, max_size=30), st.binary(min_size=1, max_size=20))


def path(*parts):
    return st.tuples(*[p if isinstance(p, st.SearchStrategy) else st.just(p) for p in parts]).map("".join)


PATHS = {
    "home": path("/"),
    "feed": path("/rss/"),
    "year": path("/", years, "/"),
    "month": path("/", years, "/", two_digits, "/"),
    "day": path("/", years, "/", two_digits, "/", two_digits, "/"),
    "article": path("/", years, "/", two_digits, "/", two_digits, "/", segment(slugs), "/"),
    "categories": path("/chuyen-muc/"),
    "category": path("/chuyen-muc/", segment(slugs), "/"),
    "category_feed": path("/chuyen-muc/", segment(slugs), "/rss/"),
    "tags": path("/tag/"),
    "tag": path("/tag/", segment(slugs), "/"),
    "tag_feed": path("/tag/", segment(slugs), "/rss/"),
    "author_index": path("/tac-gia/"),
    "author": path("/tac-gia/", segment(slugs), "/"),
    "author_feed": path("/tac-gia/", segment(slugs), "/rss/"),
    "thread": path("/dong-su-kien/", segment(slugs), "/"),
    "thread_feed": path("/dong-su-kien/", segment(slugs), "/rss/"),
    "search": path("/tim-kiem/"),
    "corrections": path("/dinh-chinh/"),
    "corrections_feed": path("/dinh-chinh/rss/"),
    "read_beacon": path("/_doc/"),  # POST only: a GET is 405
    "preview": path("/xem-truoc/", st.one_of(st.integers(0, 10**30).map(str), st.sampled_from(["1", "0", "00"])), "/"),
    "robots": path("/robots.txt"),
    "favicon": path("/favicon.ico"),
    "sitemap_index": path("/sitemap.xml"),
    "news_sitemap": path("/sitemap-news.xml"),
    "sitemap": path("/sitemap-", segment(sections), ".xml"),
}
ALLOWED = {200, 301, 302, 400, 404, 405}


def test_every_url_pattern_is_fuzzed():
    names = {pattern.name for pattern in article_urls.urlpatterns}
    assert names == set(PATHS), names ^ set(PATHS)


@pytest.fixture
def fuzz_world(db):
    category = CategoryFactory(name="Giao thông")
    tag = TagFactory(name="Ma túy")
    article = ArticleFactory(
        title="Tin fuzz", category=category, tags=[tag], published_at=hanoi(2017, 2, 15, 9, 30),
    )
    PhotoFactory(article=article)
    CorrectionFactory(article=article, text="Đính chính <fuzz> & số liệu.")
    ArticleFactory(title="Bản nháp fuzz", status=Article.Status.DRAFT, published_at=None, category=category)
    ArticleFactory(title="Tin cuối năm", published_at=hanoi(2016, 12, 31, 23, 59), category=category)
    return article


def fetch(client, url, raw_query):
    extra = {} if raw_query is None else {"QUERY_STRING": raw_query}
    # A savepoint per request: one failing query must not abort the test's
    # transaction and turn every later example into a failure of its own.
    with transaction.atomic():
        response = client.get(url, **extra)
    shown = url + (f" QUERY_STRING={raw_query!r}" if raw_query is not None else "")
    assert response.status_code in ALLOWED, f"{response.status_code} for {shown}"
    return response


FUZZ_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


@pytest.mark.parametrize("name", list(PATHS))
@FUZZ_SETTINGS
@given(data=st.data())
def test_no_url_answers_500(client, fuzz_world, name, data):
    url = data.draw(PATHS[name], label="path")
    query, raw_query = data.draw(query_strings(), label="query")
    fetch(client, url + query, raw_query)


@pytest.mark.parametrize("name", ["article", "preview", "day", "search"])
@FUZZ_SETTINGS
@given(data=st.data())
def test_no_url_answers_500_for_staff(client, fuzz_world, name, data):
    """Staff see drafts and scheduled articles: other code paths, same rule."""
    client.force_login(UserFactory(username="bientap-fuzz", is_staff=True))
    url = data.draw(PATHS[name], label="path")
    query, raw_query = data.draw(query_strings(), label="query")
    fetch(client, url + query, raw_query)


@pytest.mark.parametrize(
    "url",
    [
        "/9999/", "/9999/12/", "/9999/12/31/", "/9999/12/31/tin-fuzz/", "/0000/", "/0001/01/01/",
        "/0001/01/01/tin-fuzz/", "/0000/01/01/tin-fuzz/", "/2017/02/30/", "/2017/13/", "/2017/00/01/",
        "/xem-truoc/99999999999999999999999999/", "/tim-kiem/?q=%00", "/tim-kiem/?q=%ED%A0%80",
        "/tim-kiem/?q=a%26%7C%21%28%29%3A%2A%3C-%3E", "/tim-kiem/?chuyen_muc=%00", "/?page=%00",
        "/?page=99999999999999999999", "/sitemap-articles.xml?p=%00", "/tag/%00/", "/chuyen-muc/%ED%A0%80/",
    ],
)
def test_edge_urls(client, fuzz_world, url):
    fetch(client, url, None)


@pytest.mark.parametrize("url", ["/9999/12/31/tin-fuzz/", "/0001/01/01/tin-fuzz/", "/xem-truoc/99999999999999999999999999/"])
def test_edge_urls_for_staff(client, fuzz_world, url):
    """Staff may see scheduled articles, so far-future dates reach the date lookup."""
    client.force_login(UserFactory(username="bientap-edge", is_staff=True))
    fetch(client, url, None)


# --- statement timeout ----------------------------------------------------------------------------


SHOW_TIMEOUT = (
    "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'antd_site.settings'); {setup}"
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SHOW statement_timeout')\n"
    "    print(cursor.fetchone()[0])\n"
)


def show_statement_timeout(setup="django.setup()\n", **variables):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SECRET_KEY": "statement-timeout-test-key",
        "DATABASE_URL": postgres_database_url(),
        **variables,
    }
    result = subprocess.run(
        [sys.executable, "-c", SHOW_TIMEOUT.format(setup=setup)], cwd=REPO, env=env,
        capture_output=True, text=True, encoding="utf-8", timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def postgres_database_url():
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@%2Fvar%2Frun%2Fpostgresql:5432/antd"
    head, _, tail = url.partition("?")
    head = head.rsplit("/", 1)[0] + "/postgres"
    return head + (f"?{tail}" if tail else "")


def test_web_process_has_a_two_second_statement_timeout():
    assert show_statement_timeout(ANTD_PROCESS="web") == "2s"


def test_wsgi_module_sets_the_web_process_itself():
    """gunicorn imports antd_site.wsgi: that alone puts the limit on."""
    assert show_statement_timeout(setup="import antd_site.wsgi\n") == "2s"


def test_commands_have_no_statement_timeout():
    assert show_statement_timeout() == "0"
