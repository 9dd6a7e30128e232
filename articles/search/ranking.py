"""Best match first at archive scale, and how matches are read (engine.find).

The order has two groups:

1. the title group: articles whose title holds the query (title_vector, migration
   0020), whatever their age;
2. every other match: in the tags or category, the sapo, the body.

In each group its newest RANKED matches come first, best first (ts_rank; in the
second group first tags or category > sapo > body, as Tier says), then the rest,
newest first. Ranking reads each candidate's vector, for the second group the whole
article's (several kilobytes, out of line): ranking every match of a word found in
700,000 articles would take seconds, so a page costs what a rare word's does.

The newest matches are walked once (Newest.head): that walk counts them (up to the
count's limit), gives the newest-first order its first pages, and the second group
its newest RANKED, whose ranks are then read by id (at 1,000,000 articles, three
common words: the walk 7.5 ms, the group's own walk with its ranks 4.5 ms, the
ranks of its 40 by id 1.7 ms).

Reading matches, PostgreSQL walks the date index newest first, checking each row,
when a word is common, and reads the GIN index and sorts when it is rare; its
statistics say which. For a word they do not list it guesses 0.5% of the articles,
and for a LIMIT of 40 it would walk the date index, reading every vector of the
archive when the word is rare or nowhere. A query with such a word is read from the
GIN index (Plan).

Those three reads (the walk, the title group's, the ranks by id) are what every
page of results runs, and building and compiling their querysets cost Python about
as much as PostgreSQL took to run them. Their querysets are made by the functions
below (head_walk, title_walk, others_by_id) from a search's Matches, whose
querysets are made only when a read needs them: through the ORM (Reads), or, for a
search with no filter and no exclusion, as statements engine.py compiled from the
same functions once per process (engine.CompiledReads).
"""
import re
import time
from functools import cached_property

from django.contrib.postgres.search import SearchRank
from django.db import connections, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Func, IntegerField, Q

from ..queries import with_ids

# Ranking reads each candidate's vector, so each group ranks its newest RANKED only (two pages).
RANKED = 40
# ts_rank's weights for D, C, B, A: body, sapo, tags and category, title.
RANK_WEIGHTS = [0.1, 0.3, 0.6, 1.0]
VECTORS = ("search_vector", "title_vector")
# The words (lexemes) PostgreSQL's statistics list for each vector, read again by each
# process this often: they change when the table is analysed.
STATISTICS = f"""
SELECT attname, most_common_elems::text::text[] FROM pg_stats
 WHERE schemaname = current_schema() AND tablename = 'articles_article'
   AND attname IN ({", ".join(f"'{name}'" for name in VECTORS)}) AND most_common_elems IS NOT NULL
"""
STATISTICS_SECONDS = 600
_statistics = {}  # database alias -> (read at, {vector: frozenset of words})
# The words of a query an index looks up: querytree() leaves exclusions out.
INDEXED_WORDS = "SELECT querytree(websearch_to_tsquery(%s::regconfig, %s))::text"
_QUOTED = re.compile(r"'((?:[^']|'')+)'")


class Tier(Func):
    """Where the query matches, as a number that sorts title > tags > sapo > body:
    8 for the title, 4 for tags or category, 2 for the sapo, 1 for the body. Only
    the weights given are read."""

    output_field = IntegerField()
    POINTS = {"a": 8, "b": 4, "c": 2, "d": 1}

    def __init__(self, vector, query, weights="abcd"):
        super().__init__(vector, query)
        self.weights = weights

    def as_sql(self, compiler, connection):
        vector_sql, vector_params = compiler.compile(self.source_expressions[0])
        query_sql, query_params = compiler.compile(self.source_expressions[1])
        parts = [
            f"(ts_filter({vector_sql}, '{{{weight}}}') @@ {query_sql})::int * {self.POINTS[weight]}"
            for weight in self.weights
        ]
        return "(" + " + ".join(parts) + ")", (vector_params + query_params) * len(self.weights)


class Plan:
    """How a query's matches are read: from the GIN index of each vector whose
    statistics do not list one of its words (or that has none yet), else as
    PostgreSQL plans. lexemes: those words, which a match holds (exclusions apart)."""

    def __init__(self, config, query, alias):
        with connections[alias].cursor() as cursor:
            cursor.execute(INDEXED_WORDS, [config, query])
            self.lexemes = frozenset(word.replace("''", "'") for word in _QUOTED.findall(cursor.fetchone()[0]))
        listed = _listed(alias)
        self.rare = {vector for vector in VECTORS if vector not in listed or not self.lexemes <= listed[vector]}
        self.alias = alias

    def read(self, vector, evaluate):
        """evaluate(), a read of matches by this vector; for a rare vector with neither
        the date index walk nor a sequential scan, which leaves the GIN index's bitmap."""
        if vector not in self.rare:
            return evaluate()
        with transaction.atomic(using=self.alias), connections[self.alias].cursor() as cursor:
            cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off")
            found = evaluate()
            # As planned again, for the rest of a transaction this may be part of.
            cursor.execute("SET LOCAL enable_indexscan TO DEFAULT; SET LOCAL enable_seqscan TO DEFAULT")
            return found


def _listed(alias):
    read_at, listed = _statistics.get(alias, (None, None))
    if read_at is None or time.monotonic() - read_at > STATISTICS_SECONDS:
        with connections[alias].cursor() as cursor:
            cursor.execute(STATISTICS)
            listed = {vector: frozenset(words) for vector, words in cursor.fetchall()}
        _statistics[alias] = (time.monotonic(), listed)
    return listed


def matching(articles, tsquery):
    """The articles whose whole vector matches."""
    return articles.filter(search_vector=tsquery)


def excludes(query):
    """Whether the query leaves a word out ("-lũ"), which may be a word of the sapo
    or body: a title match must then be checked in the whole vector too."""
    return "-" in query


class Matches:
    """One search's querysets, each made when a read first needs it: making and
    compiling them costs Python about as much as a common word's statements take
    PostgreSQL to run, so that a search whose usual reads are compiled already
    (engine.py) makes none. scope(): the public articles searched."""

    def __init__(self, query, tsquery, scope):
        self.query, self.tsquery, self.scope = query, tsquery, scope

    @cached_property
    def found(self):
        return matching(self.scope(), self.tsquery)

    @cached_property
    def titles(self):
        titles = self.scope().filter(title_vector=self.tsquery)
        # Only for an exclusion is the whole vector, kept out of line, read for a title match.
        return matching(titles, self.tsquery) if excludes(self.query) else titles

    @cached_property
    def others(self):
        return self.found.exclude(title_vector=self.tsquery)


def newest_first(articles):
    return articles.order_by("-published_at", "-id")


def title_ranks(tsquery):
    return {"rank": SearchRank(F("title_vector"), tsquery)}


def other_ranks(tsquery):
    return {
        "tier": Tier(F("search_vector"), tsquery, weights="bcd"),
        "rank": SearchRank(F("search_vector"), tsquery, weights=RANK_WEIGHTS),
    }


# The reads every page of results makes, as querysets of (id, …) rows (Reads).

def head_walk(matches, size):
    """The newest `size` matches, with whether each matches in the title."""
    in_title = ExpressionWrapper(Q(title_vector=matches.tsquery), output_field=BooleanField())
    return newest_first(matches.found).annotate(in_title=in_title).values("id", "in_title")[:size]


def ranked_walk(articles, ranks, size):
    """The newest `size` of these articles, with their ranks, read while each one's
    vector is at hand."""
    return newest_first(articles).annotate(**ranks).values("id", *ranks)[:size]


def title_walk(matches, size):
    return ranked_walk(matches.titles, title_ranks(matches.tsquery), size)


def others_by_id(matches, ids):
    """The ranks of these matches outside the titles (their ids one array parameter)."""
    ranks = other_ranks(matches.tsquery)
    return with_ids(ids).annotate(**ranks).values("id", *ranks)


def rows(found):
    """values() rows as (id, …) tuples, in their columns' order."""
    return [tuple(row.values()) for row in found]


class Reads:
    """A search's usual reads through the ORM, from its Matches. engine.py reads the
    same querysets as statements compiled once per process when a search
    has no filter and no exclusion (CompiledReads)."""

    def __init__(self, matches):
        self.matches = matches

    def head(self, size):
        return rows(head_walk(self.matches, size))

    def titles(self, size):
        return rows(title_walk(self.matches, size))

    def others(self, ids):
        return rows(others_by_id(self.matches, ids))


class Ranking:
    """Best match first, as ids sliced like a list: the title group, then the other
    matches. A group is read only when a page reaches it, and counted only when a
    page lies past it. newest: the Newest of the same search."""

    def __init__(self, matches, plan, reads, newest):
        self.groups = [Titles(matches, plan, reads), Others(matches, plan, reads, newest)]

    def __getitem__(self, window):
        start, stop, found = window.start or 0, window.stop, []
        for group in self.groups:
            got = group[start:stop]
            found += got
            if len(got) == stop - start or group is self.groups[-1]:
                break
            # The group ended before the window did: the next one carries on from there.
            length = start + len(got) if got else group.count()
            start, stop = max(0, start - length), stop - length
        return found


class Group:
    """A group's matches as ids sliced like a list: its newest RANKED best first, by
    their ranks (highest first, in order: ranked_rows()), then the rest newest first."""

    vector = None

    def __init__(self, matches, plan, reads):
        self.matches, self.plan, self.reads = matches, plan, reads

    def articles(self):
        """The group's matches (a queryset)."""
        raise NotImplementedError

    def ranked_rows(self):
        """Its newest RANKED as (id, rank…) rows, newest first."""
        raise NotImplementedError

    @cached_property
    def newest(self):
        return newest_first(self.articles())

    @cached_property
    def best(self):
        ranked = sorted(self.ranked_rows(), key=lambda row: [-value for value in row[1:]])  # stable: newest first among equals
        return [row[0] for row in ranked]

    def __getitem__(self, window):
        found = self.best[window]
        if window.stop > RANKED and len(self.best) == RANKED:  # past the ranked ones, and there are more
            rest = self.newest.values_list("pk", flat=True)[max(window.start, RANKED):window.stop]
            found += self.plan.read(self.vector, lambda: list(rest))
        return found

    def count(self):
        if len(self.best) < RANKED:
            return len(self.best)
        return RANKED + self.plan.read(self.vector, lambda: self.newest[RANKED:].count())


class Titles(Group):
    """The articles whose title holds the query, whatever their age."""

    vector = "title_vector"

    def articles(self):
        return self.matches.titles

    def ranked_rows(self):
        return self.plan.read(self.vector, lambda: self.reads.titles(RANKED))


class Others(Group):
    """Every other match. Its candidates are the newest matches outside the titles,
    which the Newest's walk usually holds already: then only their ranks are read."""

    vector = "search_vector"

    def __init__(self, matches, plan, reads, newest):
        super().__init__(matches, plan, reads)
        self.candidates = newest.outside_titles

    def articles(self):
        return self.matches.others

    def ranked_rows(self):
        ids = self.candidates(RANKED)
        if ids is None:
            walk = ranked_walk(self.articles(), other_ranks(self.matches.tsquery), RANKED)
            return self.plan.read(self.vector, lambda: rows(walk))
        by_id = {row[0]: row for row in self.reads.others(ids)}
        return [by_id[pk] for pk in ids if pk in by_id]


class Newest:
    """Every match newest first, as ids sliced like a list ("Mới nhất"). Its first
    `head` are read in one walk with whether each matches in the title: they are
    counted (count), serve the pages they hold, and give the group after the
    titles its candidates (outside_titles)."""

    def __init__(self, matches, plan, reads, head):
        self.matches, self.plan, self.reads, self.size = matches, plan, reads, head

    @cached_property
    def head(self):
        return self.plan.read("search_vector", lambda: self.reads.head(self.size))

    @property
    def count(self):
        """How many matches there are, up to head."""
        return len(self.head)

    def _holds(self, stop):
        return len(self.head) < self.size or stop <= len(self.head)

    def __getitem__(self, window):
        if self._holds(window.stop):
            return [pk for pk, _ in self.head[window]]
        rest = newest_first(self.matches.found).values_list("pk", flat=True)[window]
        return self.plan.read("search_vector", lambda: list(rest))

    def outside_titles(self, n):
        """The newest n matches outside the titles, or None when the head cannot tell."""
        found = [pk for pk, in_title in self.head if not in_title][:n]
        return found if len(found) == n or len(self.head) < self.size else None
