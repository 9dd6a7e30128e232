"""Authors as records ("Tác giả"): every article's free-text byline becomes
its authors, in order ("HẢI NAM - THU HÀ": Hải Nam, then Thu Hà), one record per
normalized name (articles/bylines.py). The byline text itself is left as it was,
so that converting writes no revision; the next save writes it from the records."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

from articles import bylines

# Reporters name the authors of their drafts (and add a missing one); editors
# also rename and merge them (articles/admin/authors.py).
GROUP_PERMISSIONS = {
    "Phóng viên": ["add_author", "view_author", "add_authorship", "change_authorship", "delete_authorship",
                   "view_authorship"],
    "Biên tập viên": ["add_author", "change_author", "delete_author", "view_author", "add_authorship",
                      "change_authorship", "delete_authorship", "view_authorship"],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now (as 0002 does).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))


def adopt_bylines(apps, schema_editor):
    bylines.adopt(apps.get_model("articles", "Article"), apps.get_model("articles", "Author"),
                  apps.get_model("articles", "Authorship"))


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0014_modified_index'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='Author',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(db_collation='vi-VN-x-icu', max_length=100, verbose_name='tên')),
                ('slug', models.SlugField(blank=True, max_length=120, unique=True, verbose_name='đường dẫn')),
                ('bio', models.TextField(blank=True, help_text='Vài dòng về tác giả, hiện trên trang tác giả.', verbose_name='giới thiệu')),
            ],
            options={
                'verbose_name': 'tác giả',
                'verbose_name_plural': 'tác giả',
                'ordering': ['name'],
            },
        ),
        migrations.AlterField(
            model_name='article',
            name='author',
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name='dòng tác giả'),
        ),
        migrations.CreateModel(
            name='Authorship',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='authorships', to='articles.article')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='authorships', to='articles.author', verbose_name='tác giả')),
            ],
            options={
                'verbose_name': 'tác giả của bài',
                'verbose_name_plural': 'tác giả của bài',
                'ordering': ['position', 'id'],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='authors',
            field=models.ManyToManyField(blank=True, related_name='articles', through='articles.Authorship', to='articles.author', verbose_name='tác giả'),
        ),
        migrations.AddIndex(
            model_name='authorship',
            index=models.Index(fields=['author', 'article'], name='authorship_by_author'),
        ),
        migrations.AddConstraint(
            model_name='authorship',
            constraint=models.UniqueConstraint(models.F('article'), models.F('author'), name='authorship_once_per_article'),
        ),
        migrations.RunPython(adopt_bylines, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
