"""The long columns are compressed with lz4 instead of pglz (issue 16).

An article's body and search vector (about 2 and 4 KB) and a revision's content
are compressed as they are written and read back on every cold article. pglz
halved nothing here (the body's 2.3 KB became 2.1 KB) and took twice lz4's time:
copying the 100,000-article archive's bodies and vectors, 5.7 s with pglz, 2.8 s
with lz4. Values already stored keep their compression until they are written
again; both are read alike. A server built without lz4 keeps pglz.
"""
from django.db import migrations

COLUMNS = [
    ("articles_article", "lead"),
    ("articles_article", "body"),
    ("articles_article", "search_vector"),
    ("articles_revision", "content"),
]


def _set(method):
    statements = "".join(
        f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method}; " for table, column in COLUMNS
    )
    return f"DO $$ BEGIN {statements}EXCEPTION WHEN feature_not_supported THEN NULL; END $$"


class Migration(migrations.Migration):
    dependencies = [("articles", "0022_revision_content_tags")]

    operations = [migrations.RunSQL(_set("lz4"), _set("default"))]
