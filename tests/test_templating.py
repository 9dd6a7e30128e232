"""The readers' templates are Jinja2 (articles/templating.py), the admin's Django's."""
import pytest
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.template.loader import get_template
from django.test import RequestFactory

from articles import caching, queries
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def jinja(source):
    return engines["jinja2"].from_string(source)


def test_readers_pages_are_jinja2_and_the_admins_pages_django_templates():
    assert get_template("base.html").backend.name == "jinja2"
    assert get_template("articles/article/detail.html").backend.name == "jinja2"
    # The site's own admin index (the review queue) wins over Django admin's.
    index = get_template("admin/index.html")
    assert index.backend.name == "django"
    assert "articles/templates/admin/index.html" in index.origin.name


def test_a_fragment_is_rendered_once_per_content_version():
    template = jinja('{% call fragment("thu", part) %}<b>{{ shown }}</b>{% endcall %}')
    assert template.render({"part": 1, "shown": "một"}) == "<b>một</b>"
    assert template.render({"part": 1, "shown": "hai"}) == "<b>một</b>"  # kept
    assert template.render({"part": 2, "shown": "hai"}) == "<b>hai</b>"  # another part, its own
    caching.changed()
    assert template.render({"part": 1, "shown": "ba"}) == "<b>ba</b>"


def test_values_are_escaped_and_html_made_by_the_site_is_not():
    ArticleFactory(title='Cảnh báo <script>alert("x")</script> & lừa đảo')
    template = jinja("{{ title }}|{{ card(article) }}")
    article = queries.latest(1).items[0]
    html = template.render({"title": article.title, "article": article})
    title, card = html.split("|", 1)
    assert title == "Cảnh báo &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; lừa đảo"
    assert card.startswith('<article class="card">') and "&lt;script&gt;" in card and "<script>" not in card


def test_a_missing_value_is_empty_in_development_too(settings):
    """Django's backend asks for DebugUndefined under DEBUG, which prints {{ nothing }}."""
    settings.DEBUG = True
    engine = Jinja2({"NAME": "development", "DIRS": [], "APP_DIRS": False,
                     "OPTIONS": {"environment": "articles.templating.environment"}})
    assert engine.from_string("[{{ nothing }}]").render({}) == "[]"


def test_a_search_pager_keeps_the_query_and_a_listing_pager_does_not():
    request = RequestFactory().get("/tim-kiem/", {"q": "công an", "chuyen_muc": "giao-thong", "page": "2"})
    template = jinja('{% from "articles/includes/_pager.html" import pager %}{{ pager(page, query) }}')
    page = type("Page", (), {"has_other_pages": True, "has_previous": True, "has_next": True,
                             "previous_page_number": 1, "next_page_number": 3, "number": 2})
    searched = template.render({"page": page, "query": request.GET})
    assert 'href="?q=c%C3%B4ng+an&amp;chuyen_muc=giao-thong&amp;page=1"' in searched
    assert 'href="?q=c%C3%B4ng+an&amp;chuyen_muc=giao-thong&amp;page=3"' in searched
    listed = template.render({"page": page, "query": None})
    assert 'href="?page=1"' in listed and 'href="?page=3"' in listed
