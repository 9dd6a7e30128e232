"""Did you mean: a close spelling made of the archive's own words (pg_trgm over
SearchTerm, rebuilt by import_articles, load_sample_content and
`manage.py refresh_search_terms`)."""
import re

from django.db import connection, connections, router

from .. import publication, text
from ..models import SearchTerm

# The vocabulary: the words of public titles and sapos, counted.
REFRESH_TERMS = """
INSERT INTO articles_searchterm (word, plain, frequency)
SELECT word, unaccent(word), count(*) FROM (
    SELECT DISTINCT a.id, w AS word
      FROM articles_article a,
           regexp_split_to_table(lower((a.title || ' ' || a.lead) COLLATE "vi-VN-x-icu"), '[^[:alnum:]]+') AS w
     WHERE {public}
) words
WHERE char_length(word) BETWEEN 2 AND 100 AND word !~ '^[0-9]+$'
GROUP BY word
"""


def refresh_terms():
    """Rebuild the vocabulary that suggestions come from (the archive's own words)."""
    public, params = publication.public_sql("a")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_searchterm")
        cursor.execute(REFRESH_TERMS.format(public=public), params)
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
    with connections[router.db_for_read(SearchTerm)].cursor() as cursor:  # a reader's: the replica's, if any
        cursor.execute(SUGGEST, [[text.ascii_fold(word) for word in words]])
        rows = cursor.fetchall()
    suggestion = [
        best if best and not known and len(plain) >= 3 else word
        for word, (plain, known, best) in zip(words, rows)
    ]
    return " ".join(suggestion) if suggestion != words else None
