"""An event thread's cover, stored and rendered as an author's photo is; and the
newsroom's rights on threads, which 0017 did not grant: editors make and feature
them, reporters see them."""

import articles.photos.images
import articles.photos.uploads
from django.db import migrations, models

from articles.newsroom import grants

GROUP_PERMISSIONS = {
    "Phóng viên": ["view_eventthread"],
    "Biên tập viên": ["add_eventthread", "change_eventthread", "delete_eventthread", "view_eventthread"],
}


def grant(apps, schema_editor):
    grants.grant(apps, GROUP_PERMISSIONS)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0018_author_photo'),
    ]

    operations = [
        migrations.AddField(
            model_name='eventthread',
            name='cover',
            field=articles.photos.images.PhotoField(blank=True, height_field='cover_height', help_text='JPEG, PNG, WebP hoặc GIF, tối đa 25 MB. Để trống thì dùng ảnh của bài mới nhất trong dòng.', upload_to=articles.photos.uploads.cover_upload_to, verbose_name='ảnh bìa', width_field='cover_width'),
        ),
        migrations.AddField(
            model_name='eventthread',
            name='cover_height',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='eventthread',
            name='cover_renditions',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name='eventthread',
            name='cover_width',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
