"""Cards and pictures made in Python (articles/cards.py, articles/photos/markup.py):
the markup each variant gives, escaping, and the <picture> element."""
import re
from datetime import datetime

import pytest

from articles import cards
from articles.models import HANOI
from articles.photos import markup
from articles.values import Card, Link, Picture, ThreadCard

PHOTO = Picture(
    "/media/a.jpg", 1200, 800, "Hiện trường", "Chú thích", "Ảnh: ANTD", "/media/a-640.jpg",
    {"avif": "/media/a-320.avif 320w, /media/a-640.avif 640w", "webp": "/media/a-640.webp 640w",
     "jpeg": "/media/a-320.jpg 320w, /media/a-640.jpg 640w"},
)
# Every width of an article photo's renditions (photos/images.WIDTHS) and its original's.
WIDE = Picture(
    "/media/c.jpg", 2400, 1600, "", "", "", "/media/c-640.jpg",
    {fmt: markup.srcset((w, f"/media/c-{w}.{fmt}") for w in (320, 640, 960, 1280, 1920, 2400))
     for fmt in ("avif", "webp", "jpeg")},
)
WHEN = datetime(2017, 2, 15, 17, 30, tzinfo=HANOI)


def card(title="Đổi mới biện pháp", lead="Sáng 15/2, Công an Hà Nội tổ chức hội nghị.", picture=PHOTO, category=True):
    section = Link("An ninh trật tự", "/chuyen-muc/an-ninh-trat-tu/", "an-ninh-trat-tu") if category else None
    return Card(7, "/2017/02/15/doi-moi-bien-phap/", title, lead, WHEN, section, picture)


def test_listing_card_has_its_thumbnail_title_meta_and_sapo():
    html = cards.card(card())
    assert html.startswith('<article class="card">')
    assert '<a class="card-thumb" href="/2017/02/15/doi-moi-bien-phap/" tabindex="-1" aria-hidden="true">' in html
    assert '<h2 class="card-title"><a href="/2017/02/15/doi-moi-bien-phap/">Đổi mới biện pháp</a></h2>' in html
    assert ('<p class="meta"><a href="/chuyen-muc/an-ninh-trat-tu/">An ninh trật tự</a> · '
            '<time datetime="2017-02-15T17:30:00+07:00">15/02/2017</time></p>') in html
    assert '<p class="card-lead">Sáng 15/2, Công an Hà Nội tổ chức hội nghị.</p>' in html
    assert 'loading="lazy"' in html and 'sizes="(min-width: 40rem) 14rem, calc(100vw - 2rem)"' in html


def test_front_page_lead_story_loads_its_photo_at_once():
    html = cards.card(card(), lead=True, level=3)
    assert html.startswith('<article class="card card-lead-story">')
    assert '<h2 class="card-title card-title-lead">' in html  # the lead is always a second-level heading
    assert "loading=" not in html
    assert 'sizes="(min-width: 40rem) 38rem, calc(100vw - 2rem)"' in html


@pytest.mark.parametrize("variant, sizes", [
    ("tile", "(min-width: 64rem) 15rem, (min-width: 40rem) calc(25vw - 1.5rem), calc(50vw - 1.5rem)"),
    ("row", "(min-width: 40rem) 10rem, 7rem"),
])
def test_variants_size_their_thumbnails(variant, sizes):
    html = cards.card(card(), variant=variant, level=3, compact=True)
    assert html.startswith(f'<article class="card card-{variant}">')
    assert f'sizes="{sizes}"' in html and '<h3 class="card-title">' in html
    assert "card-lead" not in html  # compact: no sapo


def widths(html, fmt):
    return [re.findall(r" (\d+)w", found) for found in re.findall(rf'srcset="([^"]*\.{fmt} [^"]*)"', html)]


@pytest.mark.parametrize("variant, lead, offered", [
    ("row", False, ["320", "640"]),  # 10rem at most: 480 px on a 3x screen
    ("tile", False, ["320", "640", "960"]),  # half a 40rem phone less its gap: 296 CSS px, 888 px at 3x
    ("", False, ["320", "640", "960", "1280", "1920", "2400"]),  # a listing's: a phone's whole width
    ("", True, ["320", "640", "960", "1280", "1920", "2400"]),  # the front page's lead story
])
def test_a_thumbnails_srcset_stops_at_the_rendition_that_covers_its_widest_on_a_dense_screen(variant, lead, offered):
    html = cards.card(card(picture=WIDE), variant=variant, lead=lead)
    assert widths(html, "avif") == widths(html, "webp") == widths(html, "jpeg") == [offered]


def test_a_srcset_cut_keeps_the_narrowest_that_covers_it():
    whole = markup.srcset([(320, "/a"), (640, "/b"), (960, "/c")])
    assert whole == "/a 320w, /b 640w, /c 960w" and markup.srcset([]) == ""
    assert markup.cut(whole) == markup.cut(whole, 641) == markup.cut(whole, 5000) == whole
    assert markup.cut(whole, 640) == "/a 320w, /b 640w" and markup.cut(whole, 100) == "/a 320w"


def test_a_featured_threads_cover_is_a_thumbnail_sized_for_its_box():
    thread = ThreadCard("Vụ cháy chung cư mini", "/dong-su-kien/vu-chay/", "", PHOTO, ())
    html = cards.thumb(thread, "thread")
    assert html.startswith('<a class="card-thumb" href="/dong-su-kien/vu-chay/" tabindex="-1" aria-hidden="true"><picture>')
    assert 'sizes="(min-width: 64rem) 20rem, calc(100vw - 2rem)"' in html and 'loading="lazy"' in html
    assert cards.thumb(ThreadCard("Dòng", "/dong-su-kien/dong/", "", None, ()), "thread") == ""


def test_brief_card_has_no_photo_and_hides_its_category_when_asked():
    html = cards.card(card(), variant="brief", hide_category=True)
    assert "<picture>" not in html and "card-thumb" not in html
    assert "An ninh trật tự" not in html and '<p class="meta"><time' in html


def test_card_without_photo_or_category():
    html = cards.card(card(picture=None, category=False))
    assert "card-thumb" not in html and '<p class="meta"><time' in html


def test_card_escapes_what_editors_typed():
    html = cards.card(card(title='Vở kịch <Hamlet> & "Macbeth"', lead="3 < 5 & <b>đậm</b>"))
    assert "Vở kịch &lt;Hamlet&gt; &amp; &quot;Macbeth&quot;" in html
    assert "3 &lt; 5 &amp; &lt;b&gt;đậm&lt;/b&gt;" in html
    assert "<b>" not in html and "<Hamlet>" not in html


def test_long_sapo_is_cut_at_forty_words():
    lead = " ".join(f"từ{n}" for n in range(60))
    sapo = re.search(r'<p class="card-lead">(.*?)</p>', cards.card(card(lead=lead))).group(1)
    assert sapo == " ".join(f"từ{n}" for n in range(40)) + " …"


def test_unknown_variant_is_refused():
    with pytest.raises(ValueError):
        cards.card(card(), variant="banner")


def test_picture_lists_each_format_it_has_and_its_size():
    html = markup.picture(PHOTO, "42rem", "Hiện trường", False)
    assert html == (
        '<picture><source type="image/avif" srcset="/media/a-320.avif 320w, /media/a-640.avif 640w" sizes="42rem">'
        '<source type="image/webp" srcset="/media/a-640.webp 640w" sizes="42rem">'
        '<img src="/media/a-640.jpg" srcset="/media/a-320.jpg 320w, /media/a-640.jpg 640w" sizes="42rem" '
        'alt="Hiện trường" width="1200" height="800" loading="lazy"></picture>'
    )


def test_picture_without_renditions_is_the_original_alone():
    bare = Picture("/media/b.jpg", 640, 480, 'Ảnh "cũ"', "", "", "/media/b.jpg", {})
    assert markup.picture(bare, "6rem", bare.alt, True) == (
        '<picture><img src="/media/b.jpg" alt="Ảnh &quot;cũ&quot;" width="640" height="480"></picture>'
    )


@pytest.mark.django_db
def test_a_card_reads_its_lead_photo_alone():
    """A card's row carries, of its article's photos, only the first with a file
    (the one a card shows, Article.lead_photo), and the card made of that row is
    the one the article itself gives: its address, category and picture."""
    from articles import queries
    from articles.models import Article
    from tests.factories import ArticleFactory, PhotoFactory

    article = ArticleFactory(title="Ba ảnh")
    PhotoFactory(article=article, image=None, caption="Ảnh đã mất tệp")
    lead = PhotoFactory(article=article, caption="Ảnh dẫn", alt_text="Hai cán bộ bắt tay")
    PhotoFactory(article=article, caption="Ảnh thứ ba")
    [row] = queries.card_rows(Article.objects.filter(pk=article.pk))
    assert row["card_photo"]["id"] == lead.pk
    whole = Article.objects.prefetch_related("photos").select_related("category").get(pk=article.pk)
    category = whole.category
    assert queries.card_of(row) == Card(
        whole.pk, whole.get_absolute_url(), "Ba ảnh", whole.lead, whole.published_at,
        Link(category.name, category.get_absolute_url(), category.slug), Picture.of(whole.lead_photo),
    )
    assert queries.card_of(row).picture.caption == "Ảnh dẫn"
    assert queries.card_of(row).picture.alt == "Hai cán bộ bắt tay"  # made from the row, as Photo.alt says


@pytest.mark.django_db
def test_a_card_without_category_or_photo_or_time():
    """An article with no category, no photo and no publication time yet: its card
    links to its preview and shows neither section nor picture."""
    from articles import queries
    from articles.models import Article
    from tests.factories import ArticleFactory

    draft = ArticleFactory(title="Nháp", category=None, published_at=None, status=Article.Status.DRAFT)
    [row] = queries.card_rows(Article.objects.filter(pk=draft.pk))
    card = queries.card_of(row)
    assert (card.url, card.category, card.picture) == (f"/xem-truoc/{draft.pk}/", None, None)
    assert card.url == draft.get_absolute_url()
