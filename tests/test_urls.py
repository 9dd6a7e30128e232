import datetime

import pytest
from django.urls import resolve, reverse

from articles import paths
from articles.paths import archive_path
from tests.factories import ArticleFactory, hanoi


@pytest.mark.parametrize("day", [datetime.date(1900, 1, 1), datetime.date(2017, 2, 5), datetime.date(2099, 12, 31)])
def test_archive_paths_are_the_url_patterns(day):
    """archive_path writes the archives' URLs without reverse(): the two agree."""
    assert archive_path(day, "year") == reverse("articles:year", kwargs={"year": day.year})
    assert archive_path(day, "month") == reverse("articles:month", kwargs={"year": day.year, "month": day.month})
    assert archive_path(day, "day") == reverse(
        "articles:day", kwargs={"year": day.year, "month": day.month, "day": day.day}
    )


@pytest.mark.parametrize("slug", ["an-ninh-trat-tu", "ha-noi", "nguyen-van-a-2"])
@pytest.mark.parametrize("kind", ["category", "tag", "author", "thread"])
def test_section_and_author_paths_are_the_url_patterns(kind, slug):
    path = getattr(paths, f"{kind}_path")(slug)
    assert path == reverse(f"articles:{kind}", kwargs={"slug": slug})
    assert resolve(path).url_name == kind


@pytest.mark.django_db
def test_an_article_url_is_the_url_pattern():
    article = ArticleFactory(title="Đường dẫn bài", published_at=hanoi(2017, 2, 5, 7))
    expected = reverse("articles:article", kwargs={"year": 2017, "month": 2, "day": 5, "slug": article.slug})
    assert article.get_absolute_url() == expected == "/2017/02/05/duong-dan-bai/"
    assert resolve(expected).url_name == "article"


@pytest.mark.parametrize("pk", [1, 42, 1000001])
def test_a_preview_path_is_the_url_pattern(pk):
    assert paths.preview_path(pk) == reverse("articles:preview", kwargs={"pk": pk})


def test_an_article_url_is_its_day_in_hanoi_or_its_preview():
    """article_url: the Hanoi day, not UTC's (23:30 on the 4th in UTC is the 5th in
    Hanoi), and the preview while the article has no publication time."""
    late = datetime.datetime(2017, 2, 4, 23, 30, tzinfo=datetime.timezone.utc)
    assert paths.article_url(late, "tin-dem", 7) == "/2017/02/05/tin-dem/"
    assert paths.article_url(None, "nhap", 7) == "/xem-truoc/7/"
