"""An article's revision content reads its tags' names by their key (issue 16).

0011's view joined the article's tag links to the whole tag table, and PostgreSQL
hashed every tag for each article: a save paid for the size of the vocabulary,
and make_archive's first revisions of a million articles (20,000 tags) ran for
more than twenty minutes without writing one. Each name is now looked up by
the tag's primary key (5,000 articles of a 600-tag archive: 320 → 53 ms). The
content is the same JSON, in the same order.
"""
from django.db import migrations

VIEW = """
CREATE OR REPLACE VIEW articles_revision_content AS
    SELECT a.id AS article_id, jsonb_build_object(
        'title', a.title, 'slug', a.slug, 'lead', a.lead, 'body', a.body, 'status', a.status,
        'published_at', to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'author', a.author, 'source', a.source,
        'category', (SELECT jsonb_build_object('id', c.id, 'name', c.name)
                       FROM articles_category c WHERE c.id = a.category_id),
        'tags', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                'id', at.tag_id, 'name', (SELECT t.name FROM articles_tag t WHERE t.id = at.tag_id))
                                ORDER BY at.tag_id)
                            FROM articles_article_tags at WHERE at.article_id = a.id), '[]'::jsonb),
        'photos', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                'id', p.id, 'image', p.image, 'width', p.width, 'height', p.height,
                                'caption', p.caption, 'credit', p.credit, 'alt_text', p.alt_text) ORDER BY p.id)
                              FROM articles_photo p WHERE p.article_id = a.id), '[]'::jsonb)) AS content
      FROM articles_article a;
"""

UNDO_VIEW = VIEW.replace(
    """coalesce((SELECT jsonb_agg(jsonb_build_object(
                                'id', at.tag_id, 'name', (SELECT t.name FROM articles_tag t WHERE t.id = at.tag_id))
                                ORDER BY at.tag_id)
                            FROM articles_article_tags at WHERE at.article_id = a.id), '[]'::jsonb)""",
    """coalesce((SELECT jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name) ORDER BY t.id)
                            FROM articles_article_tags at JOIN articles_tag t ON t.id = at.tag_id
                           WHERE at.article_id = a.id), '[]'::jsonb)""",
)
assert UNDO_VIEW != VIEW


class Migration(migrations.Migration):
    dependencies = [("articles", "0021_listing_ids_from_indexes")]

    operations = [migrations.RunSQL(VIEW, UNDO_VIEW)]
