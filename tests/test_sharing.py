"""Share links under an article: plain links to each network's share page, the
article's canonical address in them, and nothing else on the page from another host."""
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from articles.models import Article
from articles.sharing import share_links
from tests.factories import ArticleFactory
from tests.reader import Page, site_root

pytestmark = pytest.mark.django_db

FOUNDING_URL = "/2017/02/15/doi-moi-bien-phap-cach-lam-day-manh-phong-trao-thi-dua/"
TITLE = "Đổi mới biện pháp, cách làm đẩy mạnh phong trào thi đua"


def share_anchors(page):
    return {attrs["class"]: attrs for attrs, _ in page.anchors if attrs.get("class", "").startswith("share-")}


def test_the_article_has_its_share_links_with_its_canonical_address_encoded(client, founding_article):
    page = Page(client.get(FOUNDING_URL))
    canonical = page.links("canonical")[0]["href"]
    assert canonical == site_root() + FOUNDING_URL
    encoded = quote(canonical, safe="")
    links = share_anchors(page)

    assert links["share-facebook"]["href"] == f"https://www.facebook.com/sharer/sharer.php?u={encoded}"
    assert links["share-zalo"]["href"] == f"https://zalo.me/share?url={encoded}"
    assert links["share-x"]["href"] == f"https://x.com/intent/post?url={encoded}&text={quote(TITLE, safe='')}"
    mail = urlsplit(links["share-email"]["href"])
    assert mail.scheme == "mailto" and mail.path == ""
    assert parse_qs(mail.query) == {"subject": [TITLE], "body": [f"{TITLE}\n{canonical}"]}
    assert "+" not in mail.query  # a mail program reads "+" as a plus sign, not a space
    # Without JavaScript "Sao chép liên kết" is the address itself, to long-press and copy.
    assert links["share-copy"]["href"] == canonical
    for name in ("share-facebook", "share-zalo", "share-x", "share-email"):
        assert links[name]["rel"] == "noopener noreferrer"
        assert "target" not in links[name]
    texts = {text for attrs, text in page.anchors if attrs.get("class", "").startswith("share-")}
    assert texts == {"Facebook", "Zalo", "X", "E-mail", "Sao chép liên kết"}
    assert '<h2 id="share-heading" class="share-heading">Chia sẻ bài viết</h2>' in page.html


def test_the_page_names_no_other_host_but_in_the_share_links(client, founding_article):
    """Nothing is loaded from another host: every src and href is ours, except the
    share links, which are followed only when the reader clicks one."""
    page = Page(client.get(FOUNDING_URL))
    ours = urlsplit(site_root()).netloc
    share_hrefs = {attrs["href"] for attrs in share_anchors(page).values()}
    foreign = []
    for tag, attrs in page.tags:
        for name in ("src", "href", "srcset", "action", "poster", "data"):
            value = attrs.get(name)
            if not value:
                continue
            for url in [part.split()[0] for part in value.split(",")] if name == "srcset" else [value]:
                host = urlsplit(url).netloc
                if (host and host != ours) or urlsplit(url).scheme == "mailto":
                    if not (tag == "a" and value in share_hrefs):
                        foreign.append((tag, name, value))
    assert not foreign, foreign
    # The script that adds copying and the share sheet is our own file, deferred.
    scripts = [attrs for attrs, _ in page.scripts if "src" in attrs]
    assert {"src": "/static/js/share.js", "defer": None} in scripts
    assert all(attrs["src"].startswith("/static/") for attrs in scripts), scripts


def test_share_links_follow_the_site_domain_and_encode_every_character(client):
    article = ArticleFactory(title="Vụ “trộm” xe & 100% tang vật #1?")
    page = Page(client.get(article.get_absolute_url()))
    links = share_anchors(page)
    canonical = site_root() + article.get_absolute_url()
    x = urlsplit(links["share-x"]["href"])
    assert parse_qs(x.query) == {"url": [canonical], "text": [article.title]}
    assert "&" not in x.query.replace("&text=", "") and "#" not in links["share-x"]["href"]


def test_share_links_come_in_the_order_readers_see_them():
    url = "https://antd.vn/2017/02/15/a/"
    assert [link.network for link in share_links(url, "T")] == ["facebook", "zalo", "x", "email"]


def test_a_preview_has_no_share_links_and_no_script(client, editor):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(editor)
    page = Page(client.get(draft.get_absolute_url()))
    assert "Bản xem trước" in page.html
    assert not share_anchors(page) and 'class="share"' not in page.html
    assert "share.js" not in page.html
