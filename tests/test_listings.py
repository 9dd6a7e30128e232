"""Reader listings: the home page, category and tag pages, the date archives, the
tag and category indexes, and what an article page links to (related, neighbours)."""
import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import caching, pagination, queries
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    TagFactory,
    hanoi,
)
from tests.public_pages import PAGES, World
from tests.reader import Page, card_titles, card_urls

pytestmark = pytest.mark.django_db

HOURS = datetime.timedelta(hours=1)


def ago(hours):
    return timezone.now() - hours * HOURS


def titles(fragment):
    return [html.unescape(t) for t in card_titles(fragment)]


BAD_PAGES = ["0", "-1", "abc", "99999", "1.5", "", "2e1", "%C2%B2"]


@pytest.fixture
def many_in_one_place(db):
    """25 public articles in one category, one tag and one day: every listing has two pages."""
    category = CategoryFactory(name="Phân trang")
    tag = TagFactory(name="Thẻ phân trang")
    articles = [
        ArticleFactory(category=category, tags=[tag], published_at=hanoi(2018, 6, 9, 8) + n * datetime.timedelta(minutes=5))
        for n in range(25)
    ]
    return World(articles[0], category, tag)


# The paginated page types of tests/public_pages.py (search: tests/test_search.py).
LISTINGS = {name: PAGES[name].url for name in ("home", "category", "tag", "year", "month", "day", "tag index")}


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("number", [p for p in BAD_PAGES if p])
def test_bad_page_numbers_are_404_never_500(client, many_in_one_place, listing, number):
    response = client.get(f"{LISTINGS[listing](many_in_one_place)}?page={number}")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.parametrize("listing", [name for name in LISTINGS if name != "tag index"])
def test_the_second_page_of_every_listing_works(client, many_in_one_place, listing):
    page = Page(client.get(f"{LISTINGS[listing](many_in_one_place)}?page=2"))
    assert len(card_urls(page.html)) == 5
    assert '<span aria-current="page">Trang 2</span>' in page.html
    assert not page.anchor("next")  # the last page says so by linking nowhere


# Each listing's page of cards, as queries.py reads it (the view adds only its section).
PAGE_READS = {
    "latest": lambda world, number: queries.latest(number),
    "category": lambda world, number: queries.category_page(world.category.pk, number),
    "tag": lambda world, number: queries.tag_page(world.tag.pk, number),
    "day": lambda world, number: queries.period_page("day", datetime.date(2018, 6, 9), number),
}


@pytest.mark.parametrize("listing", PAGE_READS)
def test_a_page_of_cards_is_one_statement_newest_first(many_in_one_place, listing):
    """A cold listing page reads its window of ids and their cards in one statement,
    newest first, and knows whether a next page follows."""
    articles = Article.objects.filter(category=many_in_one_place.category)
    newest_first = [a.title for a in sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)]
    for number, shown, more in [(1, newest_first[:20], True), (2, newest_first[20:], False)]:
        caching.changed()
        caching.content_version()  # when the public set next changes: read once per version, not per page
        with CaptureQueriesContext(connection) as statements:
            page = PAGE_READS[listing](many_in_one_place, number)
        assert len(statements) == 1, [q["sql"] for q in statements.captured_queries]
        assert [card.title for card in page.items] == shown
        assert page.has_next is more


real_start = pagination.start


@pytest.mark.parametrize("listing", PAGE_READS)
def test_a_deep_page_starts_from_its_anchor_and_shows_what_its_offset_would(many_in_one_place, listing, monkeypatch):
    """Past a stride of entries, a page is read from the nearest anchor before it
    (pagination.start): the same cards as its offset gives, ties in time ordered
    by id as everywhere (an anchor among them), fewer than a stride skipped; the
    anchors are read once per version, and only for a deep page."""
    monkeypatch.setattr(pagination, "STRIDE", 3)
    tied = many_in_one_place.article.published_at + datetime.timedelta(minutes=32)
    for _ in range(4):
        ArticleFactory(category=many_in_one_place.category, tags=[many_in_one_place.tag], published_at=tied)
    articles = Article.objects.filter(category=many_in_one_place.category)
    newest_first = [a.title for a in sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)]
    starts = []
    monkeypatch.setattr(pagination, "start", lambda offset, anchors: starts.append(real_start(offset, anchors)) or starts[-1])
    caching.changed()
    caching.content_version()
    with CaptureQueriesContext(connection) as statements:
        first = PAGE_READS[listing](many_in_one_place, 1)
    assert len(statements) == 1  # no anchors for a page that needs none
    with CaptureQueriesContext(connection) as statements:
        second = PAGE_READS[listing](many_in_one_place, 2)
    assert len(statements) == 2  # its anchors, then its page
    assert [c.title for c in first.items] == newest_first[:20] and [c.title for c in second.items] == newest_first[20:]
    (first_key, skip_first), (key, skip) = starts
    assert (first_key, skip_first) == (pagination.FIRST, 0) and key < pagination.FIRST and skip < 3
    with CaptureQueriesContext(connection) as statements:
        assert PAGE_READS[listing](many_in_one_place, 2) == second
    assert len(statements) <= 1  # the anchors are kept for the version (and "latest", its pages)


# Each listing's slots, as its pages name them to queries._anchors.
ANCHORED = {
    "latest": lambda world: (),
    "category": lambda world: (("category_id", world.category.pk),),
    "tag": lambda world: (("tag_id", world.tag.pk),),
    "period": lambda world: tuple(zip(("start", "end"), queries._day_bounds(datetime.date(2018, 6, 9)))),
}


@pytest.mark.parametrize("listing", ANCHORED)
@pytest.mark.parametrize("reach", [10**6, 12])
def test_anchors_are_every_strides_key_as_counting_gives_up_to_the_reach(many_in_one_place, listing, reach, monkeypatch):
    """Each anchor is read as a step of a stride from the one before: they are the
    keys of the listing's 3rd, 6th, 9th… entries (ties in time by id), as many as
    the reach holds."""
    monkeypatch.setattr(pagination, "STRIDE", 3)
    tied = many_in_one_place.article.published_at + datetime.timedelta(minutes=32)
    for _ in range(4):
        ArticleFactory(category=many_in_one_place.category, tags=[many_in_one_place.tag], published_at=tied)
    listed = sorted(((a.published_at, a.pk) for a in Article.objects.published()), reverse=True)
    expected = listed[2::3][:reach // 3]
    assert len(expected) == (9 if reach > len(listed) else 4)
    caching.changed()
    assert queries._anchors(listing, ANCHORED[listing](many_in_one_place), reach) == tuple(expected)


def test_a_pages_anchor_is_the_nearest_at_or_before_it_read_far_enough_and_never_more():
    stride, keys, reaches = pagination.STRIDE, [(f"t{n}", n) for n in range(1, 40)], []

    def anchors(reach):  # keys[n - 1]: the key of the listing's (n × stride)-th entry; 39 of them
        reaches.append(reach)
        return tuple(keys[:reach // stride])

    assert pagination.start(stride - 1, anchors) == (pagination.FIRST, stride - 1) and not reaches
    assert pagination.start(stride, anchors) == (keys[0], 1)
    assert pagination.start(2 * stride - 1, anchors) == (keys[1], 0)
    assert pagination.start(3 * stride + 5, anchors) == (keys[2], 6)
    assert reaches == [pagination.REACH] * 3  # a category's every page: one read per version
    assert pagination.start(10**6, anchors) == (keys[38], 10**6 + 1 - 39 * stride)  # past the last anchor
    assert reaches[-1] == 2**20  # beyond the offset, and read no further


# ------------------------------------------------------------------------ archives


def month_rows(page):
    return re.findall(r'<li><a href="([^"]+)">(Tháng \d+)</a> <span class="count">\((\d+) bài\)</span></li>', page.html)


def test_year_archive_lists_its_months_with_counts_of_public_articles(client):
    for day in (3, 15, 15):
        ArticleFactory(published_at=hanoi(2017, 2, day, 9))
    ArticleFactory(published_at=hanoi(2017, 1, 20, 9))
    ArticleFactory(published_at=hanoi(2017, 11, 1, 9))
    ArticleFactory(published_at=hanoi(2017, 11, 30, 23, 30))  # 16:30 UTC: still November in Hanoi
    ArticleFactory(published_at=hanoi(2017, 3, 1, 0, 30))  # 28 February in UTC, March in Hanoi
    ArticleFactory(published_at=hanoi(2017, 2, 20, 9), status=Article.Status.DRAFT)
    ArticleFactory(published_at=hanoi(2017, 4, 20, 9), status=Article.Status.DRAFT)
    ArticleFactory(published_at=hanoi(2016, 12, 31, 23, 0))  # the previous year in Hanoi

    page = Page(client.get("/2017/"))
    assert month_rows(page) == [
        ("/2017/01/", "Tháng 1", "1"),
        ("/2017/02/", "Tháng 2", "3"),
        ("/2017/03/", "Tháng 3", "1"),
        ("/2017/11/", "Tháng 11", "2"),
    ]
    assert len(card_urls(page.html)) == 7
    for url, _, count in month_rows(page):
        assert len(card_urls(Page(client.get(url)).html)) == int(count), url


def test_archive_headings_in_vietnamese(client):
    ArticleFactory(published_at=hanoi(2017, 2, 15, 17, 30))
    for url, heading in [
        ("/2017/", "Năm 2017"),
        ("/2017/02/", "Tháng 2 năm 2017"),
        ("/2017/02/15/", "Thứ Tư, 15/02/2017"),
    ]:
        page = Page(client.get(url))
        assert f'<h1 class="page-title">{heading}</h1>' in page.html, url
        assert page.titles[0].startswith(f"{heading} – "), url


def period_links(page):
    return {attrs["rel"]: (attrs["href"], text) for attrs, text in page.anchors if attrs.get("rel") in ("prev", "next")}


def test_previous_and_next_periods_skip_periods_without_public_articles(client):
    ArticleFactory(published_at=hanoi(2012, 8, 8, 9))
    ArticleFactory(published_at=hanoi(2015, 3, 10, 9))
    ArticleFactory(published_at=hanoi(2015, 7, 5, 9))
    ArticleFactory(published_at=hanoi(2019, 1, 2, 9))
    # Neither a draft nor (later) a scheduled article makes a period worth a link.
    ArticleFactory(published_at=hanoi(2015, 5, 1, 9), status=Article.Status.DRAFT)
    ArticleFactory(published_at=hanoi(2017, 5, 1, 9), status=Article.Status.DRAFT)
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=400))

    assert period_links(Page(client.get("/2015/03/"))) == {
        "prev": ("/2012/08/", "← Tháng 8 năm 2012"),
        "next": ("/2015/07/", "Tháng 7 năm 2015 →"),
    }
    assert period_links(Page(client.get("/2015/07/"))) == {
        "prev": ("/2015/03/", "← Tháng 3 năm 2015"),
        "next": ("/2019/01/", "Tháng 1 năm 2019 →"),
    }
    assert period_links(Page(client.get("/2015/"))) == {
        "prev": ("/2012/", "← Năm 2012"),
        "next": ("/2019/", "Năm 2019 →"),
    }
    assert period_links(Page(client.get("/2015/03/10/"))) == {
        "prev": ("/2012/08/08/", "← Thứ Tư, 08/08/2012"),
        "next": ("/2015/07/05/", "Chủ Nhật, 05/07/2015 →"),
    }
    assert period_links(Page(client.get("/2019/"))) == {"prev": ("/2015/", "← Năm 2015")}
    assert period_links(Page(client.get("/2012/08/08/"))) == {"next": ("/2015/03/10/", "Thứ Ba, 10/03/2015 →")}
    for empty in ("/2015/04/", "/2015/05/", "/2017/", "/2017/05/", "/2015/05/01/"):
        assert client.get(empty).status_code == 404, empty


def test_archive_breadcrumbs_climb_day_month_year_home(client):
    ArticleFactory(published_at=hanoi(2017, 2, 15, 17, 30))
    assert Page(client.get("/2017/02/15/")).breadcrumbs() == [
        ("Trang chủ", "/"),
        ("Năm 2017", "/2017/"),
        ("Tháng 2 năm 2017", "/2017/02/"),
        ("Thứ Tư, 15/02/2017", None),
    ]
    assert Page(client.get("/2017/02/")).breadcrumbs() == [
        ("Trang chủ", "/"),
        ("Năm 2017", "/2017/"),
        ("Tháng 2 năm 2017", None),
    ]
    assert Page(client.get("/2017/")).breadcrumbs() == [("Trang chủ", "/"), ("Năm 2017", None)]


def test_listing_and_index_breadcrumbs(client):
    tag = TagFactory(name="Cháy nổ")
    article = ArticleFactory(category=CategoryFactory(name="Đời sống"), tags=[tag])
    assert Page(client.get(article.category.get_absolute_url())).breadcrumbs() == [
        ("Trang chủ", "/"),
        ("Chuyên mục", "/chuyen-muc/"),
        ("Đời sống", None),
    ]
    assert Page(client.get(tag.get_absolute_url())).breadcrumbs() == [
        ("Trang chủ", "/"),
        ("Thẻ", "/tag/"),
        ("Cháy nổ", None),
    ]
    assert Page(client.get("/tag/")).breadcrumbs() == [("Trang chủ", "/"), ("Thẻ", None)]
    assert Page(client.get("/chuyen-muc/")).breadcrumbs() == [("Trang chủ", "/"), ("Chuyên mục", None)]


def parents(url):
    """/a/b/c/ -> ["/a/b/", "/a/", "/"]"""
    parts = url.strip("/").split("/")
    return ["/" + "/".join(parts[:n]) + ("/" if n else "") for n in range(len(parts) - 1, -1, -1)]


def test_cutting_the_last_part_off_any_url_lands_on_the_listing_above(client):
    tag = TagFactory(name="Thi đua")
    article = ArticleFactory(
        title="Đổi mới cách làm thi đua", slug="doi-moi-cach-lam-thi-dua",
        category=CategoryFactory(name="Chính trị - Xã hội"), tags=[tag], published_at=hanoi(2017, 2, 15, 17, 30),
    )
    url = article.get_absolute_url()
    assert url == "/2017/02/15/doi-moi-cach-lam-thi-dua/"
    assert parents(url) == ["/2017/02/15/", "/2017/02/", "/2017/", "/"]
    for archive in parents(url):
        page = Page(client.get(archive))
        assert url in card_urls(page.html), archive
    for feed, listing, index in [
        ("/chuyen-muc/chinh-tri-xa-hoi/rss/", "/chuyen-muc/chinh-tri-xa-hoi/", "/chuyen-muc/"),
        ("/tag/thi-dua/rss/", "/tag/thi-dua/", "/tag/"),
    ]:
        assert client.get(feed).status_code == 200
        assert parents(feed) == [listing, index, "/"]
        assert url in card_urls(Page(client.get(listing)).html)
        assert f'href="{listing}"' in Page(client.get(index)).html


def test_an_article_after_midnight_in_hanoi_is_filed_under_its_hanoi_day(client):
    article = ArticleFactory(published_at=hanoi(2017, 2, 16, 0, 30))  # 15/02 17:30 UTC
    url = article.get_absolute_url()
    assert url.startswith("/2017/02/16/")
    assert url in card_urls(Page(client.get("/2017/02/16/")).html)
    assert client.get("/2017/02/15/").status_code == 404


def tag_rows(page):
    return [
        (href, html.unescape(name), int(count))
        for href, name, count in re.findall(
            r'<li><a href="([^"]+)">([^<]+)</a> <span class="count">\((\d+)\)</span></li>', page.section("tag-cloud", tag="ul")
        )
    ]


def test_tag_index_counts_public_articles_and_hides_tags_with_none(client):
    anh_sang, zalo, anh_hung, binh_yen, an_tag = (
        TagFactory(name=name) for name in ("Ánh sáng", "Zalo", "Anh hùng", "Bình yên", "Ẩn danh")
    )
    secret = TagFactory(name="Chuyên án chưa công bố")
    TagFactory(name="Thẻ chưa dùng")
    ArticleFactory(tags=[anh_sang, zalo])
    ArticleFactory(tags=[anh_sang, anh_hung])
    ArticleFactory(tags=[binh_yen, an_tag])
    ArticleFactory(tags=[anh_sang, secret], status=Article.Status.DRAFT)
    ArticleFactory(tags=[zalo, secret], published_at=timezone.now() + datetime.timedelta(days=1))

    rows = tag_rows(Page(client.get("/tag/")))
    assert [(name, count) for _, name, count in rows] == [
        ("Anh hùng", 1), ("Ánh sáng", 2), ("Ẩn danh", 1), ("Bình yên", 1), ("Zalo", 1),
    ]
    assert [href for href, _, _ in rows] == ["/tag/anh-hung/", "/tag/anh-sang/", "/tag/an-danh/", "/tag/binh-yen/", "/tag/zalo/"]
    page = Page(client.get("/tag/"))
    assert "Chuyên án chưa công bố" not in page.html and "Thẻ chưa dùng" not in page.html


def test_category_index_lists_every_category_in_position_order(client):
    second = CategoryFactory(name="An ninh", position=2, description="Tin an ninh trật tự")
    first = CategoryFactory(name="Xã hội", position=1)
    third = CategoryFactory(name="Bạn đọc", position=3)
    ArticleFactory(category=second)
    page = Page(client.get("/chuyen-muc/"))
    listed = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', page.section("category-list", tag="ul"))
    assert listed == [(c.get_absolute_url(), c.name) for c in (first, second, third)]
    assert "– Tin an ninh trật tự" in page.html


# ------------------------------------------------------------------ article page


def test_related_articles_share_a_tag_newest_first_and_are_public(client):
    shared, other, unrelated = TagFactory(name="Phòng cháy"), TagFactory(name="Cứu hộ"), TagFactory(name="Thể thao")
    article = ArticleFactory(title="Bài chính", tags=[shared, other], published_at=hanoi(2020, 5, 10, 9))
    both = ArticleFactory(title="Chung hai thẻ", tags=[shared, other], published_at=hanoi(2020, 5, 1, 9))
    newer = ArticleFactory(title="Liên quan mới hơn", tags=[other], published_at=hanoi(2021, 1, 1, 9))
    older = ArticleFactory(title="Liên quan cũ", tags=[shared], published_at=hanoi(2019, 1, 1, 9))
    ArticleFactory(title="Liên quan bản nháp", tags=[shared], status=Article.Status.DRAFT, published_at=hanoi(2020, 5, 9, 9))
    ArticleFactory(title="Liên quan hẹn giờ", tags=[shared], published_at=timezone.now() + datetime.timedelta(days=3))
    ArticleFactory(title="Không liên quan", tags=[unrelated], published_at=hanoi(2020, 5, 9, 9))

    page = Page(client.get(article.get_absolute_url()))
    related = page.section("related", tag="section")
    assert titles(related) == [newer.title, both.title, older.title]
    assert card_urls(related) == [a.get_absolute_url() for a in (newer, both, older)]
    for hidden in ("Liên quan bản nháp", "Liên quan hẹn giờ"):
        assert hidden not in page.html
    assert "Không liên quan" not in related  # (it may well be the previous article)


def test_related_articles_are_at_most_five(client):
    tag = TagFactory()
    article = ArticleFactory(tags=[tag], published_at=hanoi(2020, 1, 1, 9))
    others = [ArticleFactory(tags=[tag], published_at=hanoi(2019, 1, n + 1, 9)) for n in range(7)]
    related = Page(client.get(article.get_absolute_url())).section("related", tag="section")
    assert card_urls(related) == [a.get_absolute_url() for a in reversed(others[2:])]


def test_article_without_tags_has_no_related_section(client):
    ArticleFactory(published_at=hanoi(2019, 1, 1, 9))
    article = ArticleFactory(published_at=hanoi(2020, 1, 1, 9))
    page = Page(client.get(article.get_absolute_url()))
    assert 'class="related"' not in page.html


def test_previous_and_next_articles_are_the_public_chronological_neighbours(client):
    oldest = ArticleFactory(title="Bài cũ nhất", published_at=hanoi(2020, 1, 1, 8))
    before = ArticleFactory(title="Bài trước công khai", published_at=hanoi(2020, 1, 2, 8))
    ArticleFactory(title="Nháp ở giữa", status=Article.Status.DRAFT, published_at=hanoi(2020, 1, 2, 20))
    article = ArticleFactory(title="Bài đang đọc", published_at=hanoi(2020, 1, 3, 8))
    ArticleFactory(title="Nháp ngay sau", status=Article.Status.DRAFT, published_at=hanoi(2020, 1, 3, 9))
    after = ArticleFactory(title="Bài sau công khai", published_at=hanoi(2020, 1, 5, 8))
    ArticleFactory(title="Bài hẹn giờ", published_at=timezone.now() + datetime.timedelta(hours=3))

    page = Page(client.get(article.get_absolute_url()))
    previous, following = page.anchor("prev"), page.anchor("next")
    assert previous[0]["href"] == before.get_absolute_url() and "Bài trước công khai" in previous[1]
    assert following[0]["href"] == after.get_absolute_url() and "Bài sau công khai" in following[1]

    newest = Page(client.get(after.get_absolute_url()))
    assert newest.anchor("prev")[0]["href"] == article.get_absolute_url()
    assert newest.anchor("next") is None  # the scheduled one is not out yet
    first = Page(client.get(oldest.get_absolute_url()))
    assert first.anchor("prev") is None
    assert first.anchor("next")[0]["href"] == before.get_absolute_url()
    for hidden in ("Nháp ở giữa", "Nháp ngay sau", "Bài hẹn giờ"):
        assert hidden not in page.html + newest.html + first.html


def test_neighbours_published_at_the_same_instant_are_ordered_by_id(client):
    when = hanoi(2020, 3, 3, 8)
    first, second, third = (ArticleFactory(title=f"Cùng giờ {n}", published_at=when) for n in range(3))
    page = Page(client.get(second.get_absolute_url()))
    assert page.anchor("prev")[0]["href"] == first.get_absolute_url()
    assert page.anchor("next")[0]["href"] == third.get_absolute_url()


def test_article_time_links_to_its_day_archive(client):
    article = ArticleFactory(published_at=hanoi(2017, 2, 16, 0, 30))  # still the 15th in UTC
    page = Page(client.get(article.get_absolute_url()))
    match = re.search(r'<a href="([^"]+)"><time datetime="([^"]+)">([^<]+)</time></a>', page.html)
    assert match.groups() == ("/2017/02/16/", "2017-02-16T00:30:00+07:00", "Thứ Năm, 16/02/2017, 00:30 (GMT+7)")
    assert article.get_absolute_url() in card_urls(Page(client.get("/2017/02/16/")).html)


def test_article_breadcrumbs_include_its_category(client):
    article = ArticleFactory(title="Bắt giữ nhóm trộm cắp", category=CategoryFactory(name="An ninh trật tự"))
    assert Page(client.get(article.get_absolute_url())).breadcrumbs() == [
        ("Trang chủ", "/"),
        ("An ninh trật tự", "/chuyen-muc/an-ninh-trat-tu/"),
        ("Bắt giữ nhóm trộm cắp", None),
    ]
    uncategorised = ArticleFactory(title="Bài chưa xếp mục", category=None)
    assert Page(client.get(uncategorised.get_absolute_url())).breadcrumbs() == [
        ("Trang chủ", "/"),
        ("Bài chưa xếp mục", None),
    ]


def test_article_tags_are_links_with_rel_tag(client):
    tags = [TagFactory(name=name) for name in ("Hà Nội", "Đường sắt", "Giao thông")]
    article = ArticleFactory(tags=tags)
    page = Page(client.get(article.get_absolute_url()))
    tag_links = {(attrs["href"], text) for attrs, text in page.anchors if attrs.get("rel") == "tag"}
    assert tag_links == {("/tag/ha-noi/", "Hà Nội"), ("/tag/duong-sat/", "Đường sắt"), ("/tag/giao-thong/", "Giao thông")}
    for href, _ in tag_links:
        assert article.get_absolute_url() in card_urls(Page(client.get(href)).html)


@pytest.mark.parametrize("ids, index", [
    (lambda article: queries._in_category(article.category_id), "article_public_by_category"),
    (lambda article: queries._tagged(article.tags.get().pk), "tagging_public_by_date"),
    # A day's: by_date at a million articles; on a test's few rows, once the table has
    # been analysed, PostgreSQL may read by_category whole (it too holds the time).
    (lambda article: queries._period_ids(*queries._day_bounds(article.local_date)), "article_public_by_(date|category)"),
])
def test_a_listing_reads_its_page_of_ids_from_its_index_alone(ids, index):
    """Deep pages skip their earlier rows in the index, never in the table: the
    index holds every column the ids' query reads (0021). With every other way
    off, PostgreSQL can only choose an index-only scan of an index that covers it."""
    query = ids(ArticleFactory(tags=[TagFactory()]))[40:61]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        for way in ("seqscan", "bitmapscan", "indexscan"):
            cursor.execute(f"SET LOCAL enable_{way} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert re.search(f"Index Only Scan using {index} ", plan), plan


def test_a_category_page_cards_leave_out_the_category_other_listings_show_it(client):
    """On its own page a category would name itself on every card; a tag page's
    cards name theirs."""
    category = CategoryFactory(name="Giao thông")
    tag = TagFactory(name="Đường sắt")
    ArticleFactory(title="Tàu chạy đúng giờ", category=category, tags=[tag])
    category_page = Page(client.get(category.get_absolute_url()))
    tag_page = Page(client.get(tag.get_absolute_url()))
    meta = '<p class="meta"><a href="/chuyen-muc/giao-thong/">Giao thông</a> · <time'
    assert card_titles(category_page.html) == card_titles(tag_page.html) == ["Tàu chạy đúng giờ"]
    assert meta not in category_page.html and '<p class="meta"><time' in category_page.html
    assert meta in tag_page.html
