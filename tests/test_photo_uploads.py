"""Photos uploaded through the admin: what is accepted, how it is stored, what is refused.

Every upload goes through the real admin add/change form (multipart, inline formset),
as an editor would send it. Test images are made in tests/imagefiles.py.
"""
import hashlib
import io
import re
import unicodedata

import pytest
from django.utils import timezone
from PIL import Image

from articles.photos import images
from articles.models import Article, Photo
from tests import imagefiles as f
from tests.conftest import media_files
from tests.factories import ArticleFactory, PhotoFactory
from tests.test_admin import ADD_URL, form_data, login

pytestmark = [
    pytest.mark.django_db,
    # Pillow warns about large declared sizes before our own limit refuses them.
    pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
]

FORMAT_OF_EXTENSION = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
STORED_NAME = re.compile(r"^photos/(\d{4})/(\d{2})/(\d{2})/([a-z0-9]+(?:-[a-z0-9]+)*)-([0-9a-f]{8})\.(jpg|png|webp)$")


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def photo_fields(index, image=None, caption="Chú thích ảnh", **extra):
    fields = {
        f"photos-{index}-caption": caption,
        f"photos-{index}-credit": "",
        f"photos-{index}-alt_text": "",
    }
    if image is not None:
        fields[f"photos-{index}-image"] = image
    fields.update({f"photos-{index}-{key}": value for key, value in extra.items()})
    return fields


def post_photos(client, *uploads, url=ADD_URL, initial=0, extra_fields=None, **overrides):
    """Post the article form with one inline photo form per upload (after `initial` existing ones)."""
    data = form_data(**overrides)
    data["photos-TOTAL_FORMS"] = str(initial + len(uploads))
    data["photos-INITIAL_FORMS"] = str(initial)
    for offset, upload in enumerate(uploads):
        data.update(photo_fields(initial + offset, upload))
    data.update(extra_fields or {})
    return client.post(url, data)


@pytest.fixture
def editor_client(client, editor):
    return login(client, editor)


def upload_one(client, data, name, content_type="image/jpeg"):
    response = post_photos(client, f.upload(data, name, content_type))
    assert response.status_code == 302, errors_of(response)
    return Photo.objects.get()


def errors_of(response):
    page = response.content.decode()
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    return [re.sub(r"<[^>]+>", " ", item).strip() for item in found] or page[:3000]


def stored_bytes(photo):
    with photo.image.open("rb") as handle:
        return handle.read()


def check_stored(photo, media_root, extension=None):
    """What every accepted upload must look like on disk; returns the decoded image."""
    match = STORED_NAME.match(photo.image.name)
    assert match, photo.image.name
    assert photo.image.name.isascii()
    today = timezone.localdate()
    assert (int(match[1]), int(match[2]), int(match[3])) == (today.year, today.month, today.day)
    assert media_files(media_root) == [photo.image.name]
    data = stored_bytes(photo)
    image = f.decode(data)
    assert image.format == FORMAT_OF_EXTENSION[match[6]], "the extension tells the real format"
    if extension:
        assert match[6] == extension
    assert image.mode in ("RGB", "RGBA")
    assert f.profile_description(image) in (None, "sRGB built-in")
    assert image.info.get("icc_profile") in (None, images.SRGB_BYTES)
    assert image.getexif().get(f.ORIENTATION) in (None, 1), "stored upright, so no orientation left to apply"
    assert (photo.width, photo.height) == image.size
    return image


# Accepted ------------------------------------------------------------------


def _red_top_left(image):
    assert f.red_corner(image) == "top-left"


def _all_red(image):
    assert all(f.close(colour, f.RED) for colour in f.corner_colours(image).values()), "only the first frame is kept"


def _pure_red(image):
    assert all(f.close(colour, (255, 0, 0), 12) for colour in f.corner_colours(image).values())


def _gray_ramp(image):
    row = [image.convert("L").getpixel((x, 10)) for x in range(0, image.width, 16)]
    assert row[0] < 10 and row[-1] > 230, row
    assert row == sorted(row), "the 16-bit ramp keeps its order once reduced to 8 bits"


def _transparent_with_red_corner(image):
    assert image.mode == "RGBA"
    width, height = image.size
    assert image.getpixel((width // 8, height // 8)) == (*f.RED, 255)
    assert image.getpixel((width // 2, height // 2))[3] == 0


def _blue_in_srgb(image):
    # Red in the swapped profile is sRGB blue: the pixels were converted, not relabelled.
    for colour in f.corner_colours(image).values():
        assert colour[2] > 200 and colour[0] < 40, colour


ACCEPTED = [
    ("jpeg", f.jpeg, "anh.jpg", "jpg", (640, 480), _red_top_left),
    ("png", f.png, "anh.png", "png", (640, 480), _red_top_left),
    ("webp", f.webp, "anh.webp", "webp", (640, 480), _red_top_left),
    ("animated-gif-first-frame", f.animated_gif, "dong.gif", "png", (160, 120), _all_red),
    ("cmyk-jpeg", f.cmyk_jpeg, "ban-in.jpg", "jpg", (200, 150), _pure_red),
    ("16-bit-grayscale-png", f.gray16_png, "xam-16bit.png", "png", (256, 64), _gray_ramp),
    ("palette-png", f.palette_png, "bang-mau.png", "png", (160, 120), _red_top_left),
    ("palette-png-transparent", f.palette_png_transparent, "trong-suot.png", "png", (160, 120), _transparent_with_red_corner),
    ("palette-png-transparent-with-srgb-profile", f.palette_png_transparent_srgb, "xuat-tu-photoshop.png", "png", (160, 120), _transparent_with_red_corner),
    ("transparent-gif", f.transparent_gif, "trong-suot.gif", "png", (160, 120), _transparent_with_red_corner),
    ("rgba-png", f.rgba_png, "rgba.png", "png", (160, 120), _transparent_with_red_corner),
    ("non-srgb-icc-jpeg", f.red_in_swapped_profile, "icc.jpg", "jpg", (160, 120), _blue_in_srgb),
    ("non-srgb-icc-png", lambda: f.red_in_swapped_profile("PNG"), "icc.png", "png", (160, 120), _blue_in_srgb),
    ("png-named-jpg", f.png, "photo.jpg", "png", (640, 480), _red_top_left),
    ("jpeg-named-png", f.jpeg, "photo.png", "jpg", (640, 480), _red_top_left),
]


@pytest.mark.parametrize("make, name, extension, size, check", [case[1:] for case in ACCEPTED], ids=[case[0] for case in ACCEPTED])
def test_accepted_uploads_are_stored_in_srgb_under_a_safe_dated_name(editor_client, media_root, make, name, extension, size, check):
    data = make()
    photo = upload_one(editor_client, data, name)
    image = check_stored(photo, media_root, extension)
    assert image.size == size
    check(image)
    assert photo.source_digest == hashlib.sha256(data).hexdigest()
    assert Article.objects.get().photos.get() == photo


@pytest.mark.parametrize("orientation, size", [(3, (400, 300)), (6, (300, 400)), (8, (300, 400))])
def test_exif_rotated_photos_are_stored_upright(editor_client, media_root, orientation, size):
    photo = upload_one(editor_client, f.oriented_jpeg(orientation), "xoay.jpg")
    image = check_stored(photo, media_root, "jpg")
    assert image.size == size
    assert (photo.width, photo.height) == size
    assert f.red_corner(image) == f.UPRIGHT_CORNER[orientation]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_vietnamese_file_names_become_ascii_in_either_normal_form(editor_client, media_root, form):
    name = unicodedata.normalize(form, "Ảnh hiện trường đêm qua.jpg")
    photo = upload_one(editor_client, f.jpeg(), name)
    check_stored(photo, media_root, "jpg")
    assert STORED_NAME.match(photo.image.name)[4] == "anh-hien-truong-dem-qua"


def test_names_that_fold_to_nothing_still_get_a_name(editor_client, media_root):
    photo = upload_one(editor_client, f.png(), "“”….png", "image/png")
    check_stored(photo, media_root, "png")


def test_a_photo_without_extension_is_judged_by_its_content(editor_client, media_root):
    # Decided by content, never by extension: a phone's share sheet may send "IMG_0412" alone.
    photo = upload_one(editor_client, f.jpeg(), "IMG_0412")
    check_stored(photo, media_root, "jpg")


def test_a_jpeg_with_a_second_picture_mpo_is_accepted_as_jpeg(editor_client, media_root):
    # Phones and cameras write MPO (a JPEG followed by a depth map or preview); Pillow
    # opens it through the JPEG plugin and reports format "MPO".
    assert Image.open(io.BytesIO(f.mpo())).format == "MPO"
    photo = upload_one(editor_client, f.mpo(), "dien-thoai.jpg")
    image = check_stored(photo, media_root, "jpg")
    assert f.red_corner(image) == "top-left"


def test_html_appended_to_a_png_is_not_stored(editor_client, media_root):
    photo = upload_one(editor_client, f.png_with_html(), "ghep.png", "image/png")
    check_stored(photo, media_root, "png")
    data = stored_bytes(photo)
    assert f.HTML_PAYLOAD not in data and b"<script" not in data
    assert data.endswith(b"IEND\xaeB`\x82"), "nothing after the PNG's last chunk"


def test_html_in_a_jpeg_comment_is_not_stored(editor_client, media_root):
    # "nothing an upload carried besides its image data survives" (articles/images.py)
    data = f.jpeg_with_html_comment()
    assert f.decode(data).info["comment"] == f.HTML_PAYLOAD
    photo = upload_one(editor_client, data, "chu-thich.jpg")
    check_stored(photo, media_root, "jpg")
    stored = stored_bytes(photo)
    assert f.HTML_PAYLOAD not in stored and b"<script" not in stored
    assert "comment" not in f.decode(stored).info


def test_gps_and_serial_number_are_dropped_but_authorship_is_kept(editor_client, media_root):
    data = f.private_jpeg()
    exif = f.decode(data).getexif()
    # the test file is what it claims to be
    assert exif.get_ifd(f.GPS_IFD) and exif.get_ifd(f.EXIF_IFD)[f.BODY_SERIAL_NUMBER] == f.SERIAL
    assert b"GPSLatitude" in data
    photo = upload_one(editor_client, data, "hien-truong.jpg")
    check_stored(photo, media_root, "jpg")
    stored = stored_bytes(photo)
    exif = f.decode(stored).getexif()
    assert f.GPS_IFD not in exif and not exif.get_ifd(f.GPS_IFD)
    assert f.BODY_SERIAL_NUMBER not in exif.get_ifd(f.EXIF_IFD)
    assert f.SERIAL.encode() not in stored
    assert b"GPSLatitude" not in stored and "xmp" not in f.decode(stored).info, "no position in XMP either"
    assert exif[f.ARTIST] == f.ARTIST_NAME
    assert exif[f.COPYRIGHT] == f.COPYRIGHT_TEXT


def test_several_photos_in_one_save(editor_client, media_root):
    response = post_photos(
        editor_client, f.upload(f.jpeg(), "mot.jpg"), f.upload(f.png(), "hai.png", "image/png")
    )
    assert response.status_code == 302, errors_of(response)
    names = sorted(Photo.objects.values_list("image", flat=True))
    assert len(names) == 2 and media_files(media_root) == names


# Refused ---------------------------------------------------------------------

NOT_AN_IMAGE = "Tệp không phải ảnh"
BOMB = ("bom giải nén", "megapixel")

REFUSED = [
    ("text-named-jpg", f.text_named_jpeg, "anh.jpg", "image/jpeg", (NOT_AN_IMAGE,)),
    ("empty", lambda: b"", "rong.jpg", "image/jpeg", ("rỗng",)),
    ("truncated-jpeg", f.truncated_jpeg, "cat-cut.jpg", "image/jpeg", ("hỏng",)),
    ("png-bomb-400-megapixels", f.png_bomb, "bom.png", "image/png", BOMB),
    ("png-60-megapixels", lambda: f.png_bomb(10000, 6000), "lon.png", "image/png", BOMB),
    ("gif-64-megapixels", f.gif_bomb, "lon.gif", "image/gif", BOMB),
    ("svg", f.svg, "logo.svg", "image/svg+xml", (NOT_AN_IMAGE,)),
    ("svg-named-jpg", f.svg, "logo.jpg", "image/jpeg", (NOT_AN_IMAGE,)),
    ("html", f.html, "trang.html", "text/html", (NOT_AN_IMAGE,)),
    ("html-named-png", f.html, "trang.png", "image/png", (NOT_AN_IMAGE,)),
    ("gif-js-polyglot", f.gif_js_polyglot, "polyglot.gif", "image/gif", (NOT_AN_IMAGE, "hỏng")),
    ("tiff", f.tiff, "anh.tiff", "image/tiff", (NOT_AN_IMAGE,)),
    ("tiff-named-jpg", f.tiff, "anh.jpg", "image/jpeg", (NOT_AN_IMAGE,)),
    ("bmp", f.bmp, "anh.bmp", "image/bmp", (NOT_AN_IMAGE,)),
]


def assert_refused(response, media_root, fragments):
    assert response.status_code == 200, response.status_code
    errors = " ".join(errors_of(response))
    assert any(fragment in errors for fragment in fragments), errors
    assert not Article.objects.exists()
    assert not Photo.objects.exists()
    assert media_files(media_root) == []


@pytest.mark.parametrize(
    "make, name, content_type, fragments", [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_refused_uploads_save_nothing_and_say_why_in_vietnamese(editor_client, media_root, make, name, content_type, fragments):
    response = post_photos(editor_client, f.upload(make(), name, content_type))
    assert_refused(response, media_root, fragments)


def test_a_file_over_25_mb_is_refused(editor_client, media_root):
    data = f.jpeg() + bytes(26 * 1024 * 1024)  # a valid JPEG padded past the limit
    assert len(data) > images.MAX_BYTES
    response = post_photos(editor_client, f.upload(data, "qua-lon.jpg"))
    assert_refused(response, media_root, ("quá lớn",))
    assert "25 MB" in " ".join(errors_of(response))


def test_the_size_limit_is_read_when_checking(editor_client, media_root, monkeypatch):
    data = f.encode(f.detailed(800, 600), "JPEG", quality=95)
    monkeypatch.setattr(images, "MAX_BYTES", len(data) - 1)
    response = post_photos(editor_client, f.upload(data, "vua-qua.jpg"))
    assert_refused(response, media_root, ("quá lớn",))


def test_one_bad_photo_among_good_ones_saves_nothing(editor_client, media_root):
    response = post_photos(
        editor_client,
        f.upload(f.jpeg(), "tot.jpg"),
        f.upload(f.truncated_jpeg(), "hong.jpg"),
        f.upload(f.png(), "tot.png", "image/png"),
    )
    assert_refused(response, media_root, ("hỏng",))


@pytest.fixture
def article_with_photo(media_root, django_capture_on_commit_callbacks):
    """A draft with one good photo, renditions made, as the admin change form shows it."""
    article = ArticleFactory(title="Bài có ảnh", status=Article.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        photo = PhotoFactory(article=article, caption="Ảnh cũ", position=1)
    photo.refresh_from_db()
    assert photo.renditions
    return article, photo


def snapshot(media_root):
    return {name: (media_root / name).read_bytes() for name in media_files(media_root)}


def existing_photo_fields(article, photo):
    return photo_fields(0, None, caption=photo.caption, id=str(photo.pk), article=str(article.pk))


@pytest.mark.parametrize("bad", ["not-image", "truncated", "bomb"])
def test_adding_a_bad_photo_to_an_article_leaves_its_photos_as_they_were(
    editor_client, media_root, article_with_photo, django_capture_on_commit_callbacks, bad
):
    article, photo = article_with_photo
    before_files = snapshot(media_root)
    before_row = Photo.objects.values().get(pk=photo.pk)
    make, fragments = {
        "not-image": (f.html, (NOT_AN_IMAGE,)), "truncated": (f.truncated_jpeg, ("hỏng",)), "bomb": (f.png_bomb, BOMB),
    }[bad]
    with django_capture_on_commit_callbacks(execute=True):
        response = post_photos(
            editor_client, f.upload(make(), "moi.jpg"), url=change_url(article), initial=1,
            extra_fields=existing_photo_fields(article, photo), title="Tiêu đề đã sửa",
        )
    assert response.status_code == 200, response.status_code
    errors = " ".join(errors_of(response))
    assert any(fragment in errors for fragment in fragments), errors
    assert Article.objects.get().title == "Bài có ảnh"
    assert list(Photo.objects.values()) == [before_row]
    assert snapshot(media_root) == before_files


def test_replacing_a_photo_with_a_bad_file_keeps_the_old_one(
    editor_client, media_root, article_with_photo, django_capture_on_commit_callbacks
):
    article, photo = article_with_photo
    before_files = snapshot(media_root)
    before_row = Photo.objects.values().get(pk=photo.pk)
    fields = existing_photo_fields(article, photo)
    fields["photos-0-image"] = f.upload(f.svg(), "thay.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_photos(editor_client, url=change_url(article), initial=1, extra_fields=fields)
    assert response.status_code == 200
    assert NOT_AN_IMAGE in " ".join(errors_of(response))
    assert list(Photo.objects.values()) == [before_row]
    assert snapshot(media_root) == before_files


def test_adding_a_good_photo_to_an_article_keeps_the_first(
    editor_client, media_root, article_with_photo, django_capture_on_commit_callbacks
):
    article, photo = article_with_photo
    before_files = snapshot(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_photos(
            editor_client, f.upload(f.webp(), "them.webp", "image/webp"), url=change_url(article), initial=1,
            extra_fields=existing_photo_fields(article, photo),
        )
    assert response.status_code == 302, errors_of(response)
    assert Photo.objects.count() == 2
    after = snapshot(media_root)
    assert all(after[name] == data for name, data in before_files.items())
    new = Photo.objects.exclude(pk=photo.pk).get()
    assert new.image.name.endswith(".webp") and new.renditions
