"""Did you mean: a close spelling made of the archive's own words (pg_trgm over
SearchTerm, rebuilt by import_articles, load_sample_content and
`manage.py refresh_search_terms`)."""
import re

from django.db import connection, connections, router, transaction

from .. import publication, text
from ..models import SearchTerm

# The vocabulary: the words of public titles and sapos, each counted once an article.
# A SELECT, which PostgreSQL may run on every core (an INSERT … SELECT runs on one).
COUNT_WORDS = """
SELECT w, count(*) FROM articles_article a, articles_distinct_words(a.title || ' ' || a.lead) AS w
 WHERE {public}
 GROUP BY w
"""


def refresh_terms():
    """Rebuild the vocabulary that suggestions come from (the archive's own words)."""
    public, params = publication.public_sql("a")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(COUNT_WORDS.format(public=public), params)
        counted = cursor.fetchall()
        cursor.execute("DELETE FROM articles_searchterm")
        cursor.execute(
            "INSERT INTO articles_searchterm (word, plain, frequency) "
            "SELECT w, unaccent(w), n FROM unnest(%s::text[], %s::int[]) AS t(w, n)",
            [[word for word, _ in counted], [n for _, n in counted]],
        )
    return len(counted)


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
    with connections[router.db_for_read(SearchTerm)].cursor() as cursor:  # a reader's: the replica's, if any
        cursor.execute(SUGGEST, [[text.ascii_fold(word) for word in words]])
        rows = cursor.fetchall()
    suggestion = [
        best if best and not known and len(plain) >= 3 else word
        for word, (plain, known, best) in zip(words, rows)
    ]
    return " ".join(suggestion) if suggestion != words else None
