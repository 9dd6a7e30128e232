"""Which browser page keeps an editing session alive, and whether it has left.

A tab that closes says so (its leave beacon), but a heartbeat it sent just before
may reach the server after the beacon and bring the editor back for 30 seconds
(seen in the browser test under load). The session now remembers the page that
spoke last and that it left: that page's late heartbeats are ignored, another
page of the same editor (a second tab, a reload) still counts.
"""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0024_distinct_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="editingsession",
            name="left",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="editingsession",
            name="page",
            field=models.CharField(blank=True, default="", max_length=40),
        ),
    ]
