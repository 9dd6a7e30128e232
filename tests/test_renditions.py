"""Responsive renditions: which are made, when, under which names, how the article
page offers them, and that they go when their photo goes. The original outlives
its photo (a revision may name it, and restoring brings it back) until the
article is purged from the trash (articles/signals.py, articles/newsroom/trash.py).

Renditions are made on commit; tests run inside a transaction, so every save that
should produce them runs inside django_capture_on_commit_callbacks(execute=True).
"""
import datetime
import hashlib
import io
import re
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from articles.newsroom import trash
from articles.photos import images
from articles.models import Article, Photo
from articles.values import Picture
from tests import imagefiles as f
from tests.conftest import media_files
from tests.factories import ArticleFactory, PhotoFactory
from tests.test_admin import ADD_URL, form_data, login

pytestmark = pytest.mark.django_db

FORMAT_NAMES = [fmt.lower() for fmt in images.FORMATS]
PIL_FORMAT = {"webp": "WEBP", "jpeg": "JPEG", "avif": "AVIF"}
EXTENSION = {"webp": "webp", "jpeg": "jpg", "avif": "avif"}
RENDITION_NAME = re.compile(r"^renditions/([0-9a-f]{2})/([0-9a-f]{12})-(\d+)w-([0-9a-f]{16})\.(webp|jpg|avif)$")


@pytest.fixture
def make_photo(django_capture_on_commit_callbacks):
    """A photo saved and committed: its renditions made as in production."""

    def make(data=None, name="anh.jpg", **fields):
        if data is not None:
            fields["image"] = ContentFile(data, name=name)
        with django_capture_on_commit_callbacks(execute=True):
            photo = PhotoFactory(**fields)
        photo.refresh_from_db()
        return photo

    return make


def read(name):
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def widths_of(photo, fmt):
    return [width for width, _, _ in photo.renditions[fmt]]


def all_names(photo):
    return images.rendition_names(photo.renditions)


def rendition_files(media_root):
    return [name for name in media_files(media_root) if name.startswith("renditions/")]


def served(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def parse_srcset(srcset):
    pairs = []
    for part in srcset.split(","):
        url, descriptor = part.split()
        assert descriptor.endswith("w"), part
        pairs.append((url, int(descriptor[:-1])))
    return pairs


class _Events(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("start", tag, dict(attrs)))

    def handle_endtag(self, tag):
        self.events.append(("end", tag, {}))

    def handle_data(self, data):
        if data.strip():
            self.events.append(("text", data.strip(), {}))


def events(fragment):
    parser = _Events()
    parser.feed(fragment)
    parser.close()
    return parser.events


def figures(page_html):
    body = re.search(r'<div class="story-body">(.*?)</article>', page_html, re.S)
    assert body, "no story body"
    return [events(fragment) for fragment in re.findall(r"<figure\b.*?</figure>", body.group(1), re.S)]


def picture_of(figure):
    """(sources, img) of a figure > picture > source*, img; asserts that nesting."""
    kinds = [(kind, tag) for kind, tag, _ in figure]
    assert kinds[0] == ("start", "figure") and kinds[-1] == ("end", "figure")
    start, end = kinds.index(("start", "picture")), kinds.index(("end", "picture"))
    assert kinds[: start] == [("start", "figure")], "the picture comes first in the figure"
    inside = figure[start + 1 : end]
    assert [tag for _, tag, _ in inside] == ["source"] * (len(inside) - 1) + ["img"], inside
    return [attrs for _, _, attrs in inside[:-1]], inside[-1][2]


def article_page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# What is made ----------------------------------------------------------------


def test_an_800px_photo_gets_320_640_and_800_in_every_format(make_photo, media_root):
    photo = make_photo(f.jpeg(800, 600))
    assert set(photo.renditions) == set(FORMAT_NAMES)
    assert ("avif" in photo.renditions) == images.AVIF_SUPPORTED
    for fmt in FORMAT_NAMES:
        assert [(w, h) for w, h, _ in photo.renditions[fmt]] == [(320, 240), (640, 480), (800, 600)]
        for width, height, name in photo.renditions[fmt]:
            image = f.decode(read(name))
            assert image.format == PIL_FORMAT[fmt]
            assert image.size == (width, height)
            assert f.red_corner(image) == "top-left"
    assert sorted(rendition_files(media_root)) == sorted(all_names(photo))


def test_a_wide_photo_gets_every_width_up_to_1920_and_no_more(make_photo):
    photo = make_photo(f.jpeg(2400, 600))
    for fmt in FORMAT_NAMES:
        assert widths_of(photo, fmt) == [320, 640, 960, 1280, 1920]
        assert [h for _, h, _ in photo.renditions[fmt]] == [80, 160, 240, 320, 480]


@pytest.mark.parametrize("width, expected", [
    (100, [100]), (320, [320]), (321, [320, 321]), (800, [320, 640, 800]), (960, [320, 640, 960]),
    (1919, [320, 640, 960, 1280, 1919]), (1920, [320, 640, 960, 1280, 1920]), (5000, [320, 640, 960, 1280, 1920]),
])
def test_widths_are_never_upscaled(width, expected):
    assert images.target_widths(width) == expected


def test_a_small_photo_gets_its_own_width_only(make_photo):
    photo = make_photo(f.png(200, 100), name="nho.png")
    for fmt in FORMAT_NAMES:
        assert photo.renditions[fmt] == [[200, 100, photo.renditions[fmt][0][2]]]


def test_rendition_names_are_content_hashed(make_photo):
    photo = make_photo(f.jpeg(800, 600))
    # The prefix names the photo's own original (its stored name and bytes), so two
    # photos of one picture never share files; the suffix is the file's content.
    source_hash = hashlib.sha256(photo.image.name.encode() + read(photo.image.name)).hexdigest()
    for fmt in FORMAT_NAMES:
        for width, _, name in photo.renditions[fmt]:
            match = RENDITION_NAME.match(name)
            assert match, name
            assert match[2] == source_hash[:12] and match[1] == source_hash[:2]
            assert int(match[3]) == width
            assert match[4] == hashlib.sha256(read(name)).hexdigest()[:16]
            assert match[5] == EXTENSION[fmt]


def test_renditions_are_made_once_after_commit(django_capture_on_commit_callbacks, monkeypatch, media_root):
    calls = []
    real = images.make_renditions
    monkeypatch.setattr(images, "make_renditions", lambda data, *a, **k: calls.append(1) or real(data, *a, **k))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        photo = PhotoFactory(image=ContentFile(f.jpeg(800, 600), name="anh.jpg"))
    assert calls == [] and rendition_files(media_root) == [], "nothing before the commit"
    assert Photo.objects.get().renditions == {}
    for callback in callbacks:
        callback()
    assert len(calls) == 1
    photo.refresh_from_db()
    assert widths_of(photo, "webp") == [320, 640, 800]
    made = sorted(rendition_files(media_root))
    # Editing the caption is no reason to make them again.
    with django_capture_on_commit_callbacks(execute=True):
        photo.caption = "Chú thích mới"
        photo.save()
    assert len(calls) == 1
    photo.refresh_from_db()
    assert sorted(rendition_files(media_root)) == made == sorted(all_names(photo))


def test_a_rolled_back_save_makes_no_renditions(django_capture_on_commit_callbacks, media_root):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                PhotoFactory(image=ContentFile(f.jpeg(800, 600), name="anh.jpg"))
                raise RuntimeError("rollback")
    assert callbacks == []
    assert rendition_files(media_root) == []


# On the page -----------------------------------------------------------------


def test_served_renditions_from_the_page_are_upright_sized_and_private(client, editor, django_capture_on_commit_callbacks):
    """Upload through the admin a sideways camera JPEG with GPS, then fetch every
    rendition the article page offers."""
    login(client, editor)
    data = form_data(status="published", published_at_0="15/02/2017", published_at_1="17:30", **{
        "photos-TOTAL_FORMS": "1",
        "photos-0-image": f.upload(f.oriented_jpeg(6, 1200, 900, private=True), "Hiện trường.jpg"),
        "photos-0-caption": "Hiện trường vụ việc", "photos-0-credit": "", "photos-0-alt_text": "",
    })
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, data)
    assert response.status_code == 302
    article = Article.objects.get()
    photo = article.photos.get()
    assert (photo.width, photo.height) == (900, 1200)
    client.logout()  # what readers get

    (figure,) = figures(article_page(client, article))
    sources, img = picture_of(figure)
    offered = {source["type"]: source["srcset"] for source in sources}
    offered["image/jpeg"] = img["srcset"]
    expected_types = {"image/webp", "image/jpeg"} | ({"image/avif"} if images.AVIF_SUPPORTED else set())
    assert set(offered) == expected_types
    fetched = 0
    for mime, srcset in offered.items():
        pairs = parse_srcset(srcset)
        assert [width for _, width in pairs] == [320, 640, 900]
        for url, width in pairs:
            body = served(client, url)
            image = f.decode(body)
            assert image.format == mime.split("/")[1].upper()
            assert image.size == (width, round(1200 * width / 900))
            assert f.red_corner(image) == "top-right", "upright: stored-top-left is seen top-right"
            exif = image.getexif()
            assert f.GPS_IFD not in exif and not exif.get_ifd(f.GPS_IFD)
            assert f.SERIAL.encode() not in body and b"GPS" not in body
            fetched += 1
    assert fetched == 3 * len(expected_types)
    fallback = f.decode(served(client, img["src"]))
    assert fallback.format == "JPEG" and fallback.width == 640


def test_article_markup_figure_picture_sources_and_img(client, make_photo):
    article = ArticleFactory()
    first = make_photo(f.jpeg(800, 600), article=article, position=0, caption="Chú thích một",
                       alt_text="Lực lượng chức năng kiểm tra hành chính")
    second = make_photo(f.png(640, 480), name="hai.png", article=article, position=1,
                        caption="Cảnh sát giao thông điều tiết xe", alt_text="")
    make_photo(article=article, image="", position=2, caption="Ảnh lưu trữ đã mất tệp", credit="Ảnh: Tư liệu")
    page = article_page(client, article)
    found = figures(page)
    assert len(found) == 3

    for figure, photo, alt, eager in ((found[0], first, first.alt_text, True), (found[1], second, second.caption, False)):
        sources, img = picture_of(figure)
        types = [source["type"] for source in sources]
        assert types == (["image/avif"] if images.AVIF_SUPPORTED else []) + ["image/webp"], "AVIF first: browsers take the first they know"
        for source in sources:
            fmt = source["type"].split("/")[1]
            assert source["sizes"]
            assert [w for _, w in parse_srcset(source["srcset"])] == widths_of(photo, fmt)
            assert all(url.endswith("." + EXTENSION[fmt]) for url, _ in parse_srcset(source["srcset"]))
        assert img["sizes"] == sources[0]["sizes"]
        assert [w for _, w in parse_srcset(img["srcset"])] == widths_of(photo, "jpeg")
        assert all(url.endswith(".jpg") for url, _ in parse_srcset(img["srcset"]))
        assert (img["width"], img["height"]) == (str(photo.width), str(photo.height))
        assert img["alt"] == alt
        assert ("loading" not in img) if eager else (img["loading"] == "lazy")
        assert img["src"]
        served(client, img["src"])

    missing = found[2]
    assert not [tag for _, tag, _ in missing if tag in ("img", "picture", "source")]
    assert any(tag == "div" and "photo-placeholder" in attrs.get("class", "") for _, tag, attrs in missing)
    assert ("text", "Ảnh lưu trữ đã mất tệp", {}) in missing
    assert 'class="photo photo-missing"' in page


def test_every_image_on_the_article_page_is_really_there(client, make_photo):
    article = ArticleFactory()
    make_photo(article=article, image="", position=0, caption="Không còn tệp")
    make_photo(f.jpeg(800, 600), article=article, position=1)
    page = article_page(client, article)
    srcs = re.findall(r'<img\b[^>]*\bsrc="([^"]*)"', page)
    assert srcs
    for src in srcs:
        assert src.strip() and src != "None"
        served(client, src)


def test_url_for_width_picks_the_smallest_large_enough(make_photo):
    photo = make_photo(f.jpeg(800, 600))
    assert photo.url_for_width(100).endswith(photo.renditions["jpeg"][0][2].rsplit("/", 1)[1])
    assert "-640w-" in photo.url_for_width(640) and "-800w-" in photo.url_for_width(700)
    assert "-800w-" in photo.url_for_width(5000)
    assert "-800w-" in photo.url_for_width(641, "webp") and photo.url_for_width(641, "webp").endswith(".webp")
    Photo.objects.filter(pk=photo.pk).update(renditions={})
    photo.refresh_from_db()
    assert photo.url_for_width(640) == photo.image.url and Picture.of(photo).srcsets == {}


# Rebuilding ------------------------------------------------------------------


def test_rebuild_renditions_makes_deleted_files_again(client, make_photo, media_root):
    photo = make_photo(f.jpeg(800, 600))
    names = all_names(photo)
    for name in names:
        default_storage.delete(name)
    assert rendition_files(media_root) == []
    out = io.StringIO()
    call_command("rebuild_renditions", stdout=out)
    assert "1 ảnh" in out.getvalue()
    photo.refresh_from_db()
    assert sorted(rendition_files(media_root)) == sorted(all_names(photo))
    assert len(all_names(photo)) == len(names)
    (figure,) = figures(article_page(client, photo.article))
    sources, img = picture_of(figure)
    for srcset in [source["srcset"] for source in sources] + [img["srcset"]]:
        for url, width in parse_srcset(srcset):
            assert f.decode(served(client, url)).width == width


def test_rebuild_renditions_fills_photos_that_never_had_any(make_photo, media_root):
    photo = make_photo(f.jpeg(800, 600))
    for name in all_names(photo):
        default_storage.delete(name)
    Photo.objects.update(renditions={})
    call_command("rebuild_renditions", stdout=io.StringIO())
    photo.refresh_from_db()
    assert widths_of(photo, "jpeg") == [320, 640, 800]
    assert sorted(rendition_files(media_root)) == sorted(all_names(photo))


def test_rebuild_renditions_goes_on_past_a_photo_whose_file_is_lost(make_photo, media_root):
    lost = make_photo(f.jpeg(800, 600))
    kept = make_photo(f.png(640, 480), name="con.png")
    for name in all_names(lost) + all_names(kept) + [lost.image.name]:
        default_storage.delete(name)
    call_command("rebuild_renditions", stdout=io.StringIO(), stderr=io.StringIO())
    kept.refresh_from_db()
    assert all(default_storage.exists(name) for name in all_names(kept))
    assert sorted(rendition_files(media_root)) == sorted(all_names(kept))


# Deleting and replacing --------------------------------------------------------


def test_deleting_a_photo_deletes_its_renditions_on_commit_and_keeps_its_original(
    make_photo, media_root, django_capture_on_commit_callbacks
):
    keep = make_photo(f.png(640, 480), name="giu.png")
    photo = make_photo(f.jpeg(800, 600))
    before = set(media_files(media_root))
    assert {photo.image.name, *all_names(photo)} <= before
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        photo.delete()
    assert set(media_files(media_root)) == before, "nothing deleted before the commit"
    for callback in callbacks:
        callback()
    # The original stays for the revisions that name it.
    assert sorted(media_files(media_root)) == sorted([keep.image.name, *all_names(keep), photo.image.name])


def test_an_article_purged_from_the_trash_takes_its_photos_files(
    editor, make_photo, media_root, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    first = make_photo(f.jpeg(800, 600), article=article)
    second = make_photo(f.webp(640, 480), name="b.webp", article=article, position=2)
    other = make_photo(f.png(320, 240), name="khac.png")
    everything = set(media_files(media_root))
    with django_capture_on_commit_callbacks(execute=True):
        trash.move_to_trash([article], editor)
    assert set(media_files(media_root)) == everything, "in the trash, restorable: every file kept"
    with django_capture_on_commit_callbacks(execute=True):
        assert trash.purge(now=timezone.now() + datetime.timedelta(days=trash.TRASH_DAYS + 1)) == 1
    assert not [name for photo in (first, second) for name in [photo.image.name, *all_names(photo)]
                if default_storage.exists(name)]
    assert sorted(media_files(media_root)) == sorted([other.image.name, *all_names(other)])


def test_deleting_one_of_two_photos_of_the_same_picture_keeps_the_others_renditions(
    make_photo, media_root, django_capture_on_commit_callbacks
):
    # The same agency picture used in two articles: the stored originals are identical,
    # so their content-hashed rendition names are too.
    data = f.jpeg(800, 600)
    first = make_photo(data, name="thong-tan-xa.jpg")
    second = make_photo(data, name="thong-tan-xa.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert default_storage.exists(second.image.name)
    missing = [name for name in all_names(second) if not default_storage.exists(name)]
    assert missing == [], f"{len(missing)} renditions of the remaining photo were deleted"


def test_replacing_a_photos_image_deletes_the_old_renditions_and_keeps_the_old_original(
    make_photo, media_root, django_capture_on_commit_callbacks
):
    photo = make_photo(f.jpeg(800, 600))
    old_original, old = photo.image.name, all_names(photo)
    with django_capture_on_commit_callbacks(execute=True):
        photo.image = ContentFile(f.png(960, 480), name="moi.png")
        photo.save()
    photo.refresh_from_db()
    assert photo.image.name.endswith(".png") and (photo.width, photo.height) == (960, 480)
    assert widths_of(photo, "webp") == [320, 640, 960]
    assert not [name for name in old if default_storage.exists(name)]
    # The revision before the replacement names the old original: restoring it needs the file.
    assert sorted(media_files(media_root)) == sorted([photo.image.name, *all_names(photo), old_original])


def test_replacing_a_photo_in_the_admin_deletes_the_old_renditions_and_keeps_the_old_original(
    client, editor, make_photo, media_root, django_capture_on_commit_callbacks
):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    photo = make_photo(f.jpeg(800, 600), article=article, caption="Ảnh cũ")
    old_original, old = photo.image.name, all_names(photo)
    data = form_data(title=article.title, **{
        "photos-TOTAL_FORMS": "1", "photos-INITIAL_FORMS": "1",
        "photos-0-id": str(photo.pk), "photos-0-article": str(article.pk),
        "photos-0-image": f.upload(f.webp(640, 480), "thay-the.webp", "image/webp"),
        "photos-0-caption": "Ảnh mới", "photos-0-credit": "", "photos-0-alt_text": "",
    })
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, editor).post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.image.name.endswith(".webp") and photo.caption == "Ảnh mới"
    assert widths_of(photo, "jpeg") == [320, 640]
    assert not [name for name in old if default_storage.exists(name)]
    assert sorted(media_files(media_root)) == sorted([photo.image.name, *all_names(photo), old_original])


@pytest.mark.parametrize("name", [
    "photos/2017/02/15/anh-hien-truong-1a2b3c4d.jpg",
    "renditions/photos/2017/02/15/anh-1a2b3c4d-640w.webp",
    "/photos/leading-slash.jpg",
    "photos/tên có dấu & space.jpg",
    "photos/a%20b?c#d.jpg",
    "photos\\windows\\name.jpg",
    "photos/(1)_~x-y!z*'.jpg",
])
def test_media_urls_are_the_ones_django_would_give(name, settings):
    """articles/photos/storage.py joins MEDIA_URL and the name without urljoin: the
    same addresses as Django's own FileSystemStorage, for any name it could hold."""
    from django.core.files.storage import FileSystemStorage

    from articles.photos.storage import MediaStorage
    for base in ("/media/", "https://anh.antd.vn/media/"):
        assert MediaStorage(base_url=base).url(name) == FileSystemStorage(base_url=base).url(name)
    assert default_storage.url(name) == FileSystemStorage().url(name)
