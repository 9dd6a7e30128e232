from django.db import migrations

# An article's tags enter its search vector in tag id order, as the bulk loaders
# (imports/ndjson.py) write them: without an order, string_agg follows whatever
# plan the join takes, and the same article could get vectors with other positions.
FORWARD = """
CREATE OR REPLACE FUNCTION articles_search_vector(article articles_article) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT articles_search_vector_of(
        article.title,
        (SELECT string_agg(t.name, ' ' ORDER BY t.id) FROM articles_tag t
           JOIN articles_article_tags at ON at.tag_id = t.id WHERE at.article_id = article.id),
        (SELECT c.name FROM articles_category c WHERE c.id = article.category_id),
        article.lead,
        article.body)
$$;
"""

BACKWARD = """
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
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_tag_name_index")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
