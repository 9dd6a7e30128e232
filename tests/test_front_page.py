"""The front page (articles/frontpage.py): the lead story, the secondary stories,
"Tin mới nhất", featured event threads and a block per category, and the compact
header menu every page has."""
import html
import re

import pytest

from articles.models import Article, EventThread
from tests.factories import ArticleFactory, CategoryFactory, PhotoFactory
from tests.reader import Page, card_urls
from tests.test_listings import ago, titles

pytestmark = pytest.mark.django_db


def pictured(title, hours, **fields):
    article = ArticleFactory(title=title, published_at=ago(hours), **fields)
    PhotoFactory(article=article)
    return article


def test_home_lead_story_is_the_newest_public_article_with_a_photo(client):
    category = CategoryFactory(name="Thời sự")
    no_photo = ArticleFactory(title="Tin mới nhất không ảnh", category=category, published_at=ago(1))
    with_photo = ArticleFactory(title="Tin có ảnh mới nhất", category=category, published_at=ago(2))
    older_photo = ArticleFactory(title="Tin có ảnh cũ hơn", category=category, published_at=ago(3))
    draft = ArticleFactory(title="Bản nháp có ảnh", category=category, status=Article.Status.DRAFT, published_at=ago(0.5))
    scheduled = ArticleFactory(title="Tin hẹn giờ có ảnh", category=category, published_at=ago(-2))
    lead_photo = PhotoFactory(article=with_photo)
    for article in (older_photo, draft, scheduled):
        PhotoFactory(article=article)

    page = Page(client.get("/"))
    lead = page.section("lead-story", tag="section")
    assert titles(lead) == ["Tin có ảnh mới nhất"]
    assert card_urls(lead) == [with_photo.get_absolute_url()]
    # Shown with its own photo, loaded eagerly: it is at the top of the page.
    images = re.findall(r"<img [^>]*>", lead)
    assert len(images) == 1
    lead_photo.refresh_from_db()
    assert f'src="{lead_photo.url_for_width(640)}"' in images[0]  # its own photo (or a rendition of it)
    assert 'loading="lazy"' not in images[0]
    assert 'width="640"' in images[0] and 'height="480"' in images[0]
    # The other story with a photo is a secondary one; "Tin mới nhất" has the rest.
    assert titles(page.section("secondary", tag="section")) == [older_photo.title]
    latest = page.section("latest", tag="section")
    assert titles(latest) == [no_photo.title]
    assert "Bản nháp có ảnh" not in page.html and "Tin hẹn giờ có ảnh" not in page.html


def test_home_lead_story_falls_back_to_the_newest_article_when_none_has_a_photo(client):
    newest = ArticleFactory(title="Tin mới không ảnh", published_at=ago(1))
    ArticleFactory(title="Tin cũ không ảnh", published_at=ago(2))
    page = Page(client.get("/"))
    assert titles(page.section("lead-story", tag="section")) == [newest.title]
    assert titles(page.section("latest", tag="section")) == ["Tin cũ không ảnh"]


def test_home_has_one_block_per_category_with_its_four_newest_public_articles_not_at_the_top(client):
    # Positions deliberately disagree with the alphabet.
    giao_thong = CategoryFactory(name="Giao thông", position=2)
    an_ninh = CategoryFactory(name="An ninh trật tự", position=3)
    phap_luat = CategoryFactory(name="Pháp luật", position=1)
    only_drafts = CategoryFactory(name="Chuyên mục toàn nháp", position=0)
    CategoryFactory(name="Chuyên mục trống", position=0)
    traffic = [
        ArticleFactory(title=f"Giao thông số {n}", category=giao_thong, published_at=ago(10 + n)) for n in range(6)
    ]
    ArticleFactory(title="Giao thông bản nháp", category=giao_thong, status=Article.Status.DRAFT, published_at=ago(1))
    ArticleFactory(title="Giao thông hẹn giờ", category=giao_thong, published_at=ago(-1))
    law = [ArticleFactory(title=f"Pháp luật số {n}", category=phap_luat, published_at=ago(30 + n)) for n in range(2)]
    security = [ArticleFactory(title="An ninh số 0", category=an_ninh, published_at=ago(50))]
    ArticleFactory(title="Nháp duy nhất", category=only_drafts, status=Article.Status.DRAFT, published_at=ago(2))

    page = Page(client.get("/"))
    blocks = page.sections("category-block", tag="section")
    headings = [re.search(r'<h2 id="cat-([^"]+)"', block).group(1) for block in blocks]
    assert headings == [phap_luat.slug, giao_thong.slug, an_ninh.slug]
    by_slug = dict(zip(headings, blocks))
    # The newest story leads the page (no story has a photo), so its block starts after it.
    assert titles(page.section("lead-story", tag="section")) == [traffic[0].title]
    assert titles(by_slug[giao_thong.slug]) == [a.title for a in traffic[1:5]]
    assert titles(by_slug[phap_luat.slug]) == [a.title for a in law]
    assert titles(by_slug[an_ninh.slug]) == [a.title for a in security]
    for slug, block in by_slug.items():
        assert f'href="/chuyen-muc/{slug}/"' in block
    assert "Giao thông bản nháp" not in page.html and "Giao thông hẹn giờ" not in page.html
    assert "Nháp duy nhất" not in page.html


def test_home_blocks_of_categories_with_the_same_position_follow_the_vietnamese_order_of_the_menu(client):
    """Categories default to position 0, so ties are the usual case: the home blocks
    must come in the same (vi-VN collated) order as the menu and /chuyen-muc/."""
    names = ["Giao thông", "Đời sống", "Ánh sáng học đường", "Bạn đọc"]
    for n, name in enumerate(names):
        category = CategoryFactory(name=name)
        for k in range(2):  # one of them may lead the page, which leaves its block the other
            ArticleFactory(title=f"Bài {k} của {name}", category=category, published_at=ago(n + 1 + k * 10))
    page = Page(client.get("/"))
    menu = re.findall(r'<li><a href="/chuyen-muc/[^"]+/">([^<]+)</a></li>', page.section("sections", tag="nav"))
    assert menu == ["Ánh sáng học đường", "Bạn đọc", "Đời sống", "Giao thông"]  # ICU vi-VN
    blocks = [
        html.unescape(re.search(r'<h2 id="cat-[^"]+" class="section-title"><a href="[^"]+">([^<]+)</a>', b).group(1))
        for b in page.sections("category-block", tag="section")
    ]
    assert blocks == menu


def test_home_second_page_lists_the_older_articles(client):
    category = CategoryFactory()
    articles = [ArticleFactory(title=f"Bài số {n:02d}", category=category, published_at=ago(n + 1)) for n in range(25)]
    first = Page(client.get("/"))
    on_first = [
        *titles(first.section("lead-story", tag="section")), *titles(first.section("secondary", tag="section")),
        *titles(first.section("latest", tag="section")),
    ]
    assert on_first == [a.title for a in articles[:20]]
    assert first.anchor("next")[0]["href"] == "?page=2"
    # Pages are not counted (articles/pagination.py): "Trang 1" and a link onwards.
    assert '<span aria-current="page">Trang 1</span>' in first.html

    second = Page(client.get("/?page=2"))
    assert titles(second.html) == [a.title for a in articles[20:]]
    assert "Tin mới nhất – trang 2" in second.html
    assert second.anchor("prev")[0]["href"] == "?page=1"
    assert second.anchor("next") is None
    assert "category-block" not in second.html and "lead-story" not in second.html


def test_four_secondary_stories_with_photos_follow_the_lead_and_the_rest_is_the_latest_list(client):
    category = CategoryFactory(name="Thời sự")
    stories = [pictured(f"Tin có ảnh {n}", n + 1, category=category) for n in range(7)]
    plain = ArticleFactory(title="Tin không ảnh", category=category, published_at=ago(2.5))
    page = Page(client.get("/"))
    assert titles(page.section("lead-story", tag="section")) == [stories[0].title]
    secondary = page.section("secondary", tag="section")
    assert titles(secondary) == [s.title for s in stories[1:5]]
    # Each with its photo, lazily loaded (below the lead), no sapo.
    assert len(re.findall(r"<img [^>]*loading=\"lazy\"", secondary)) == 4
    assert 'class="card-lead"' not in secondary
    # "Tin mới nhất": what is left of the newest, in order; nothing twice.
    assert titles(page.section("latest", tag="section")) == [plain.title, stories[5].title, stories[6].title]
    # The category's block shows none of the top stories again, its newest photo story first.
    block = page.section("category-block", tag="section")
    assert titles(block) == [stories[5].title, plain.title, stories[6].title]


def block_of(page, category):
    return next(b for b in page.sections("category-block", tag="section") if f'id="cat-{category.slug}"' in b)


def test_a_category_block_is_headed_by_its_newest_story_with_a_photo(client):
    category = CategoryFactory(name="Giao thông")
    first = ArticleFactory(title="Giao thông không ảnh", category=category, published_at=ago(1))
    # The only photo story of the page: it is the lead, and so its block shows the others.
    photo = pictured("Giao thông có ảnh", 2, category=category)
    page = Page(client.get("/"))
    assert titles(page.section("lead-story", tag="section")) == [photo.title]
    assert titles(block_of(page, category)) == [first.title]

    # Two photo stories: the second one heads the block, ahead of a newer one without.
    second = pictured("Giao thông có ảnh cũ", 3, category=category)
    for n in range(4):  # they take the secondary places, so that `second` stays in its block
        pictured(f"Tin khác có ảnh {n}", 1.5 + n / 10)
    page = Page(client.get("/"))
    block = block_of(page, category)
    assert titles(block) == [second.title, first.title]
    head, rest = block.split(first.title, 1)[0], block.split(first.title, 1)[1]
    assert "<img" in head and "<img" not in rest


def test_featured_event_threads_show_their_cover_and_newest_public_articles(client):
    featured = EventThread.objects.create(
        title="Vụ cháy chung cư mini", introduction="Diễn biến vụ cháy ở Khương Hạ.", featured=True,
    )
    quiet = EventThread.objects.create(title="Dòng không nổi bật", featured=False)
    empty = EventThread.objects.create(title="Dòng chưa có bài công khai", featured=True)
    members = [pictured(f"Diễn biến {n}", n + 1) for n in range(4)]
    draft = ArticleFactory(title="Bản nháp trong dòng", status=Article.Status.DRAFT, published_at=None)
    featured.articles.add(*members, draft)
    quiet.articles.add(members[0])
    empty.articles.add(draft)
    page = Page(client.get("/"))
    box = page.section("featured-threads", tag="section")
    assert "Vụ cháy chung cư mini" in box and "Diễn biến vụ cháy ở Khương Hạ." in box
    assert f'href="{featured.get_absolute_url()}"' in box
    # Its three newest public articles, newest first; the thread's cover is the newest photo.
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', box)
    assert [t for _, t in links] == ["Diễn biến 0", "Diễn biến 1", "Diễn biến 2"]
    assert [u for u, _ in links] == [m.get_absolute_url() for m in members[:3]]
    assert len(re.findall(r"<img ", box)) == 1
    cover = f'<a class="card-thumb" href="{featured.get_absolute_url()}" tabindex="-1" aria-hidden="true"><picture>'
    assert cover in box
    for hidden in ("Dòng không nổi bật", "Dòng chưa có bài công khai", "Bản nháp trong dòng"):
        assert hidden not in page.html


def test_no_featured_thread_no_box(client):
    ArticleFactory()
    assert "featured-threads" not in client.get("/").content.decode()


def test_an_empty_archive_says_so(client):
    page = Page(client.get("/"))
    assert "Chưa có bài viết nào." in page.html
    assert "lead-story" not in page.html


def test_the_header_menu_lists_every_category_without_javascript(client):
    names = [f"Chuyên mục {n:02d}" for n in range(12)]
    for n, name in enumerate(names):
        CategoryFactory(name=name, position=n)
    page = Page(client.get("/"))
    strip = page.section("sections", tag="nav")
    assert re.findall(r'<a href="/chuyen-muc/[^"]+/">([^<]+)</a>', strip) == names[:8]
    # The whole menu is a <details>: it opens without a script.
    menu = page.section("menu", tag="details")
    assert "<summary>" in menu and "Mục lục" in menu
    assert re.findall(r'<li><a href="/chuyen-muc/[^"]+/">([^<]+)</a></li>', menu) == names
    for address in ("/chuyen-muc/", "/tag/", "/tac-gia/", "/dinh-chinh/"):
        assert f'href="{address}"' in menu
    assert "<script" not in page.html.split("</header>")[0]
