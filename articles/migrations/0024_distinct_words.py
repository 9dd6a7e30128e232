"""The words of a text, each once: what the suggestion vocabulary counts (issue 16).

search.refresh_terms counted the words of every public title and sapo with one
INSERT … SELECT, which PostgreSQL runs in one process: 106 s for a million articles
in make_archive. A plain SELECT may run on every core, but only if the words of
each article are made apart from the others, by a function the planner does not
inline: this one (plpgsql, parallel safe). 100,000 articles: 13 s as one INSERT,
5 s as this SELECT on two cores.
"""
from django.db import migrations

FUNCTION = """
CREATE FUNCTION articles_distinct_words(value text) RETURNS SETOF text
LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 60 AS $$
BEGIN
    -- Lower-cased by the Vietnamese collation (the database's may not know Đ), split
    -- at anything not a letter or digit; compared byte by byte once split.
    RETURN QUERY
    SELECT DISTINCT w COLLATE "C"
      FROM regexp_split_to_table(lower(value COLLATE "vi-VN-x-icu"), '[^[:alnum:]]+') AS w
     WHERE char_length(w) BETWEEN 2 AND 100 AND w !~ '^[0-9]+$';
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0023_lz4_compression")]

    operations = [migrations.RunSQL(FUNCTION, "DROP FUNCTION articles_distinct_words(text)")]
