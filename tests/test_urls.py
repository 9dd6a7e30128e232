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


@pytest.mark.parametrize("kind", ["category", "tag", "author", "thread"])
def test_a_sections_feed_path_is_the_url_pattern(kind):
    path = paths.feed_path(getattr(paths, f"{kind}_path")("an-ninh-trat-tu"))
    assert path == reverse(f"articles:{kind}_feed", kwargs={"slug": "an-ninh-trat-tu"})


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["category", "tag", "author"])
def test_a_listing_page_reverses_no_url_once_its_fixed_links_are_known(client, monkeypatch, kind):
    """Its breadcrumbs' fixed links are reversed once per process, its feed's written
    (paths.feed_path): reverse() took a tenth of a warm listing page."""
    from django.urls.resolvers import URLResolver

    from articles.models import Author
    from tests.factories import TagFactory

    article = ArticleFactory(tags=[TagFactory(name="Phòng cháy")], author="Nguyễn Văn A")
    section = {"category": article.category, "tag": article.tags.get(), "author": Author.objects.get()}[kind]
    assert client.get(section.get_absolute_url()).status_code == 200
    reversed_names = []
    original = URLResolver._reverse_with_prefix
    monkeypatch.setattr(URLResolver, "_reverse_with_prefix",
                        lambda self, name, *args, **kwargs: reversed_names.append(name) or original(self, name, *args, **kwargs))
    html = client.get(section.get_absolute_url()).content.decode()
    assert reversed_names == []
    assert f'href="{reverse(f"articles:{kind}_feed", kwargs={"slug": section.slug})}"' in html
    assert f'<a href="{reverse("articles:home")}">Trang chủ</a>' in html
