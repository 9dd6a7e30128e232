import datetime
import unicodedata

import pytest
from django.utils import timezone
from django.utils.text import Truncator
from hypothesis import given, strategies as st

from articles import dates, paths, text
from tests.factories import hanoi


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Đổi mới biện pháp, cách làm đẩy mạnh phong trào thi đua",
         "doi-moi-bien-phap-cach-lam-day-manh-phong-trao-thi-dua"),
        ("Đổi mới biện pháp", "doi-moi-bien-phap"),
        ("ĐẮK LẮK: “Ưu tiên” số 1!", "dak-lak-uu-tien-so-1"),
        ("Thanh Hoá", "thanh-hoa"),
        ("Thanh Hóa", "thanh-hoa"),
        ("Người dân ơi, hãy cẩn trọng", "nguoi-dan-oi-hay-can-trong"),
    ],
)
def test_slugify_is_vietnamese_safe(title, slug):
    assert text.slugify(title) == slug
    assert text.slugify(unicodedata.normalize("NFD", title)) == slug


def test_slugify_cuts_long_titles_at_a_word():
    slug = text.slugify("Phòng cháy chữa cháy " * 30, max_length=50)
    assert len(slug) <= 50
    assert not slug.endswith("-")
    assert slug.split("-")[-1] in {"phong", "chay", "chua"}


@given(st.text())
def test_slugify_only_ever_makes_url_safe_ascii(value):
    slug = text.slugify(value)
    assert slug == slug.strip("-")
    assert all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in slug)
    assert slug == slug.lower()


def test_nfc_composes_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Hà Nội")
    assert decomposed != "Hà Nội"
    assert text.nfc(decomposed) == "Hà Nội"


def test_paragraphs_split_on_blank_lines_with_stray_spaces():
    body = "Một.\r\n\r\nHai. \u00a0\n \u00a0\nBa.\n\n\n"
    assert text.split_paragraphs(body) == ["Một.", "Hai.", "Ba."]


@pytest.mark.parametrize(
    "moment, written",
    [
        (hanoi(2017, 2, 15, 17, 30), "Thứ Tư, 15/02/2017, 17:30 (GMT+7)"),
        (hanoi(2017, 2, 19, 8, 5), "Chủ Nhật, 19/02/2017, 08:05 (GMT+7)"),
        (hanoi(2024, 1, 1, 0, 0), "Thứ Hai, 01/01/2024, 00:00 (GMT+7)"),
    ],
)
def test_news_datetime_is_written_the_vietnamese_way(moment, written):
    assert dates.news_datetime(moment) == written


@given(st.datetimes(min_value=datetime.datetime(1900, 1, 2), max_value=datetime.datetime(2099, 12, 30), timezones=st.just(datetime.timezone.utc)))
def test_dates_written_from_their_fields_are_what_strftime_writes(moment):
    """dates.py writes days from a moment's fields in Hanoi's time, not by strftime
    through the current zone (a card's cost): the same text."""
    local = timezone.localtime(moment)
    assert dates.news_date(moment) == f"{local:%d/%m/%Y}"
    gmt = f"GMT{local.utcoffset().total_seconds() / 3600:+g}"  # +7, or +8 in Saigon's time before 1975
    assert dates.news_datetime(moment) == f"{dates.WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y, %H:%M} ({gmt})"
    assert dates.iso(moment) == local.replace(microsecond=0).isoformat()
    assert paths.article_path_at(moment, "bai") == f"/{local:%Y/%m/%d}/bai/"
    assert [paths.archive_path(local, kind) for kind in ("year", "month", "day")] == [
        f"/{local:%Y}/", f"/{local:%Y/%m}/", f"/{local:%Y/%m/%d}/",
    ]


@given(st.text(alphabet=" \n\tahđếữ.…", max_size=120), st.integers(min_value=1, max_value=50))
def test_a_sapo_is_cut_to_its_first_words_as_django_cuts_it(value, count):
    assert text.first_words(value, count) == Truncator(value).words(count, " …")


@given(st.text(alphabet=" \nahđếữẮỹ.…", max_size=400), st.integers(min_value=2, max_value=320))
def test_a_description_is_cut_to_its_characters_as_django_cuts_it(value, count):
    assert text.first_characters(value, count) == Truncator(value).chars(count)


def test_an_article_description_is_its_sapo_cut_at_300_characters():
    assert text.first_characters("Sáng 15/2, Công an", 300) == "Sáng 15/2, Công an"
    assert text.first_characters("ồ" * 301, 300) == "ồ" * 299 + "…"


def test_a_sapo_cut_at_forty_words_ends_with_an_ellipsis():
    sapo = " ".join(f"từ{n}" for n in range(41))
    assert text.first_words(sapo, 40) == " ".join(f"từ{n}" for n in range(40)) + " …"
    assert text.first_words("Sáng  15/2,\n Công an", 40) == "Sáng 15/2, Công an"
