"""No reader page may cost more queries as the archive grows: each page is measured
with a few articles and again with 45, and both counts must be equal (and small).

The articles share a category and a tag, each has a photo, a tag of its own and an
empty category besides, so listings, tag and category indexes all grow with them.
Pages that only exist from page 2 on start from 23 articles (3 on page 2) instead of 3.
Every request is made once before it is measured, so that the Site lookup (cached
for the process, as in production) is not counted.
"""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ArticleFactory, CategoryFactory, PhotoFactory, TagFactory

pytestmark = pytest.mark.django_db

LARGE = 45
CEILING = 10  # queries per page, whatever the number of articles (issue 6: at most 10)


class Newsroom:
    def __init__(self):
        self.category = CategoryFactory(name="Giao thông")
        self.tag = TagFactory(name="An toàn giao thông")
        self.start = timezone.now() - datetime.timedelta(hours=1)  # inside the news sitemap's window
        self.articles = []

    def grow(self, total):
        while len(self.articles) < total:
            n = len(self.articles)
            article = ArticleFactory(
                category=self.category, tags=[self.tag, TagFactory()],
                published_at=self.start - datetime.timedelta(minutes=n),
            )
            PhotoFactory(article=article)
            CategoryFactory()
            self.articles.append(article)

    @property
    def reference(self):
        """The second newest article: it has a previous and a next one, and related ones."""
        return self.articles[1]


def day_path(article, parts):
    return "/" + "/".join(f"{value:02d}" for value in article.local_date.timetuple()[:parts]) + "/"


PAGES = {
    "home": lambda w: "/",
    "home page 2": lambda w: "/?page=2",
    "article": lambda w: w.reference.get_absolute_url(),
    "category": lambda w: w.category.get_absolute_url(),
    "category page 2": lambda w: w.category.get_absolute_url() + "?page=2",
    "tag": lambda w: w.tag.get_absolute_url(),
    "tag page 2": lambda w: w.tag.get_absolute_url() + "?page=2",
    "tag index": lambda w: "/tag/",
    "category index": lambda w: "/chuyen-muc/",
    "year": lambda w: day_path(w.reference, 1),
    "month": lambda w: day_path(w.reference, 2),
    "day": lambda w: day_path(w.reference, 3),
    "site feed": lambda w: "/rss/",
    "category feed": lambda w: f"/chuyen-muc/{w.category.slug}/rss/",
    "tag feed": lambda w: f"/tag/{w.tag.slug}/rss/",
    "sitemap index": lambda w: "/sitemap.xml",
    "articles sitemap": lambda w: "/sitemap-articles.xml",
    "news sitemap": lambda w: "/sitemap-news.xml",
    "categories sitemap": lambda w: "/sitemap-categories.xml",
    "tags sitemap": lambda w: "/sitemap-tags.xml",
    "archives sitemap": lambda w: "/sitemap-archives.xml",
    "robots.txt": lambda w: "/robots.txt",
}


def measure(client, url):
    assert client.get(url).status_code == 200, url  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries), [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("name", PAGES)
def test_query_count_does_not_grow_with_the_archive(client, django_assert_max_num_queries, name):
    newsroom = Newsroom()
    small = 23 if name.endswith("page 2") else 3
    newsroom.grow(small)
    url = PAGES[name](newsroom)
    few, few_sql = measure(client, url)

    newsroom.grow(LARGE)
    assert PAGES[name](newsroom) == url
    many, many_sql = measure(client, url)
    with django_assert_max_num_queries(CEILING):
        client.get(url)

    print(f"\nQUERIES {name}: {few} with {small} articles, {many} with {LARGE}")
    assert many == few, (
        f"{name}: {few} queries with {small} articles but {many} with {LARGE}:\n" + "\n".join(many_sql)
    )
