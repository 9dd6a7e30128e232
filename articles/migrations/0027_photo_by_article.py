"""An article's photos in order from one index (articles/models/photo.py says which
query it serves): made before the foreign key's own index is dropped, so that the
key is never without one."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0026_public_titles_by_date"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="photo",
            index=models.Index(fields=["article", "id"], name="photo_by_article"),
        ),
        migrations.AlterField(
            model_name="photo",
            name="article",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="photos",
                to="articles.article", verbose_name="bài viết",
            ),
        ),
    ]
