"""An author's photo ("ảnh chân dung"), stored and rendered as an article's photo is
(models/pictured.py), and an index on the name for the authors index /tac-gia/
(queries.author_index), walked in Vietnamese order as the tag index walks tag_by_name."""
import articles.photos.images
import articles.photos.uploads
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0017_threads"),
    ]

    operations = [
        migrations.AddField(
            model_name="author",
            name="photo",
            field=articles.photos.images.PhotoField(
                blank=True, height_field="photo_height",
                help_text="JPEG, PNG, WebP hoặc GIF, tối đa 25 MB. Hiện nhỏ, cắt tròn, trên trang tác giả.",
                upload_to=articles.photos.uploads.portrait_upload_to, verbose_name="ảnh chân dung",
                width_field="photo_width",
            ),
        ),
        migrations.AddField(
            model_name="author",
            name="photo_height",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="author",
            name="photo_renditions",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name="author",
            name="photo_width",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="author",
            index=models.Index(fields=["name"], name="author_by_name"),
        ),
    ]
