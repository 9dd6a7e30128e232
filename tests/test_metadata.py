"""What search engines and social networks read in every page's <head>."""
import datetime
import json
import re

import pytest
from django.template.defaultfilters import truncatechars
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    PhotoFactory,
    TagFactory,
    hanoi,
)
from tests.public_pages import ERRORS, FILES, SEARCHES, SECOND_PAGES, World, select
from tests.public_pages import PAGES as PUBLIC_PAGES
from tests.reader import Page, site_root

pytestmark = pytest.mark.django_db

LONG_LEAD = (
    "Chiều 15-2, Đại tá Đoàn Ngọc Hùng, Phó Giám đốc Công an TP Hà Nội đã chủ trì hội nghị ký kết giao ước thi đua "
    "năm 2017 của Cụm thi đua số 1. Tham dự hội nghị có lãnh đạo các phòng nghiệp vụ, công an các quận nội thành "
    "cùng đông đảo cán bộ chiến sĩ; hội nghị đã đánh giá kết quả phong trào thi đua “Vì an ninh Tổ quốc” năm qua "
    "và đề ra phương hướng, nhiệm vụ trọng tâm cho năm mới với nhiều chỉ tiêu cụ thể."
)


@pytest.fixture
def article(db):
    tag = TagFactory(name="Thi đua")
    article = ArticleFactory(
        title="Đổi mới biện pháp, cách làm đẩy mạnh phong trào thi đua",
        lead=LONG_LEAD,
        category=CategoryFactory(name="Chính trị - Xã hội"),
        tags=[tag],
        published_at=hanoi(2017, 2, 15, 17, 30),
        author="NGỌC HÙNG",
    )
    PhotoFactory(article=article, position=1, alt_text="Đại tá Đoàn Ngọc Hùng phát biểu")
    return Article.objects.get(pk=article.pk)


# The indexable HTML page types of tests/public_pages.py: search results are noindex
# (tests/test_search.py), the world has one page of each listing.
PAGES = select(without=[FILES, SECOND_PAGES, SEARCHES, ERRORS])


def url_of(kind, article):
    return PUBLIC_PAGES[kind].url(World(article, article.category, article.tags.get()))


@pytest.mark.parametrize("kind", PAGES)
def test_every_page_type_has_its_title_description_canonical_and_social_tags(client, article, kind):
    path = url_of(kind, article)
    page = Page(client.get(path))
    assert len(page.titles) == 1 and page.titles[0].strip()
    assert page.titles[0].endswith("An Ninh Thủ Đô") or "An Ninh Thủ Đô" in page.titles[0]
    descriptions = page.metas("description")
    assert len(descriptions) == 1 and descriptions[0].strip()
    canonicals = page.links("canonical")
    assert len(canonicals) == 1
    canonical = canonicals[0]["href"]
    assert canonical == site_root() + path
    assert canonical.startswith(("http://", "https://"))
    assert page.meta("og:title").strip()
    assert page.meta("og:url") == canonical
    assert page.meta("og:type") == ("article" if kind == "article" else "website")
    assert page.meta("og:site_name") == "An Ninh Thủ Đô"
    assert page.meta("twitter:card") in ("summary", "summary_large_image")
    assert page.meta("robots") is None  # public pages are indexable


def test_pages_have_distinct_titles(client, article):
    titles = [Page(client.get(url_of(kind, article))).titles[0] for kind in PAGES]
    assert len(set(titles)) == len(titles), titles


def test_canonical_link_keeps_the_page_number(client):
    for n in range(25):
        ArticleFactory(published_at=hanoi(2018, 1, 1, 8) + datetime.timedelta(minutes=n))
    assert Page(client.get("/?page=2")).links("canonical")[0]["href"] == f"{site_root()}/?page=2"
    assert Page(client.get("/?page=1")).links("canonical")[0]["href"] == f"{site_root()}/"
    assert Page(client.get("/?utm_source=zalo")).links("canonical")[0]["href"] == f"{site_root()}/"


def test_article_metadata(client, article):
    page = Page(client.get(article.get_absolute_url()))
    photo = article.photos.get()
    assert page.titles == [f"{article.title} – An Ninh Thủ Đô"]
    assert len(LONG_LEAD) > 300
    assert page.meta("description") == truncatechars(LONG_LEAD, 300)
    assert page.meta("og:description") == truncatechars(LONG_LEAD, 300)
    assert page.meta("og:title") == article.title
    assert page.meta("og:image") == site_root() + photo.image.url
    assert page.meta("og:image:width") == "640" and page.meta("og:image:height") == "480"
    assert page.meta("og:image:alt") == "Đại tá Đoàn Ngọc Hùng phát biểu"
    assert page.meta("twitter:card") == "summary_large_image"
    assert page.meta("article:published_time") == "2017-02-15T17:30:00+07:00"
    assert page.meta("article:section") == "Chính trị - Xã hội"


def test_article_json_ld_is_a_news_article(client, article):
    page = Page(client.get(article.get_absolute_url()))
    [block] = page.json_ld()
    data = json.loads(block)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["description"] == LONG_LEAD
    assert datetime.datetime.fromisoformat(data["datePublished"]) == article.published_at
    # Never updated since its publication: a save (the import's) is no modification.
    assert datetime.datetime.fromisoformat(data["dateModified"]) == article.published_at
    assert data["image"] == [site_root() + article.photos.get().image.url]
    assert data["author"] == [{"@type": "Person", "name": "Ngọc Hùng", "url": site_root() + "/tac-gia/ngoc-hung/"}]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "An Ninh Thủ Đô"
    assert data["publisher"]["url"] == site_root() + "/"
    assert data["mainEntityOfPage"] == site_root() + article.get_absolute_url()
    assert data["articleSection"] == "Chính trị - Xã hội"
    assert data["inLanguage"] == "vi"


def test_json_ld_without_photo_or_author(client):
    article = ArticleFactory(author="", published_at=hanoi(2019, 1, 1, 9))
    page = Page(client.get(article.get_absolute_url()))
    data = json.loads(page.json_ld()[0])
    assert "image" not in data
    assert data["author"] == {"@type": "Organization", "name": "An Ninh Thủ Đô"}
    assert page.meta("og:image") is None
    assert page.meta("twitter:card") == "summary"


def test_json_ld_cannot_be_broken_out_of(client):
    title = "</script><script>alert(1)</script>"
    article = ArticleFactory(title=title, lead="Sapo có </SCRIPT> và <!-- chú thích & ký tự", published_at=hanoi(2019, 1, 1, 9))
    response = client.get(article.get_absolute_url())
    page = Page(response)
    # One inline script, the JSON-LD; the page's own scripts are files (src).
    assert len([attrs for attrs, _ in page.scripts if "src" not in attrs]) == 1
    assert len(re.findall(r"<script(?![^>]*\ssrc=)", response.content.decode(), re.IGNORECASE)) == 1
    data = json.loads(page.json_ld()[0])
    assert data["headline"] == title
    assert data["description"] == "Sapo có </SCRIPT> và <!-- chú thích & ký tự"
    assert page.titles == [f"{title} – An Ninh Thủ Đô"]  # escaped in HTML, intact once read


@pytest.mark.parametrize("state", ["draft dated", "draft undated", "scheduled"])
def test_staff_previews_are_not_indexed_and_carry_no_json_ld(admin_client, state):
    when = {
        "draft dated": hanoi(2019, 1, 1, 9),
        "draft undated": None,
        "scheduled": timezone.now() + datetime.timedelta(days=1),
    }[state]
    status = Article.Status.PUBLISHED if state == "scheduled" else Article.Status.DRAFT
    article = ArticleFactory(status=status, published_at=when)
    PhotoFactory(article=article)
    page = Page(admin_client.get(article.get_absolute_url()))
    assert page.metas("robots") == ["noindex, nofollow"]
    assert page.json_ld() == []
    assert page.scripts == []
