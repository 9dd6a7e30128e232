from django.db import migrations

# Bulk loaders (articles/ndjson.py) write an article, its vector and its taggings
# in one pass. Inside their transaction they set antd.bulk_load = on, and the row
# triggers stand aside: otherwise each tag of a new article would recompute the
# whole vector once more. The vector itself has one definition, of its parts, used
# by the triggers and by the loaders alike.
FORWARD = """
CREATE FUNCTION articles_search_vector_of(title text, tags text, category text, lead text, body text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('vietnamese', coalesce(title, '')), 'A')
        || setweight(to_tsvector('vietnamese', coalesce(tags, '')), 'B')
        || setweight(to_tsvector('vietnamese', coalesce(category, '')), 'B')
        || setweight(to_tsvector('vietnamese', coalesce(lead, '')), 'C')
        || setweight(to_tsvector('vietnamese', coalesce(body, '')), 'D')
$$;

CREATE OR REPLACE FUNCTION articles_search_vector(article articles_article) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT articles_search_vector_of(
        article.title,
        (SELECT string_agg(t.name, ' ') FROM articles_tag t
           JOIN articles_article_tags at ON at.tag_id = t.id WHERE at.article_id = article.id),
        (SELECT c.name FROM articles_category c WHERE c.id = article.category_id),
        article.lead,
        article.body)
$$;

CREATE OR REPLACE FUNCTION articles_article_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('antd.bulk_load', true) = 'on' THEN
        RETURN NEW;
    END IF;
    NEW.search_vector := articles_search_vector(NEW);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION articles_tagging_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('antd.bulk_load', true) = 'on' THEN
        RETURN NULL;
    END IF;
    UPDATE articles_article SET search_vector = NULL
     WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.article_id ELSE NEW.article_id END;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION articles_tagging_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('antd.bulk_load', true) = 'on' THEN
        RETURN NEW;
    END IF;
    SELECT a.published_at, a.status INTO NEW.published_at, NEW.status
      FROM articles_article a WHERE a.id = NEW.article_id;
    RETURN NEW;
END $$;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION articles_search_vector(article articles_article) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('vietnamese', coalesce(article.title, '')), 'A')
        || setweight(to_tsvector('vietnamese', coalesce((
               SELECT string_agg(t.name, ' ') FROM articles_tag t
               JOIN articles_article_tags at ON at.tag_id = t.id WHERE at.article_id = article.id), '')), 'B')
        || setweight(to_tsvector('vietnamese', coalesce((
               SELECT c.name FROM articles_category c WHERE c.id = article.category_id), '')), 'B')
        || setweight(to_tsvector('vietnamese', coalesce(article.lead, '')), 'C')
        || setweight(to_tsvector('vietnamese', coalesce(article.body, '')), 'D')
$$;
DROP FUNCTION articles_search_vector_of(text, text, text, text, text);
CREATE OR REPLACE FUNCTION articles_article_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := articles_search_vector(NEW);
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION articles_tagging_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_article SET search_vector = NULL
     WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.article_id ELSE NEW.article_id END;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION articles_tagging_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT a.published_at, a.status INTO NEW.published_at, NEW.status
      FROM articles_article a WHERE a.id = NEW.article_id;
    RETURN NEW;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_change_index")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
