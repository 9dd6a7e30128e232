"""The most-read lists: public articles by views in the last 24 hours and the
last 7 days (hours counted whole, the current one included), the flushed counts
of HourlyReads plus what is still pending in Redis, in one statement. Kept for
a minute of the clock (caching.cached_briefly): never more than a minute behind,
and a whole page that shows them is kept no longer."""
from datetime import datetime, timezone
from types import SimpleNamespace

from django.db import connections, router
from django.utils import timezone as django_timezone

from .. import publication
from ..caching import cached_briefly
from ..models import Article
from ..paths import article_path_at
from ..values import Link, MostRead
from . import counting

LIST_LENGTH = 5
# Rows kept beyond the list's length: an article that leaves the public set by
# the clock ("Gỡ lúc") within the minute is dropped and the next one moves up.
CANDIDATES = 2 * LIST_LENGTH
DAY_HOURS = 24
WEEK_HOURS = 7 * 24
KEPT_SECONDS = 60


def most_read(now=None):
    """The lists as they are now, from counts at most a minute old. The counts are
    kept across content versions (the first reader after an edit does not pay for
    them); each row is checked against the public rule again as it is read."""
    return _ranked(_kept_rows(), now or django_timezone.now())


@cached_briefly(KEPT_SECONDS)
def _kept_rows():
    return _rows(datetime.now(timezone.utc))


def lists(now):
    """MostRead as of now, uncached (tests give explicit times)."""
    return _ranked(_rows(now), now)


def _ranked(rows, now):
    public = [row for row in rows if publication.is_public(SimpleNamespace(**row), now)]
    return MostRead(day=_top(public, "day"), week=_top(public, "week"))


def _top(rows, window):
    ranked = sorted(
        (row for row in rows if row[window] > 0),
        key=lambda r: (-r[window], -r["published_at"].timestamp(), -r["id"]),
    )
    return tuple(_link(row) for row in ranked[:LIST_LENGTH])


def _link(row):
    return Link(row["title"], article_path_at(row["published_at"], row["slug"]))


def _since(hour, hours):
    return datetime.fromtimestamp(hour - (hours - 1) * counting.HOUR, timezone.utc)


def _rows(now):
    """Each public article among the most read of the day or the week, with its
    views of both (plain dicts): what was flushed plus what Redis still holds."""
    hour = counting.hour_of(now)
    public, params = publication.public_sql("a", now)
    day, week = _since(hour, DAY_HOURS), _since(hour, WEEK_HOURS)
    ids, hours, views = _pending_arrays(counting.pending(now, hours=min(counting.PENDING_HOURS, WEEK_HOURS)))
    sql = f"""
        WITH counted AS (
            SELECT article_id, hour, count FROM articles_hourlyreads WHERE hour >= %s
            UNION ALL
            SELECT * FROM unnest(%s::bigint[], %s::timestamptz[], %s::int[])
        ), totals AS (
            SELECT article_id, coalesce(sum(count) FILTER (WHERE hour >= %s), 0) AS day, sum(count) AS week
              FROM counted WHERE hour >= %s GROUP BY article_id
        ), ranked AS (
            SELECT t.day, t.week, a.id, a.title, a.slug, a.status, a.published_at, a.deleted_at, a.expires_at,
                   row_number() OVER (ORDER BY t.day DESC, a.published_at DESC, a.id DESC) AS day_rank,
                   row_number() OVER (ORDER BY t.week DESC, a.published_at DESC, a.id DESC) AS week_rank
              FROM totals t JOIN articles_article a ON a.id = t.article_id
             WHERE {public}
        )
        SELECT id, title, slug, status, published_at, deleted_at, expires_at, day, week
          FROM ranked WHERE day_rank <= %s OR week_rank <= %s
    """
    with connections[router.db_for_read(Article)].cursor() as cursor:
        cursor.execute(sql, [week, ids, hours, views, day, week, *params, CANDIDATES, CANDIDATES])
        names = [column.name for column in cursor.description]
        return tuple(dict(zip(names, row)) for row in cursor.fetchall())


def _pending_arrays(pending):
    if not pending:
        return [], [], []
    ids, hours, views = zip(*((a, datetime.fromtimestamp(h, timezone.utc), n) for (a, h), n in pending.items()))
    return list(ids), list(hours), list(views)
