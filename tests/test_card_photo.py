"""An article's card photo (Article.card_photo), written by the database (migration
0028): always its first photo with a file (Article.lead_of), as the article's page
reads that photo's row, whatever changed the photos or the row."""
import threading

import psycopg2
import pytest
from django.db import connection

from articles import queries
from articles.models import Article, Photo, photo_rows
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def card_photo(article):
    return Article.objects.values_list("card_photo", flat=True).get(pk=article.pk)


def page_lead(article):
    """The lead photo's row as the article's page reads its photos (photo_rows), chosen by Article.lead_of."""
    rows = Article.objects.filter(pk=article.pk).values_list(photo_rows(), flat=True).get()
    photos = {photo.pk: photo for photo in article.photos.all()}
    lead = Article.lead_of([photos[row["id"]] for row in rows])
    return next(row for row in rows if row["id"] == lead.pk) if lead else None


def test_the_card_photo_is_the_first_photo_with_a_file_as_the_page_reads_it(media_root):
    article = ArticleFactory()
    assert card_photo(article) is None
    PhotoFactory(article=article, image="", caption="Ảnh đã mất tệp")
    assert card_photo(article) is None
    lead = PhotoFactory(article=article, caption="Ảnh dẫn", alt_text="Hai cán bộ", credit="Ảnh: Minh Hòa")
    PhotoFactory(article=article, caption="Ảnh sau")
    assert card_photo(article) == page_lead(article)
    assert card_photo(article)["id"] == lead.pk and card_photo(article)["caption"] == "Ảnh dẫn"


def test_the_card_photo_follows_edits_renditions_and_deletions(media_root):
    article = ArticleFactory()
    lead = PhotoFactory(article=article, caption="Ảnh dẫn")
    second = PhotoFactory(article=article, caption="Ảnh sau")
    lead.caption = "Chú thích đã sửa"
    lead.save()
    assert card_photo(article)["caption"] == "Chú thích đã sửa"
    # Renditions are written after the commit, by a save of that field alone.
    lead.renditions = {"jpeg": [[320, 240, "renditions/ab/anh-320w.jpg"]]}
    lead.save(update_fields=["renditions"])
    assert card_photo(article)["renditions"] == lead.renditions
    lead.delete()
    assert card_photo(article) == page_lead(article) and card_photo(article)["id"] == second.pk
    second.image = ""
    second.save()
    assert card_photo(article) is None


def test_a_photo_moved_to_another_article_changes_both_cards(media_root):
    first, other = ArticleFactory(), ArticleFactory()
    photo = PhotoFactory(article=first)
    photo.article = other
    photo.save()
    assert card_photo(first) is None and card_photo(other)["id"] == photo.pk


def test_a_save_of_a_stale_instance_leaves_the_card_photo_as_the_photos_say(media_root):
    article = ArticleFactory()
    stale = Article.objects.get(pk=article.pk)  # read before its photo was added
    photo = PhotoFactory(article=article)
    stale.title = "Tiêu đề mới"
    stale.save()
    assert stale.card_photo is None and card_photo(article)["id"] == photo.pk
    Article.objects.filter(pk=article.pk).update(card_photo={"id": 0})
    assert card_photo(article)["id"] == photo.pk


def test_a_card_shows_the_row_s_card_photo(media_root):
    article = ArticleFactory(title="Ba ảnh")
    lead = PhotoFactory(article=article, caption="Ảnh dẫn", alt_text="Hai cán bộ bắt tay")
    [row] = queries.card_rows(Article.objects.filter(pk=article.pk))
    assert row["card_photo"]["id"] == lead.pk
    assert queries.card_of(row).picture.alt == "Hai cán bộ bắt tay"


def test_the_card_photo_is_found_along_the_photo_index():
    """The triggers find an article's first photo with a file along photo_by_article
    in the photos' order, stopping at the first (no sort of all its photos)."""
    ArticleFactory()
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'articles_card_photo'")
        [body] = cursor.fetchone()
        for way in ("seqscan", "bitmapscan"):
            cursor.execute(f"SET LOCAL enable_{way} = off")
        cursor.execute("PREPARE card_photo(bigint) AS " + body.replace("= article", "= $1"))
        cursor.execute("EXPLAIN EXECUTE card_photo(1)")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE card_photo")
    assert "Index Scan using photo_by_article " in plan and "Sort" not in plan, plan


def _connect():
    settings = connection.settings_dict
    params = {"dbname": settings["NAME"], "user": settings["USER"], "host": settings["HOST"], "port": settings["PORT"]}
    return psycopg2.connect(**{name: value for name, value in params.items() if value})


@pytest.mark.django_db(transaction=True)
def test_two_transactions_changing_one_article_s_photos_take_turns(media_root):
    """One deletes a photo that is not the card's, the other the card's photo, at
    once: the second waits for the first's commit, then finds the photos as it left
    them. Each seeing the other's photo as it was, the card kept a deleted photo."""
    article = ArticleFactory()
    lead, second, third = (PhotoFactory(article=article) for _ in range(3))
    first_writer, second_writer = _connect(), _connect()
    finished = threading.Event()

    def delete_the_lead():
        with second_writer.cursor() as cursor:
            cursor.execute("DELETE FROM articles_photo WHERE id = %s", [lead.pk])
        second_writer.commit()
        finished.set()

    try:
        with first_writer.cursor() as cursor:
            cursor.execute("DELETE FROM articles_photo WHERE id = %s", [second.pk])
        other = threading.Thread(target=delete_the_lead)
        other.start()
        assert not finished.wait(0.5)  # waiting for the article's row
        first_writer.commit()
        other.join(10)
        assert finished.is_set()
    finally:
        first_writer.close()
        second_writer.close()
    assert card_photo(article)["id"] == third.pk


@pytest.mark.django_db(transaction=True)
def test_a_photo_s_renditions_wait_for_an_editor_holding_its_article(media_root):
    """The admin's form locks the article, then writes its photos; renditions, saved
    alone after a commit, lock the article before their photo. Photo first, the two
    would wait for each other until PostgreSQL broke the deadlock with an error."""
    article = ArticleFactory()
    photo = PhotoFactory(article=article)
    renditions = {"jpeg": [[320, 240, "renditions/ab/anh-320w.jpg"]]}
    editor, saved = _connect(), threading.Event()

    def save_renditions():
        try:
            found = Photo.objects.get(pk=photo.pk)
            found.renditions = renditions
            with found.saving_renditions():
                found.save(update_fields=["renditions"])
            saved.set()
        finally:
            connection.close()  # this thread's own

    try:
        with editor.cursor() as cursor:
            cursor.execute("SELECT FROM articles_article WHERE id = %s FOR UPDATE", [article.pk])
            worker = threading.Thread(target=save_renditions)
            worker.start()
            assert not saved.wait(0.5)
            cursor.execute("UPDATE articles_photo SET caption = 'Chú thích mới' WHERE id = %s", [photo.pk])
        editor.commit()
        worker.join(10)
        assert saved.is_set()
    finally:
        editor.close()
    assert card_photo(article)["caption"] == "Chú thích mới" and card_photo(article)["renditions"] == renditions
