import datetime
import unicodedata

import pytest
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from articles.models import Article, Category, Tag
from articles.newsroom import revisions
from tests.conftest import media_files
from tests.factories import ArticleFactory, PhotoFactory, hanoi

pytestmark = pytest.mark.django_db

FOUNDING_TITLE = "Đổi mới biện pháp, cách làm đẩy mạnh phong trào thi đua"


def test_slug_is_made_server_side_from_the_title():
    article = ArticleFactory(title=FOUNDING_TITLE, slug="")
    assert article.slug == "doi-moi-bien-phap-cach-lam-day-manh-phong-trao-thi-dua"


def test_an_editor_slug_is_still_passed_through_the_slug_rules():
    assert ArticleFactory(slug="Đường Láng  mới").slug == "duong-lang-moi"


def test_slug_is_unique_per_publication_day_in_hanoi():
    first = ArticleFactory(title="Tin nóng", published_at=hanoi(2017, 2, 15, 8))
    second = ArticleFactory(title="Tin nóng", published_at=hanoi(2017, 2, 15, 23, 59))
    other_day = ArticleFactory(title="Tin nóng", published_at=hanoi(2017, 2, 16, 0, 1))
    assert (first.slug, second.slug, other_day.slug) == ("tin-nong", "tin-nong-2", "tin-nong")


def test_hanoi_day_not_utc_day_decides_the_url():
    # 23:30 UTC on the 14th is 06:30 on the 15th in Hanoi.
    article = ArticleFactory(title="Sáng sớm", published_at=datetime.datetime(2017, 2, 14, 23, 30, tzinfo=datetime.UTC))
    assert article.get_absolute_url() == "/2017/02/15/sang-som/"


def test_decomposed_text_is_stored_composed():
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    article = ArticleFactory(title=nfd(FOUNDING_TITLE), lead=nfd("Hà Nội"), body=nfd("Thủ đô"), author=nfd("THU HÀ"))
    photo = PhotoFactory(article=article, caption=nfd("Chú thích"), credit=nfd("Ảnh: Hùng"), alt_text=nfd("Ảnh"))
    article.refresh_from_db()
    photo.refresh_from_db()
    for value in (article.title, article.lead, article.body, article.author, photo.caption, photo.credit, photo.alt_text):
        assert unicodedata.is_normalized("NFC", value), value
    assert article.title == FOUNDING_TITLE


def test_publishing_without_a_time_means_now():
    before = timezone.now()
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)
    assert before <= article.published_at <= timezone.now()


def test_drafts_keep_no_time_until_published():
    assert ArticleFactory(status=Article.Status.DRAFT, published_at=None).published_at is None


def test_only_published_past_articles_are_public():
    public = ArticleFactory()
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(minutes=5))  # scheduled
    ArticleFactory(status=Article.Status.DRAFT, published_at=timezone.now() - datetime.timedelta(days=1))
    assert list(Article.objects.published()) == [public]


def test_tags_are_one_per_normalized_slug():
    tags = Tag.objects.for_names(["Thanh Hoá", "Thanh Hóa", unicodedata.normalize("NFD", "Thanh Hóa"), " thanh  hoá "])
    assert len(tags) == 1
    assert Tag.objects.count() == 1
    assert Tag.objects.get().slug == "thanh-hoa"


def test_a_tag_differing_only_by_tone_placement_is_refused_clearly():
    Tag.objects.create(name="Thanh Hoá")
    with pytest.raises(ValidationError) as error:
        Tag(name="Thanh Hóa").full_clean()
    assert "trùng với thẻ “Thanh Hoá”" in str(error.value)


def test_category_slug_follows_the_name():
    assert Category.objects.create(name="An ninh trật tự").slug == "an-ninh-trat-tu"


def test_changing_the_slug_redirects_the_old_url():
    article = ArticleFactory(title="Tên cũ", published_at=hanoi(2017, 2, 15, 9))
    article.slug = ""
    article.title = "Tên mới"
    article.save()
    assert Redirect.objects.get(old_path="/2017/02/15/ten-cu/").new_path == "/2017/02/15/ten-moi/"


def test_moving_twice_keeps_every_old_url_one_hop_from_the_newest():
    article = ArticleFactory(title="Bài", published_at=hanoi(2017, 2, 15, 9))
    article.published_at = hanoi(2017, 3, 1, 9)
    article.save()
    article.published_at = hanoi(2018, 1, 1, 9)
    article.save()
    paths = dict(Redirect.objects.values_list("old_path", "new_path"))
    assert paths == {"/2017/02/15/bai/": "/2018/01/01/bai/", "/2017/03/01/bai/": "/2018/01/01/bai/"}


def test_moving_back_removes_the_redirect_that_would_loop():
    article = ArticleFactory(title="Bài", published_at=hanoi(2017, 2, 15, 9))
    article.published_at = hanoi(2017, 3, 1, 9)
    article.save()
    article.published_at = hanoi(2017, 2, 15, 9)
    article.save()
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {"/2017/03/01/bai/": "/2017/02/15/bai/"}


def test_drafts_leave_no_redirect_behind():
    article = ArticleFactory(title="Nháp", status=Article.Status.DRAFT, published_at=hanoi(2017, 2, 15, 9))
    article.title, article.slug = "Nháp mới", ""
    article.save()
    assert not Redirect.objects.exists()


def test_a_photo_needs_a_file_or_a_caption():
    photo = PhotoFactory.build(article=ArticleFactory(), image=None, caption="")
    with pytest.raises(ValidationError, match="tệp ảnh hoặc chú thích"):
        photo.full_clean()


def test_deleting_a_photo_keeps_its_original_for_the_revisions_that_name_it(media_root, django_capture_on_commit_callbacks):
    # Restoring a revision brings the photo back with this file (tests/test_revisions.py);
    # purging the article from the trash deletes it (tests/test_trash.py).
    photo = PhotoFactory()
    assert media_files(media_root) == [photo.image.name]
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert media_files(media_root) == [photo.image.name]


def test_uploaded_files_get_ascii_names_in_dated_folders(media_root):
    from django.core.files.base import ContentFile

    from tests.factories import jpeg_bytes

    name = unicodedata.normalize("NFD", "Ảnh hiện trường vụ cháy.JPG")
    photo = PhotoFactory(image=ContentFile(jpeg_bytes(), name=name))
    assert photo.image.name.isascii()
    assert photo.image.name.startswith(timezone.localdate().strftime("photos/%Y/%m/%d/anh-hien-truong-vu-chay-"))
    assert photo.image.name.endswith(".jpg")


def test_long_columns_are_compressed_with_lz4():
    """Migration 0023: a long body and the revision that records it are written with
    lz4 (PostgreSQL compresses a value once its row passes about 2 KB)."""
    body = "<p>" + " ".join(f"Đoạn {n}: lực lượng công an kiểm tra, xử lý vi phạm." for n in range(300)) + "</p>"
    article = ArticleFactory(body=body)
    revisions.record_pending()  # what the commit does
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_compression(body) FROM articles_article WHERE id = %s", [article.pk])
        assert cursor.fetchone() == ("lz4",)
        cursor.execute("SELECT pg_column_compression(content) FROM articles_revision WHERE article_id = %s", [article.pk])
        assert cursor.fetchall() == [("lz4",)]
    article.refresh_from_db()
    assert article.body == body
