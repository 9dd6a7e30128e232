"""Search's title group read from an index alone: the public articles newest first
with each title's vector beside the keys (articles/models/article.py says which
query it serves), on a condition that only a search's statements imply."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0025_editing_session_page"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                models.OrderBy(models.F("published_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("deleted_at__isnull", True), ("status", "published"), ("title_vector__isnull", False)),
                include=("expires_at", "title_vector"),
                name="article_public_titles_by_date",
            ),
        ),
    ]
