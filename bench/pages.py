"""Server time and SQL queries of every page type, on the database of DATABASE_URL.

Run by bench/run.py in a process of its own per archive size. The whole-page
cache is off (ANTD_PAGE_CACHE_SECONDS=0); fragments stay cached, as in
production. Prints one JSON object: {page: {"url", "queries", "p50", "p95"}}.
"""
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "antd_site.settings")
os.environ["ANTD_PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article, Category, Tag, Tagging  # noqa: E402

import stack  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "60"))
WARMUP = 3
DEEP_PAGE = 500


def deepest(url, wanted, count, per_page=20):
    """Page `wanted` if the listing has it, else its last page."""
    last = max(1, (count + per_page - 1) // per_page)
    return f"{url}?page={min(wanted, last)}"


def page_types():
    public = Article.objects.published()
    article = public.order_by("-published_at")[public.count() // 3]
    tag = Tag.objects.annotate(n=Count("articles")).order_by("-n").first()
    tag_count = Tagging.objects.published().filter(tag=tag).count()
    category = Category.objects.annotate(n=Count("articles")).order_by("-n").first()
    category_count = public.filter(category=category).count()
    day = article.local_date
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "tag p1": tag.get_absolute_url(),
        f"tag p{DEEP_PAGE}": deepest(tag.get_absolute_url(), DEEP_PAGE, tag_count),
        "category p1": category.get_absolute_url(),
        f"category p{DEEP_PAGE}": deepest(category.get_absolute_url(), DEEP_PAGE, category_count),
        "year": f"/{day.year}/",
        "month": f"/{day.year}/{day.month:02d}/",
        "day": f"/{day.year}/{day.month:02d}/{day.day:02d}/",
        "tag index": "/tag/",
        "feed (site)": "/rss/",
        "feed (tag)": f"{tag.get_absolute_url()}rss/",
        "sitemap index": "/sitemap.xml",
        "sitemap (articles p1)": "/sitemap-articles.xml",
        "sitemap (news)": "/sitemap-news.xml",
        "sitemap (archives)": "/sitemap-archives.xml",
    }


SEARCHES = {
    "search: common word": "/tim-kiem/?q=công an",
    "search: two words": "/tim-kiem/?q=an toàn giao thông",
    "search: three words, no accents": "/tim-kiem/?q=phong chay chua chay",
    "search: rare word": "/tim-kiem/?q=Điện Biên",
    "search: no result + suggestion": "/tim-kiem/?q=nguoyen tacc",
}


def measure(client, url):
    for _ in range(WARMUP):
        response = client.get(url)
    status = response.status_code
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        client.get(url)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "url": url,
        "status": status,
        "queries": len(queries),
        "p50": statistics.median(times),
        "p95": stack.percentile(times, 0.95),
    }


def main():
    client = Client(HTTP_HOST="127.0.0.1")
    urls = page_types()
    if os.environ.get("BENCH_SEARCH", "1") == "1":
        urls.update(SEARCHES)
    results = {name: measure(client, url) for name, url in urls.items()}
    results["_articles"] = Article.objects.count()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
