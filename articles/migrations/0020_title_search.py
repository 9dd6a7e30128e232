"""Title matches first, of any age (issue 16): the title's part of an article's
search vector (weight A) as a column of its own, with its own GIN index.

PostgreSQL generates the column from search_vector after the row triggers have set
it, so the triggers, the NDJSON loader and make_archive, which write search_vector,
keep it current with no rule of their own. Only the title: tags share weight B with
the category, and a category named like the query ("Giao thông") would otherwise
make every article in it a title match. Adding the column rewrites the table once:
4.5 minutes for a million articles on a 2-core machine.
"""
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("articles", "0019_thread_cover")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="title_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(models.F("search_vector"), models.Value("{a}"), function="ts_filter"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(fields=["title_vector"], name="article_title_vector"),
        ),
        # Its statistics now, not at autovacuum's next pass: search reads a column
        # without them from its GIN index, slowly for common words (search/ranking.py).
        migrations.RunSQL("ANALYZE articles_article (title_vector)", migrations.RunSQL.noop),
    ]
