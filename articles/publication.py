"""Who may see what: the one place that says when an article is public.

Every public surface asks this module: the ORM through public_q() (reused by
Article.objects.published() and Tagging.objects.published()), raw SQL through
public_sql(), which renders the same conditions, the cache through next_change(),
and one article through is_public(). Writers ask publish_defaults() what
"publish without a time" means.

The tag table (articles_article_tags) carries a copy of the columns the rule reads
(COPIED_COLUMNS), kept by triggers (migration 0005), so that a tag's listing
is one index range. To add a condition: add it to CONDITIONS (and next_change()
below if it moves with the clock), and write a migration that adds its column to
both tables and copies it, as 0012 did for expires_at. Nothing else spells the rule; tests/test_architecture.py
fails if another module does.
"""
import contextvars
import operator
from contextlib import contextmanager
from functools import reduce

from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    REVIEW = "review", "Chờ duyệt"  # sent by its reporter, waiting for an editor (newsroom/desk.py)
    PUBLISHED = "published", "Đã xuất bản"


PUBLISHED = Status.PUBLISHED.value

# (column, SQL operator, value); NOW stands for the moment of asking, EMPTY for NULL.
# "> or IS" is "later than, or never": an expiry time that has not come, or none.
NOW = object()
EMPTY = object()
CONDITIONS = (
    ("status", "=", PUBLISHED),
    ("published_at", "<=", NOW),
    ("deleted_at", "IS", EMPTY),  # not in the trash (newsroom/trash.py)
    ("expires_at", "> or IS", NOW),  # not taken down yet ("Gỡ lúc")
)
ORM_LOOKUPS = {"=": "exact", "<=": "lte", "IS": "isnull", ">": "gt"}
# What the tag table copies from its article, for the conditions above.
COPIED_COLUMNS = ("status", "published_at", "deleted_at", "expires_at")
# The part of the rule that does not move with the clock: partial indexes hold it.
INDEXED = models.Q(status=PUBLISHED, deleted_at__isnull=True)


# The moment the rule is asked at, when not the clock's (asked_at).
_ASKED_AT = contextvars.ContextVar("publication_asked_at", default=None)


@contextmanager
def asked_at(moment):
    """Inside, the rule's "now" is this moment, where no caller names one:
    prepared.py builds its statements with a sample moment, a parameter that each
    run fills in with its content version's."""
    token = _ASKED_AT.set(moment)
    try:
        yield
    finally:
        _ASKED_AT.reset(token)


def _now(now):
    return now or _ASKED_AT.get() or timezone.now()


def _orm_value(value, now):
    return True if value is EMPTY else now if value is NOW else value


def _q(prefix, column, op, value, now):
    if op == "> or IS":
        return _q(prefix, column, ">", value, now) | _q(prefix, column, "IS", EMPTY, now)
    return models.Q(**{f"{prefix}{column}__{ORM_LOOKUPS[op]}": _orm_value(value, now)})


def public_q(prefix="", now=None):
    """The rule as an ORM filter; prefix reaches it through a relation ("article__")."""
    now = _now(now)
    return reduce(operator.and_, (_q(prefix, column, op, value, now) for column, op, value in CONDITIONS))


def _sql(alias, column, op, value):
    if op == "> or IS":
        return f"({alias}.{column} > %s OR {alias}.{column} IS NULL)"
    return f"{alias}.{column} IS NULL" if value is EMPTY else f"{alias}.{column} {op} %s"


def public_sql(alias, now=None):
    """The same rule as a WHERE fragment over a table alias, with its parameters:
    (sql, params). The clock is this process's, as in public_q, so raw and ORM
    queries agree on the same instant."""
    now = _now(now)
    sql = " AND ".join(_sql(alias, column, op, value) for column, op, value in CONDITIONS)
    return sql, [now if value is NOW else value for _, _, value in CONDITIONS if value is not EMPTY]


def is_public(article, now=None):
    """The rule for one article in memory (a preview, a template's notice). Plain
    values (a Story) are made from articles outside the trash and carry no deleted_at."""
    now = now or timezone.now()
    expires_at = getattr(article, "expires_at", None)
    return (
        article.status == PUBLISHED and article.published_at is not None and article.published_at <= now
        and getattr(article, "deleted_at", None) is None and (expires_at is None or expires_at > now)
    )


def has_expired(article, now=None):
    """Published, and taken down by its "Gỡ lúc": its address answers 410."""
    now = now or timezone.now()
    return article.status == PUBLISHED and article.expires_at is not None and article.expires_at <= now


def publish_defaults(status, published_at, now=None):
    """(status, published_at) as stored: publishing without a time means now; a
    missing status is published when a time is given, else a draft."""
    status = status or (PUBLISHED if published_at else Status.DRAFT.value)
    if status == PUBLISHED and published_at is None:
        published_at = now or timezone.now()
    return status, published_at


def next_change(articles, now=None):
    """The next moment the public set changes by itself (nothing is saved then):
    a scheduled article coming out, or a public one being taken down. articles is
    Article.objects."""
    now = now or timezone.now()
    # A scheduled article outside the trash: INDEXED, so that its side is a step
    # along article_public_by_date (without it, a scan of the whole table: 150 ms
    # at a million articles, paid after every change).
    coming = (
        articles.filter(INDEXED, published_at__gt=now)
        .order_by("published_at").values_list("published_at", flat=True)[:1]
    )
    leaving = (
        articles.filter(public_q(now=now), expires_at__isnull=False)
        .order_by("expires_at").values_list("expires_at", flat=True)[:1]
    )
    # One statement, each side a step down its own index: the first reader after a
    # change pays it, within the pages' query ceiling (tests/test_query_counts.py).
    return min((moment for moment in coming.union(leaving, all=True) if moment), default=None)
