"""Reads to a PostgreSQL replica, when one is configured (DATABASE_REPLICA_URL).

Only anonymous readers' requests read from it (the middleware says which): an
editor who just saved must read their own write, which a replica may not have yet.
Two more rules make the replica invisible to readers (tests/test_streaming_replica.py
runs them against a real primary and hot standby):

- Never behind the content version. Everything readers see is cached under the
  content version (articles/caching/version.py), which notes the primary's WAL
  position when it is made, after the change that ended the version before it.
  Reads go to the replica only once it has replayed that position; until then
  (milliseconds, usually) they go to the primary. So nothing older than a change
  is ever kept under the version that change began, and readers see a change
  exactly when they would without a replica.
- Never an error of its own. A replica that does not answer (a health check, a
  connect_timeout of 2 s) is left alone for RETRY_SECONDS: meanwhile this
  process's readers read from the primary, without trying it again, and the first
  public request after that tries it again.
"""
import contextvars
import logging
import time
from contextlib import suppress

from django.conf import settings
from django.db import DatabaseError, connections

log = logging.getLogger("antd.replica")
PRIMARY, REPLICA = "default", "replica"
RETRY_SECONDS = 5.0
# What the replica has replayed; a server that is not replaying (the same server
# under a second alias, a promoted replica) is as new as its own WAL.
REPLAYED_SQL = (
    "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
    " ELSE pg_current_wal_flush_lsn() END)::text"
)


class PublicReads:
    """One anonymous reader's request (set by ReplicaReadsMiddleware): it may read
    from the replica. Remembers the verdict for the position it was given for."""

    __slots__ = ("verdict",)

    def __init__(self):
        self.verdict = None  # (position needed, alias)


use_replica = contextvars.ContextVar("use_replica", default=None)
# For this process: until when the replica is left alone, the WAL position it is
# known to have replayed, and the newest position a content version has asked for.
_replica = {"down_until": 0.0, "replayed": -1, "needed": -1}


def wal_position(text):
    """A pg_lsn ('16/B374D848') as a number."""
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


def primary_position():
    """The primary's WAL position (flushed: what a standby can have), or None
    without a replica (then nothing is asked)."""
    if REPLICA not in settings.DATABASES:
        return None
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_flush_lsn()::text")
        return wal_position(cursor.fetchone()[0])


def needs(position):
    """The content version in use was made at this primary position: the replica
    must have replayed it before readers read from it again."""
    if position is not None and position > _replica["needed"]:
        _replica["needed"] = position


def replica_ready():
    """May this process's readers read from the replica now?"""
    if time.monotonic() < _replica["down_until"]:
        return False
    connection = connections[REPLICA]
    try:
        # What Django does before a request's first query, done here so that a
        # dead replica means the primary rather than an error page.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        if _replica["replayed"] < _replica["needed"]:
            with connection.wrap_database_errors, connection.connection.cursor() as cursor:
                cursor.execute(REPLAYED_SQL)
                replayed = cursor.fetchone()[0]
            if replayed:
                _replica["replayed"] = max(_replica["replayed"], wal_position(replayed))
    except DatabaseError as error:
        # One record, one line: psycopg2's message spans several.
        reason = " ".join(str(error).split())
        log.warning("Bản sao không trả lời, đọc từ máy chính trong %g giây: %s", RETRY_SECONDS, reason)
        _replica.update(down_until=time.monotonic() + RETRY_SECONDS, replayed=-1)
        with suppress(DatabaseError):
            connection.close()
        return False
    return _replica["replayed"] >= _replica["needed"]


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reads = use_replica.get()
        if reads is None or REPLICA not in settings.DATABASES:
            return PRIMARY
        # Asked once per request, and again if a newer version comes in meanwhile.
        if reads.verdict is None or reads.verdict[0] != _replica["needed"]:
            reads.verdict = (_replica["needed"], REPLICA if replica_ready() else PRIMARY)
        return reads.verdict[1]

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, seen through two connections

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY
