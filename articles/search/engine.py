"""Vietnamese full-text search in PostgreSQL.

The stored vector (see migration 0004) uses our `vietnamese` configuration:
simple + unaccent, so accents, case and tone placement do not matter. Queries
use web search syntax ("quoted phrase", -exclusion, OR).

Best match first: title matches of any age, then the others (ranking.py); newest
first on request. Nothing counts past COUNT_LIMIT.
"""
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db.models import Func, TextField, Value
from django.db.models.functions import Concat, Substr

from .. import queries, text
from ..models import Article
from ..pagination import window
from ..values import Card, Page
from . import highlights
from .ranking import Newest, Plan, Ranking

CONFIG = "vietnamese"
PER_PAGE = settings.ANTD["ARTICLES_PER_PAGE"]
MAX_QUERY_LENGTH = 200
# "Tìm thấy hơn 100 bài": a count reads the vector of every match it counts (about
# 4 µs each, out of line), so it stops there.
COUNT_LIMIT = 100
# The stored body's first characters (markup included) that a snippet is chosen from.
SNIPPET_SOURCE = 600
# A tag or an entity the cut went through, left out of the snippet's source.
_CUT_MARKUP = r"<[^>]*$|&[#a-zA-Z0-9]*$"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ufffe\uffff]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def clean_query(raw):
    """What we search for: NFC, no control characters or broken code points, bounded."""
    value = _SURROGATES.sub("", _CONTROL.sub(" ", raw or ""))
    return text.collapse_spaces(text.nfc(value))[:MAX_QUERY_LENGTH]


def parse(query):
    return SearchQuery(query, search_type="websearch", config=CONFIG)


def articles_matching(query, articles=None):
    articles = Article.objects.published() if articles is None else articles
    return articles.filter(search_vector=parse(query))


@dataclass(frozen=True)
class Hit:
    """A search result: its card, its title and snippet with the matches marked
    (safe HTML, highlights.py)."""

    card: Card
    title_marked: str
    snippet_marked: str


@dataclass
class Results:
    """The public articles matching a query, in result order, and how many there
    are (counted up to COUNT_LIMIT + 1). ids: their ids in order, sliced like a
    list (ranking.Ranking, or ranking.Newest for newest first); lexemes: the words
    a match holds, as the index has them (ranking.Plan.lexemes), which are marked."""

    query: str
    ids: object
    count: int
    lexemes: frozenset

    def page(self, number, per_page=PER_PAGE):
        ids = window(self.ids, number, per_page)
        shown = ids[:per_page]
        rows = {row["id"]: row for row in queries.card_rows_by_id(_RESULTS, shown)} if shown else {}
        words = highlights.pattern(self.lexemes)
        hits = tuple(_hit(row, words) for row in queries.in_order(rows, shown))
        return Page(number, hits, len(ids) > per_page, per_page)


def _hit(row, words):
    """The Hit of a result's row (_RESULTS), its words marked (highlights.pattern)."""
    card = queries.card_of(row)
    return Hit(card, highlights.marked(card.title, words), highlights.snippet(row["snippet_source"], words))


def find(query, *, newest_first=False, category=None, since=None, until=None):
    """The Results of a cleaned query: best match first, or newest first."""
    scope = Article.objects.published()
    if category:
        scope = scope.filter(category=category)
    if since:
        scope = scope.filter(published_at__date__gte=since)
    if until:
        scope = scope.filter(published_at__date__lte=until)
    tsquery = parse(query)
    results = articles_matching(query, scope)
    plan = Plan(CONFIG, query, results.db)
    newest = Newest(results, tsquery, plan, head=COUNT_LIMIT + 1)
    ids = newest if newest_first else Ranking(query, tsquery, scope, results, plan, newest)
    return Results(query, ids, newest.count, plan.lexemes)


class BodyText(Func):
    """A stored body's words without its markup (SQL function of migration 0011,
    the one the search vector reads), so that a snippet never shows a tag."""

    function = "articles_body_text"
    output_field = TextField()


def snippet_source():
    """The text a result's snippet is chosen from: the sapo and the start of the
    body, its markup stripped in SQL (BodyText) so that only SNIPPET_SOURCE
    characters of each body leave the database."""
    return Concat("lead", Value(" "), BodyText(_body_start()), output_field=TextField())


def _body_start():
    cut = Substr("body", 1, SNIPPET_SOURCE)
    return Func(cut, Value(_CUT_MARKUP), Value(""), function="regexp_replace", output_field=TextField())


# A page of results: their cards and the text of their snippets, in one prepared statement.
_RESULTS = queries.cards_statement("results", snippet_source=snippet_source())
