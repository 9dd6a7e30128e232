"""Counting a view, and moving pending counts from Redis to PostgreSQL.

Redis holds one hash per hour (field: article id, value: views), expiring after
PENDING_HOURS. flush() renames each hash aside and adds it to HourlyReads in one
statement; it runs at most once a minute (a Redis key claims the minute), asked
by the beacon's own requests and by `manage.py flush_reads` from cron, so that a
restart of Redis loses at most a minute of counts. Without Redis (no REDIS_URL,
or Redis not answering), a view is added to HourlyReads at once.

Rows older than the lists need (KEPT_DAYS) are deleted by purge(): after each
flush, and by `manage.py flush_reads --purge` where there is no Redis to flush.
"""
import re
from datetime import datetime, timezone

from django.core.cache import caches
from django.db import connection, transaction
from redis.exceptions import RedisError

from ..caching import cached
from ..models import Article

HOUR = 3600
# Pending hashes outlive a missed flush by far, and then go by themselves.
PENDING_HOURS = 48
FLUSH_EVERY_SECONDS = 60
# The longest list is of 7 days (ranking.py); a day more, so that no hour a list
# still reads is ever deleted, whatever the clock of the machine that purges.
KEPT_DAYS = 8
# Crawlers, link previews, monitors, scripts and browsers driven without a screen.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|pingdom|uptime|"
    r"headless|lighthouse|phantomjs|python|curl|wget|httpclient|okhttp|java/|go-http|libwww|scrapy|node-fetch|axios",
    re.IGNORECASE,
)


def is_bot(user_agent):
    """A known robot, or a client that does not say what it is."""
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


def hour_of(moment):
    """The start of moment's hour, in seconds since the epoch (UTC)."""
    return int(moment.timestamp()) // HOUR * HOUR


def count(article_id, now=None):
    """One view of a public article (the caller checked it is one)."""
    hour = hour_of(now or datetime.now(timezone.utc))
    client = redis_client()
    if client is not None:
        try:
            _count_in_redis(client, article_id, hour)
            return
        except RedisError:
            pass  # Redis is away: PostgreSQL counts instead
    add_to_database({(article_id, hour): 1})


def redis_client():
    """The raw Redis behind the default cache, or None when the cache is not Redis."""
    try:
        from django_redis import get_redis_connection

        return get_redis_connection("default")
    except NotImplementedError:
        return None


def pending_key(hour):
    # The cache's own prefix, so that each site (and each test) has its counts apart.
    return caches["default"].make_key(f"reads:{hour}")


def _count_in_redis(client, article_id, hour):
    key = pending_key(hour)
    with client.pipeline(transaction=False) as pipe:
        pipe.hincrby(key, article_id, 1)
        pipe.expire(key, PENDING_HOURS * HOUR)
        pipe.execute()


def pending(now=None, hours=PENDING_HOURS):
    """{(article id, hour): views} still in Redis, for the lists; {} without Redis."""
    client = redis_client()
    if client is None:
        return {}
    current = hour_of(now or datetime.now(timezone.utc))
    recent = [current - n * HOUR for n in range(hours)]
    try:
        with client.pipeline(transaction=False) as pipe:
            for hour in recent:
                pipe.hgetall(pending_key(hour))
            found = pipe.execute()
    except RedisError:
        return {}
    return {(int(a), hour): int(n) for hour, counts in zip(recent, found) for a, n in counts.items()}


def add_to_database(counts):
    """Add {(article id, hour): views} to HourlyReads in one statement; ids of
    articles deleted meanwhile are dropped."""
    if not counts:
        return
    ids, hours, views = zip(*((a, datetime.fromtimestamp(h, timezone.utc), n) for (a, h), n in counts.items()))
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO articles_hourlyreads (article_id, hour, count)
            SELECT u.id, u.hour, u.views
              FROM unnest(%s::bigint[], %s::timestamptz[], %s::int[]) AS u(id, hour, views)
              JOIN articles_article a ON a.id = u.id
            ON CONFLICT (article_id, hour) DO UPDATE SET count = articles_hourlyreads.count + EXCLUDED.count
        """, [list(ids), list(hours), list(views)])


def flush_if_due():
    """flush(), unless one ran in the last minute. Never raises: the reader's
    count is already kept, and the next request or cron tries again."""
    try:
        return flush()
    except Exception:  # a failed flush keeps its counts aside for the next one
        return 0


def flush(now=None):
    """Move every pending hash to PostgreSQL, at most once a minute (a Redis key
    claims the minute). Returns the views moved."""
    client = redis_client()
    if client is None or not client.set(pending_key("flush-claim"), 1, nx=True, ex=FLUSH_EVERY_SECONDS):
        return 0
    current = hour_of(now or datetime.now(timezone.utc))
    moved = sum(_flush_hour(client, current - n * HOUR) for n in range(PENDING_HOURS))
    purge(now)  # in the claimed minute: one process a minute, and mostly nothing to delete
    return moved


def purge(now=None):
    """Delete the HourlyReads rows older than KEPT_DAYS, which no list reads: a
    range of hourlyreads_by_hour (hour first), so the cost is the rows deleted,
    not the table. Returns how many were deleted."""
    oldest = hour_of(now or datetime.now(timezone.utc)) - KEPT_DAYS * 24 * HOUR
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_hourlyreads WHERE hour < %s", [datetime.fromtimestamp(oldest, timezone.utc)])
        return cursor.rowcount


def _flush_hour(client, hour):
    """One hour's hash, renamed aside first (so new views go to a new hash), then
    written; a hash left aside by a failed flush is written first, the fresh one
    next time."""
    key = pending_key(hour)
    aside = f"{key}:flushing"
    if client.exists(key) and not client.exists(aside):
        client.rename(key, aside)
    counts = {(int(a), hour): int(n) for a, n in client.hgetall(aside).items()}
    with transaction.atomic():
        add_to_database(counts)
    client.delete(aside)
    return sum(counts.values())


@cached
def countable(article_id):
    """A public article's id (kept for the content version, as any read is)."""
    return Article.objects.published().filter(pk=article_id).exists()
