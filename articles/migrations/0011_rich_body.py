"""Bodies become HTML within the allow-list of articles/richtext/sanitize.py.

Each body's paragraphs become <p> elements and each photo a placeholder where its
position put it (after that many paragraphs), so every article reads as it did;
the revisions are converted the same way, so that history, compare and restore
keep working across the change. The conversion runs with antd.bulk_load on: it
changes no words, so it makes no new revision and no new search vector.
Photo.position goes: a photo stands where its placeholder is, or after the body.
"""
import html
import re

from django.db import migrations, models

# Frozen here as the code had them on the day of the conversion.
PARAGRAPH_SPLIT = re.compile(r"\n[ \t\u00a0]*\n+")
BATCH = 2000


def paragraphs(body):
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip() for p in PARAGRAPH_SPLIT.split(body) if p.strip()]


def to_html(body, photos):
    """photos: (position, id) pairs."""
    texts = paragraphs(body)
    at = {}
    for position, photo_id in sorted(photos, key=lambda pair: (min(pair[0], len(texts)), pair[1])):
        at.setdefault(min(position, len(texts)), []).append(f'<figure data-photo="{int(photo_id)}"></figure>')
    parts = []
    for index, value in enumerate([*texts, None]):
        parts.extend(at.get(index, ()))
        if value is not None:
            parts.append("<p>" + html.escape(value, quote=False).replace("\u00a0", "&nbsp;") + "</p>")
    return "".join(parts)


def convert(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL antd.bulk_load = 'on'")
        cursor.execute("SELECT article_id, position, id FROM articles_photo")
        photos = {}
        for article_id, position, photo_id in cursor.fetchall():
            photos.setdefault(article_id, []).append((position, photo_id))
    _convert_articles(connection, photos)
    _convert_revisions(connection)


def _rows(connection, sql, name):
    with connection.connection.cursor(name=name) as rows:
        rows.itersize = BATCH
        rows.execute(sql)
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch


def _update(connection, sql, values):
    from psycopg2.extras import execute_values

    with connection.connection.cursor() as cursor:
        execute_values(cursor, sql, values, page_size=BATCH)


def _convert_articles(connection, photos):
    for batch in _rows(connection, "SELECT id, body FROM articles_article ORDER BY id", "bodies"):
        values = [(pk, to_html(body, photos.get(pk, ()))) for pk, body in batch]
        _update(connection, "UPDATE articles_article a SET body = v.body FROM (VALUES %s) v(id, body) WHERE a.id = v.id",
                values)


def _convert_revisions(connection):
    import json

    for batch in _rows(connection, "SELECT id, content FROM articles_revision ORDER BY id", "revisions"):
        values = []
        for pk, content in batch:
            content = json.loads(content) if isinstance(content, str) else content
            pictures = content.get("photos", [])
            content["body"] = to_html(content.get("body"), [(p.get("position", 0), p["id"]) for p in pictures])
            content["photos"] = sorted(({k: v for k, v in p.items() if k != "position"} for p in pictures),
                                       key=lambda p: p["id"])
            values.append((pk, json.dumps(content)))
        _update(connection,
                "UPDATE articles_revision r SET content = v.content::jsonb FROM (VALUES %s) v(id, content) "
                "WHERE r.id = v.id", values)


# The words of a body, for its search vector and the search snippet: a block
# element parts words, an inline one does not, and the five entities the
# sanitiser writes are read back. BLOCKS as in articles/richtext/sanitize.py
# (tests/test_rich_body.py holds the two together).
BODY_TEXT = r"""
CREATE FUNCTION articles_body_text(body text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT replace(replace(replace(replace(replace(
        regexp_replace(
            regexp_replace(coalesce(body, ''),
                '</?(p|h2|h3|blockquote|ul|ol|li|table|thead|tbody|tr|th|td|figure|br)(\s[^>]*)?>', ' ', 'g'),
            '<[^>]*>', '', 'g'),
        '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&nbsp;', ' '), '&amp;', '&')
$$;

CREATE OR REPLACE FUNCTION articles_search_vector_of(title text, tags text, category text, lead text, body text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('vietnamese', coalesce(title, '')), 'A')
        || setweight(to_tsvector('vietnamese', coalesce(tags, '')), 'B')
        || setweight(to_tsvector('vietnamese', coalesce(category, '')), 'B')
        || setweight(to_tsvector('vietnamese', coalesce(lead, '')), 'C')
        || setweight(to_tsvector('vietnamese', articles_body_text(body)), 'D')
$$;
"""

UNDO_BODY_TEXT = """
CREATE OR REPLACE FUNCTION articles_search_vector_of(title text, tags text, category text, lead text, body text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('vietnamese', coalesce(title, '')), 'A')
        || setweight(to_tsvector('vietnamese', coalesce(tags, '')), 'B')
        || setweight(to_tsvector('vietnamese', coalesce(category, '')), 'B')
        || setweight(to_tsvector('vietnamese', coalesce(lead, '')), 'C')
        || setweight(to_tsvector('vietnamese', coalesce(body, '')), 'D')
$$;
DROP FUNCTION articles_body_text(text);
"""

# A photo's content no longer has a position: the body says where it stands.
CONTENT = """
CREATE OR REPLACE VIEW articles_revision_content AS
    SELECT a.id AS article_id, jsonb_build_object(
        'title', a.title, 'slug', a.slug, 'lead', a.lead, 'body', a.body, 'status', a.status,
        'published_at', to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'author', a.author, 'source', a.source,
        'category', (SELECT jsonb_build_object('id', c.id, 'name', c.name)
                       FROM articles_category c WHERE c.id = a.category_id),
        'tags', coalesce((SELECT jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name) ORDER BY t.id)
                            FROM articles_article_tags at JOIN articles_tag t ON t.id = at.tag_id
                           WHERE at.article_id = a.id), '[]'::jsonb),
        'photos', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                'id', p.id, 'image', p.image, 'width', p.width, 'height', p.height,
                                'caption', p.caption, 'credit', p.credit, 'alt_text', p.alt_text) ORDER BY p.id)
                              FROM articles_photo p WHERE p.article_id = a.id), '[]'::jsonb)) AS content
      FROM articles_article a;
"""

# Back to 0010's view (the column comes back first, in reverse order).
UNDO_CONTENT = CONTENT.replace(
    "'alt_text', p.alt_text) ORDER BY p.id", "'alt_text', p.alt_text, 'position', p.position) ORDER BY p.position, p.id"
)
assert UNDO_CONTENT != CONTENT


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_newsroom")]

    operations = [
        migrations.RunSQL(BODY_TEXT, UNDO_BODY_TEXT),
        migrations.RunPython(convert, migrations.RunPython.noop, elidable=False),
        migrations.RunSQL(CONTENT, UNDO_CONTENT),
        migrations.AlterModelOptions(
            name="photo", options={"ordering": ["id"], "verbose_name": "ảnh", "verbose_name_plural": "ảnh"},
        ),
        migrations.RemoveField(model_name="photo", name="position"),
        migrations.AlterField(
            model_name="article", name="body", field=models.TextField(verbose_name="nội dung"),
        ),
    ]
