import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles import search
from articles.models import Article, Photo, Revision, Tag, Tagging

pytestmark = pytest.mark.django_db(transaction=True)


def test_make_archive_builds_a_searchable_realistic_archive(media_root):
    call_command("make_archive", "--articles", "300", "--seed", "7")
    articles = Article.objects.exclude(external_id="synthetic-photo-pool")
    assert articles.count() == 300
    assert articles.filter(search_vector__isnull=True).count() == 0
    assert articles.filter(status="draft", published_at__isnull=True).exists()  # about 2% are drafts
    published = articles.filter(status="published")
    assert not published.filter(published_at__year__lt=2005).exists()
    assert published.dates("published_at", "year").count() > 10  # spread over the years
    # Written in the order they came out, as a newsroom writes: ids follow publication time.
    past = list(published.filter(published_at__lte=timezone.now()).order_by("id").values_list("published_at", flat=True))
    assert past == sorted(past)
    # Every link carries its article's status and time, as the triggers would write.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article_tags t JOIN articles_article a ON a.id = t.article_id "
            "WHERE t.status IS DISTINCT FROM a.status OR t.published_at IS DISTINCT FROM a.published_at"
        )
        assert cursor.fetchone()[0] == 0
    assert Tagging.objects.count() >= 300
    assert Tag.objects.count() >= 200
    assert Photo.objects.filter(article__in=articles).exists()
    # One revision each, as the NDJSON import writes them, with the photos it placed.
    assert sorted(Revision.objects.filter(article__in=articles).values_list("article", flat=True)) == sorted(
        articles.values_list("pk", flat=True))
    illustrated = Photo.objects.filter(article__in=articles).values_list("article", flat=True).first()
    assert Revision.objects.get(article=illustrated).content["photos"]
    # Loaded vectors answer the same queries as the triggers' vectors would.
    sample = articles.filter(status="published").first()
    word = sample.title.split()[0]
    assert search.articles_matching(word, Article.objects.all()).filter(pk=sample.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article a WHERE length(a.search_vector) <> length(articles_search_vector(a))"
            " AND external_id IS NULL"
        )
        assert cursor.fetchone()[0] == 0


def test_the_same_seed_makes_the_same_archive(media_root):
    call_command("make_archive", "--articles", "20", "--seed", "11")
    first = list(Article.objects.exclude(external_id="synthetic-photo-pool").order_by("id").values_list("title", flat=True))
    Article.objects.exclude(external_id="synthetic-photo-pool").delete()
    call_command("make_archive", "--articles", "20", "--seed", "11")
    again = list(Article.objects.exclude(external_id="synthetic-photo-pool").order_by("id").values_list("title", flat=True))
    assert again == first
