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
from django.db import router
from django.db.models import Func, TextField, Value
from django.db.models.functions import Concat, Substr

from .. import prepared, queries, text
from ..models import Article
from ..pagination import window
from ..values import Card, Page
from . import highlights, ranking
from .ranking import Matches, Newest, Plan, Ranking, Reads

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
    return ranking.matching(Article.objects.published() if articles is None else articles, parse(query))


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
    matches = _matches(query, category, since, until)
    plain = not (category or since or until or ranking.excludes(query))
    reads = CompiledReads(query) if plain else Reads(matches)
    plan = Plan(CONFIG, query, router.db_for_read(Article))
    newest = Newest(matches, plan, reads, head=COUNT_LIMIT + 1)
    ids = newest if newest_first else Ranking(matches, plan, reads, newest)
    return Results(query, ids, newest.count, plan.lexemes)


def _matches(query, category=None, since=None, until=None):
    """The Matches of a query among the public articles (of a category, from one day
    to another when asked); with none of those, a plain search's."""
    return Matches(query, parse(query), lambda: _scope(category, since, until))


def _scope(category, since, until):
    """The public articles a search looks in."""
    scope = Article.objects.published()
    if category:
        scope = scope.filter(category=category)
    if since:
        scope = scope.filter(published_at__date__gte=since)
    if until:
        scope = scope.filter(published_at__date__lte=until)
    return scope


# A plain search's usual reads (no filter: the site's search box asks no other), as the
# ORM makes them from _matches(query): compiled once per process, sent with the
# query's words and the content version's moment each time, so that PostgreSQL
# plans them for those words (prepared.py, each_run).
_HEAD = prepared.Statement(
    "search_head", lambda query, size: ranking.head_walk(_matches(query), size),
    each_run=True, query=prepared.TEXT, size=prepared.LIMIT,
)
_TITLES = prepared.Statement(
    "search_titles", lambda query, size: ranking.title_walk(_matches(query), size),
    each_run=True, query=prepared.TEXT, size=prepared.LIMIT,
)
_OTHERS = prepared.Statement(
    "search_others", lambda query, ids: ranking.others_by_id(_matches(query), ids),
    each_run=True, query=prepared.TEXT, ids=prepared.IDS,
)


class CompiledReads:
    """ranking.Reads of a plain search, from the statements above."""

    def __init__(self, query):
        self.query = query

    def head(self, size):
        return ranking.rows(_HEAD.rows(Article, query=self.query, size=size))

    def titles(self, size):
        return ranking.rows(_TITLES.rows(Article, query=self.query, size=size))

    def others(self, ids):
        return ranking.rows(_OTHERS.rows(Article, query=self.query, ids=list(ids)))


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
