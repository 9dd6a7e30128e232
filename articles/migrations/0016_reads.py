"""Hourly read counts per article ("Đọc nhiều", articles/reads/): what Redis's
pending counts are flushed into, or what each view is added to without Redis."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0015_authors"),
    ]

    operations = [
        migrations.CreateModel(
            name="HourlyReads",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("hour", models.DateTimeField()),
                ("count", models.PositiveIntegerField(default=0)),
                ("article", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="+", to="articles.article",
                )),
            ],
            options={
                "verbose_name": "lượt đọc theo giờ",
                "verbose_name_plural": "lượt đọc theo giờ",
                "indexes": [models.Index(fields=["hour", "article", "count"], name="hourlyreads_by_hour")],
                "constraints": [
                    models.UniqueConstraint(fields=("article", "hour"), name="hourlyreads_article_hour"),
                ],
            },
        ),
    ]
