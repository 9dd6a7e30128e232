"""Every tag, category and day listing of the archive at DATABASE_URL, with its
number of public articles, for bench/cold.py's random listing pages. Reads only.

Run in a process of its own; prints one JSON object:
{"per_page": 20, "tag": [[url, count], ...], "category": [...], "day": [...]}.
"""
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "antd_site.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import TruncDate  # noqa: E402

from articles.models import Article, Category, Tag, Tagging  # noqa: E402
from articles.paths import archive_path  # noqa: E402


def main():
    public = Article.objects.published()
    tags = dict(Tagging.objects.published().values_list("tag").annotate(n=Count("pk")).values_list("tag", "n"))
    categories = dict(public.values_list("category").annotate(n=Count("pk")).values_list("category", "n"))
    # A day is the Hanoi day (TIME_ZONE), as the archive's pages count it.
    days = public.annotate(day=TruncDate("published_at")).values_list("day").annotate(n=Count("pk"))
    print(json.dumps({
        "per_page": settings.ANTD["ARTICLES_PER_PAGE"],
        "tag": [[tag.get_absolute_url(), tags[tag.pk]] for tag in Tag.objects.filter(pk__in=tags).only("slug")],
        "category": [[c.get_absolute_url(), categories[c.pk]] for c in Category.objects.filter(pk__in=categories)],
        "day": [[archive_path(day, "day"), n] for day, n in days],
    }))


if __name__ == "__main__":
    main()
