"""Each article row carries its card's photo (Article.card_photo), kept by the
database: a listing's cards read it with their article, where each card read its
lead photo's row from the photo table (3.4 GB at a million articles, one random
page per card). Existing rows are filled here."""
from django.db import migrations, models

# The shape is models/photo.py's ROW_FIELDS, the rule Article.lead_of's (the first
# photo with a file); tests/test_card_photo.py holds them equal.
CARD_PHOTO = """
CREATE FUNCTION articles_photo_card(id bigint, image text, width int, height int, caption text, credit text,
                                    alt_text text, renditions jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN id IS NOT NULL THEN  -- no photo (an outer join's empty side): no card photo
        jsonb_build_object('id', id, 'image', image, 'width', width, 'height', height, 'caption', caption,
                           'credit', credit, 'alt_text', alt_text, 'renditions', renditions)
    END
$$;

-- Volatile: each call sees what other transactions have committed by then (below).
CREATE FUNCTION articles_card_photo(article bigint) RETURNS jsonb LANGUAGE sql VOLATILE AS $$
    SELECT articles_photo_card(p.id, p.image, p.width, p.height, p.caption, p.credit, p.alt_text, p.renditions)
      FROM articles_photo p WHERE p.article_id = article AND p.image <> '' ORDER BY p.id LIMIT 1
$$;

-- A photo written or deleted locks its article's row until the commit, so that
-- two transactions changing one article's photos take turns: the second finds the
-- photos as the first left them (without the lock, each saw the other's photo as
-- it was, and the card kept a deleted photo). Every other writer of an article's
-- photos locks the article first (the admin's form, a restore, an import, a photo's
-- renditions: Photo.saving_renditions), so the two locks are always taken in one
-- order. The article's row is written only when its card photo changes: its update
-- recomputes the search vector and records a revision.
CREATE FUNCTION articles_photo_card_photo() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM FROM articles_article WHERE id IN (OLD.article_id, NEW.article_id) ORDER BY id FOR UPDATE;
    UPDATE articles_article SET card_photo = articles_card_photo(id)
     WHERE id IN (OLD.article_id, NEW.article_id) AND card_photo IS DISTINCT FROM articles_card_photo(id);
    RETURN NULL;
END $$;
CREATE TRIGGER articles_photo_card_photo AFTER INSERT OR UPDATE OR DELETE ON articles_photo
    FOR EACH ROW EXECUTE FUNCTION articles_photo_card_photo();

-- lz4, as migration 0023 sets for the long columns: the biggest of the row's own
-- columns (1.7 KB), it is the one compressed first when a row grows past 2 KB,
-- and stays in the row that a card reads.
DO $$ BEGIN
    ALTER TABLE articles_article ALTER COLUMN card_photo SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN NULL;
END $$;

-- The search vector and the revisions stay as they are (their triggers' bulk switch).
-- Before the article's own trigger exists, which would find each photo again; the
-- new column's lock keeps every other writer of articles out until the commit.
SET LOCAL antd.bulk_load = on;
UPDATE articles_article a SET card_photo = articles_card_photo(a.id)
 WHERE EXISTS (SELECT FROM articles_photo p WHERE p.article_id = a.id AND p.image <> '');
SET LOCAL antd.bulk_load = off;

-- Whatever a save sends for the column (an instance read before its photos
-- changed, say), the row gets what its photos say.
CREATE FUNCTION articles_article_card_photo() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.card_photo := articles_card_photo(NEW.id);
    RETURN NEW;
END $$;
CREATE TRIGGER articles_article_card_photo BEFORE INSERT OR UPDATE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_card_photo();
"""

UNDO_CARD_PHOTO = """
DROP TRIGGER IF EXISTS articles_photo_card_photo ON articles_photo;
DROP TRIGGER IF EXISTS articles_article_card_photo ON articles_article;
DROP FUNCTION IF EXISTS articles_photo_card_photo();
DROP FUNCTION IF EXISTS articles_article_card_photo();
DROP FUNCTION IF EXISTS articles_card_photo(bigint);
DROP FUNCTION IF EXISTS articles_photo_card(bigint, text, int, int, text, text, text, jsonb);
"""


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0027_photo_by_article"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="card_photo",
            field=models.JSONField(editable=False, null=True),
        ),
        migrations.RunSQL(CARD_PHOTO, UNDO_CARD_PHOTO),
    ]
