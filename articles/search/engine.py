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
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db.models import Func, TextField, Value
from django.db.models.functions import Concat, Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .. import queries, text
from ..models import Article
from ..pagination import window
from ..values import Card, Page
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
# Private-use characters mark matches inside ts_headline's output, so that the
# text around them can be escaped before they become <mark> elements.
MARK_START, MARK_STOP = "\ue000", "\ue001"
# ts_headline drops anything shaped like a tag ("<Hamlet>"): angle brackets travel
# through it as two more private-use characters and come back as entities.
LESS, GREATER = "\ue002", "\ue003"
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


# What a Hit shows beside its card: the annotations of with_highlights.
MARKED = ("title_marked", "snippet_marked")


@dataclass(frozen=True)
class Hit:
    """A search result: its card, its title and snippet with the matches marked."""

    card: Card
    title_marked: str
    snippet_marked: str


@dataclass
class Results:
    """The public articles matching a query, in result order, and how many there
    are (counted up to COUNT_LIMIT + 1). ids: their ids in order, sliced like a
    list (ranking.Ranking, or ranking.Newest for newest first)."""

    query: str
    ids: object
    count: int

    def page(self, number, per_page=PER_PAGE):
        ids = window(self.ids, number, per_page)
        shown = ids[:per_page]
        marked = with_highlights(Article.objects.filter(pk__in=shown), self.query)
        rows = {row["id"]: row for row in queries.card_rows(marked, *MARKED)} if shown else {}
        hits = tuple(Hit(queries.card_of(row), *(row[name] for name in MARKED)) for row in queries.in_order(rows, shown))
        return Page(number, hits, len(ids) > per_page, per_page)


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
    return Results(query, ids, newest.count)


class BodyText(Func):
    """A stored body's words without its markup (SQL function of migration 0011,
    the one the search vector reads), so that a snippet never shows a tag."""

    function = "articles_body_text"
    output_field = TextField()


def with_highlights(articles, query):
    """Annotate a page of results with a highlighted title and snippet."""
    tsquery = parse(query)
    options = {"config": CONFIG, "start_sel": MARK_START, "stop_sel": MARK_STOP}
    return articles.annotate(
        title_marked=SearchHeadline("title", tsquery, highlight_all=True, **options),
        # ts_headline parses the whole text it is given, and the markup is stripped
        # from all it is given: the sapo and the start of the body hold the snippet a
        # reader needs, at a fraction of the cost (1,000,000 articles, 20 results of a
        # three-word query: the first 1,500 characters of the text took 10 ms, the
        # body's first 900 characters 6.4, its first 600 3.4).
        snippet_marked=SearchHeadline(
            Func(
                Concat("lead", Value(" "), BodyText(_body_start()), output_field=TextField()), Value("<>"),
                Value(LESS + GREATER),
                function="translate", output_field=TextField(),
            ),
            tsquery,
            max_words=35, min_words=15, max_fragments=2, **options,
        ),
    )


def _body_start():
    cut = Substr("body", 1, SNIPPET_SOURCE)
    return Func(cut, Value(_CUT_MARKUP), Value(""), function="regexp_replace", output_field=TextField())


def marked(value):
    """Escape a ts_headline result and turn our markers into <mark> elements."""
    html = escape(value).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    return mark_safe(html.replace(LESS, "&lt;").replace(GREATER, "&gt;"))
