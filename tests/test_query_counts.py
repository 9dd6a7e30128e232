"""No reader page may cost more queries as the archive grows: each page is measured
with a few articles and again with 45, and both counts must be equal (and small).

The articles share a category and a tag, each has a photo, a correction, a tag of
its own and an empty category besides, so listings, tag and category indexes all grow with them.
Pages that only exist from page 2 on start from 23 articles (3 on page 2) instead of 3.
Each page is measured cold (right after a change, so that every read function and
fragment behind it is rebuilt: an N+1 there shows) and warm. Every request is made
once before it is measured, so that the Site lookup (cached for the process, as in
production) is not counted.
"""
import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import caching
from tests.factories import ArticleFactory, CategoryFactory, CorrectionFactory, PhotoFactory, TagFactory
from tests.public_pages import ERRORS, SEARCHES, SECOND_PAGES, World, select
from tests.public_pages import PAGES as PUBLIC_PAGES

pytestmark = pytest.mark.django_db

LARGE = 45


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
            CorrectionFactory(article=article)  # the article page and /dinh-chinh/ grow too
            CategoryFactory()
            self.articles.append(article)

    @property
    def world(self):
        """The second newest article: it has a previous and a next one, and related ones."""
        return World(self.articles[1], self.category, self.tag)


PAGES = select(without=[SEARCHES, ERRORS])
# Queries per page, whatever the number of articles. Cold: the first reader after
# a change, every read function and fragment rebuilt (issue 6: at most 10). Warm:
# what the next readers cost, with the page cache off.
COLD_CEILING = 10
WARM_CEILING = 0  # every read of a reader page is kept for the content version


def cold():
    """Forget everything cached for readers, as any change does."""
    with transaction.atomic():
        caching.changed()


def measure(client, url, *, warm):
    """(number of queries, their SQL) of one GET, cold (after a change) or warm."""
    cold()
    assert client.get(url).status_code == 200, url  # warms, and is the cold request's twin
    if not warm:
        cold()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries), [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
@pytest.mark.parametrize("name", PAGES)
def test_query_count_does_not_grow_with_the_archive(client, name, warm):
    newsroom = Newsroom()
    small = 23 if name in SECOND_PAGES else 3
    newsroom.grow(small)
    world = newsroom.world
    url = PUBLIC_PAGES[name].url(world)
    few, few_sql = measure(client, url, warm=warm)

    newsroom.grow(LARGE)
    assert PUBLIC_PAGES[name].url(newsroom.world) == url
    many, many_sql = measure(client, url, warm=warm)

    state = "warm" if warm else "cold"
    print(f"\nQUERIES {name} ({state}): {few} with {small} articles, {many} with {LARGE}")
    assert many == few, (
        f"{name} ({state}): {few} queries with {small} articles but {many} with {LARGE}:\n" + "\n".join(many_sql)
    )
    ceiling = WARM_CEILING if warm else COLD_CEILING
    assert many <= ceiling, f"{name} ({state}): {many} queries, ceiling {ceiling}:\n" + "\n".join(many_sql)
