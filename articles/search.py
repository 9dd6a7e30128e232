"""Vietnamese full-text search in PostgreSQL.

The stored vector (see migration 0004) uses our `vietnamese` configuration:
simple + unaccent, so accents, case and tone placement do not matter. Queries
use web search syntax ("quoted phrase", -exclusion, OR).
"""
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Func, IntegerField, TextField, Value
from django.db.models.functions import Concat, Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import text
from .models import Article, SearchTerm

CONFIG = "vietnamese"
MAX_QUERY_LENGTH = 200
# Ranking reads each candidate's whole vector, so it is bounded: the best match
# is chosen among the newest RANKED matches, and a word found in 100,000
# articles costs what a rare one does. "Mới nhất" order reaches every match.
RANKED = 1000
# "Tìm thấy hơn 1.000 bài": counting every match of a common word costs more than it says.
COUNT_LIMIT = 1000
SNIPPET_SOURCE = 1500
# ts_rank's weights for D, C, B, A: body, sapo, tags and category, title.
RANK_WEIGHTS = [0.1, 0.3, 0.6, 1.0]
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


class Tier(Func):
    """Where the query matches, as a number that sorts title > tags > sapo > body:
    8 for the title, 4 for tags or category, 2 for the sapo, 1 for the body."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection):
        vector_sql, vector_params = compiler.compile(self.source_expressions[0])
        query_sql, query_params = compiler.compile(self.source_expressions[1])
        parts = [
            f"(ts_filter({vector_sql}, '{{{weight}}}') @@ {query_sql})::int * {points}"
            for weight, points in (("a", 8), ("b", 4), ("c", 2), ("d", 1))
        ]
        return "(" + " + ".join(parts) + ")", (vector_params + query_params) * 4


def articles_matching(query, articles=None):
    articles = Article.objects.published() if articles is None else articles
    return articles.filter(search_vector=parse(query))


def search(query, *, newest_first=False, category=None, since=None, until=None):
    """(the ids of the public articles matching the query, in result order: best
    match first, or newest first; how many there are, counted up to COUNT_LIMIT + 1)."""
    tsquery = parse(query)
    results = articles_matching(query)
    if category:
        results = results.filter(category=category)
    if since:
        results = results.filter(published_at__date__gte=since)
    if until:
        results = results.filter(published_at__date__lte=until)
    newest = results.order_by("-published_at", "-id")
    found = max(RANKED, COUNT_LIMIT + 1)
    if newest_first:
        return newest.values_list("pk", flat=True), newest.values("pk")[:found].count()
    # One walk down the newest matches gives the count, and each candidate's tier
    # and rank while its vector is at hand; the best of them come first.
    rows = list(
        newest.annotate(
            tier=Tier(F("search_vector"), tsquery),
            rank=SearchRank(F("search_vector"), tsquery, weights=RANK_WEIGHTS),
        ).values_list("pk", "tier", "rank")[:found]
    )
    best = sorted(rows[:RANKED], key=lambda row: (-row[1], -row[2]))  # stable: newest first among equals
    return [pk for pk, _, _ in best], len(rows)


def with_highlights(articles, query):
    """Annotate a page of results with a highlighted title and snippet."""
    tsquery = parse(query)
    options = {"config": CONFIG, "start_sel": MARK_START, "stop_sel": MARK_STOP}
    return articles.annotate(
        title_marked=SearchHeadline("title", tsquery, highlight_all=True, **options),
        # ts_headline parses the whole text it is given: the sapo and the start of
        # the body hold the snippet a reader needs, at a fraction of the cost.
        snippet_marked=SearchHeadline(
            Func(
                Concat("lead", Value(" "), Substr("body", 1, SNIPPET_SOURCE)), Value("<>"), Value(LESS + GREATER),
                function="translate", output_field=TextField(),
            ),
            tsquery,
            max_words=35, min_words=15, max_fragments=2, **options,
        ),
    )


def marked(value):
    """Escape a ts_headline result and turn our markers into <mark> elements."""
    html = escape(value).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    return mark_safe(html.replace(LESS, "&lt;").replace(GREATER, "&gt;"))


# Suggestions --------------------------------------------------------------

REFRESH_TERMS = """
INSERT INTO articles_searchterm (word, plain, frequency)
SELECT word, unaccent(word), count(*) FROM (
    SELECT DISTINCT a.id, w AS word
      FROM articles_article a,
           regexp_split_to_table(lower((a.title || ' ' || a.lead) COLLATE "vi-VN-x-icu"), '[^[:alnum:]]+') AS w
     WHERE a.status = 'published' AND a.published_at <= now()
) words
WHERE char_length(word) BETWEEN 2 AND 100 AND word !~ '^[0-9]+$'
GROUP BY word
"""


def refresh_terms():
    """Rebuild the vocabulary that suggestions come from (the archive's own words)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_searchterm")
        cursor.execute(REFRESH_TERMS)
    return SearchTerm.objects.count()


SUGGEST = """
SELECT q.plain,
       EXISTS (SELECT 1 FROM articles_searchterm t WHERE t.plain = q.plain),
       (SELECT t.word FROM articles_searchterm t WHERE t.plain %% q.plain
         ORDER BY similarity(t.plain, q.plain) DESC, t.frequency DESC LIMIT 1)
  FROM unnest(%s::text[]) WITH ORDINALITY AS q(plain, n)
 ORDER BY q.n
"""


def suggest(query):
    """A close spelling made of the archive's words, or None ("Có phải bạn muốn tìm")."""
    words = re.findall(r"\w+", query.lower())[:8]
    if not words:
        return None
    with connection.cursor() as cursor:
        cursor.execute(SUGGEST, [[text.ascii_fold(word) for word in words]])
        rows = cursor.fetchall()
    suggestion = [
        best if best and not known and len(plain) >= 3 else word
        for word, (plain, known, best) in zip(words, rows)
    ]
    return " ".join(suggestion) if suggestion != words else None
