import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles import authors, bylines, queries, search, text
from articles.models import Article, Author, Authorship, Photo, Revision, Tag, Tagging
from articles.richtext import layout
from devtools import synthetic
from tests.reader import card_urls

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
    # Each card's photo as migration 0028's triggers (off during the load) would write it.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(card_photo), count(*) FILTER (WHERE card_photo IS DISTINCT FROM "
            "articles_card_photo(id)) FROM articles_article WHERE external_id IS NULL"
        )
        total, illustrated, different = cursor.fetchone()
    assert (total, different) == (300, 0) and 150 < illustrated < 300
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
    articles = Article.objects.exclude(external_id="synthetic-photo-pool").order_by("id")
    first = list(articles.values_list("title", "author"))
    records = list(Author.objects.order_by("id").values_list("id", "name"))
    articles.delete()
    call_command("make_archive", "--articles", "20", "--seed", "11")
    again = list(articles.values_list("title", "author"))
    assert again == first
    # The records of the first run are found again, none made twice.
    assert list(Author.objects.order_by("id").values_list("id", "name")) == records


def test_worker_processes_write_the_same_archive(media_root, monkeypatch):
    # Each article draws from a generator of its own: in one process or two, whole
    # or in chunks, a seed gives the same articles, each body placing its own photos.
    def written():
        found = []
        for article in Article.objects.exclude(external_id="synthetic-photo-pool").order_by("id"):
            photos = list(article.photos.order_by("id"))
            assert sorted(layout.placed_ids(article.body)) == [photo.pk for photo in photos]
            past = article.published_at if article.published_at and article.published_at <= timezone.now() else None
            found.append((
                article.title, article.lead, article.author, article.status, past, article.category_id,
                sorted(article.tags.values_list("name", flat=True)), [(p.image.name, p.caption) for p in photos],
                layout.PLACEHOLDER.sub("", article.body),
            ))
        return found

    synthetic.build(45, seed=3, photo_pool=synthetic.photo_pool(), workers=1)
    whole = written()
    assert any(photos for *_, photos, _ in whole)
    Article.objects.exclude(external_id="synthetic-photo-pool").delete()
    monkeypatch.setattr(synthetic, "CHUNK", 7)
    synthetic.build(45, seed=3, photo_pool=synthetic.photo_pool(), workers=2)
    assert written() == whole


def bylines_and_authorships(articles):
    """{article id: (its byline text, [(position, author slug, author name)] in order)}."""
    found = {pk: (line, []) for pk, line in articles.values_list("pk", "author")}
    for article_id, position, slug, name in (
        Authorship.objects.filter(article__in=articles).order_by("article_id", "position")
        .values_list("article_id", "position", "author__slug", "author__name")
    ):
        found[article_id][1].append((position, slug, name))
    return found


def test_make_archive_gives_every_byline_its_authors_in_order(client, media_root):
    call_command("make_archive", "--articles", "300", "--seed", "7")
    articles = Article.objects.exclude(external_id="synthetic-photo-pool")
    found = bylines_and_authorships(articles)
    for line, linked in found.values():
        # As bylines.py splits the byline: one record per name, in its order, from 0.
        assert [position for position, _, _ in linked] == list(range(len(linked)))
        assert [slug for _, slug, _ in linked] == [text.slugify(name) for name in bylines.names_in(line)]
        # The text is the records' names, as authors.refresh_bylines writes it.
        assert line == bylines.byline([name for _, _, name in linked])
    assert all(len(linked) in (1, 2) for _, linked in found.values())
    assert sum(len(linked) == 2 for _, linked in found.values()) >= 10  # "HẢI NAM - THU HÀ": about one in ten
    assert authors.refresh_bylines(list(found)) == 0

    # One record per normalized name, shown as the site shows names, each with articles.
    records = list(Author.objects.values_list("name", "slug"))
    assert records and all(slug == text.slugify(name) and name == bylines.display_name(name) for name, slug in records)
    assert not any(name.isupper() for name, _ in records)  # "NGUYỄN VĂN AN" is shown "Nguyễn Văn An"
    assert not Author.objects.filter(authorships__isnull=True).exists()
    people = {text.slugify(name) for name in synthetic.Writer(7).people}
    assert {slug for _, slug in records} <= people

    # Author pages list the articles: both people of a shared byline, newest first.
    shared = next(
        pk for pk, (_, linked) in found.items()
        if len(linked) == 2 and Article.objects.published().filter(pk=pk).exists()
    )
    for author in Author.objects.filter(authorships__article=shared):
        public = Article.objects.published().filter(authorships__author=author).order_by("-published_at")
        assert 0 < public.count() <= queries.PER_PAGE
        response = client.get(author.get_absolute_url())
        assert response.status_code == 200
        assert card_urls(response.content.decode()) == [article.get_absolute_url() for article in public]


def test_make_archive_finds_the_authors_already_there(media_root):
    # Every person of the pool is already a record, spelled another way with the same slug.
    spelled = {text.slugify(name): text.ascii_fold(name) for name in synthetic.Writer(5).people}
    Author.objects.bulk_create(Author(name=name, slug=slug) for slug, name in spelled.items())
    before = Author.objects.count()
    call_command("make_archive", "--articles", "60", "--seed", "5")
    assert Author.objects.count() == before
    found = bylines_and_authorships(Article.objects.exclude(external_id="synthetic-photo-pool"))
    for line, linked in found.values():
        assert linked and [name for _, _, name in linked] == [spelled[slug] for _, slug, _ in linked]
        assert line == bylines.byline(spelled[slug] for _, slug, _ in linked)
    # New records after these get ids of their own.
    assert Author.objects.create(name="Người Mới").pk > max(Author.objects.exclude(name="Người Mới").values_list("pk", flat=True))
