"""The shared list of reader pages (tests/public_pages.py) covers every reader URL."""
import pytest
from django.urls import get_resolver, resolve

from tests.factories import ArticleFactory, CategoryFactory, TagFactory
from tests.public_pages import PAGES, World

# Staff only: tested with the admin (tests/test_admin.py, tests/test_visibility.py);
# not a page: the most-read beacon, a POST of the reader's browser (tests/test_reads.py).
NOT_FOR_READERS = {"preview", "read_beacon"}


def reader_url_names():
    resolver = get_resolver()
    namespace = resolver.namespace_dict["articles"][1]
    return {name for name in namespace.reverse_dict if isinstance(name, str)} - NOT_FOR_READERS


@pytest.mark.django_db
def test_every_reader_url_pattern_has_a_page_in_the_shared_list():
    category, tag = CategoryFactory(), TagFactory()
    world = World(ArticleFactory(category=category, tags=[tag]), category, tag)
    covered = {resolve(page.url(world).split("?")[0]).url_name for page in PAGES.values() if page.status != 404}
    assert reader_url_names() - covered == set()
    assert "article" in covered and "sitemap" in covered  # the names really are compared
