"""The content version: what readers see is cached under it.

Any change the public could see (an article published, edited or unpublished,
its photos, tags or category) bumps the version once its transaction commits,
and every cached page and fragment built before it is never read again; the
process that made the change makes the next version then (renew). The
version also expires when the next scheduled article comes out, since nothing
is saved at that moment. A request builds its whole page from one version
(pinned_version); each process reads the shared version at most once a second.
"""
import contextvars
import time
from contextlib import contextmanager
from datetime import datetime, timezone

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone as django_timezone

from antd_site import routers

from .. import publication
from ..models import Article

VERSION_KEY = "antd:content-version"
# Without a scheduled article, a version is re-read from the database this often.
VERSION_MAX_AGE = 3600
_pinned = contextvars.ContextVar("pinned_content_version", default=None)
# Each process re-reads the shared version at most this often: a change made
# through another process reaches its readers within this time (the process that
# made it sees it at once).
VERSION_LOCAL_SECONDS = 1.0
_local = {"version": None, "read_at": 0.0}


def _new_version():
    # From the primary: a replica may not have replayed the change that ended the
    # last version yet. With a replica, the version notes the primary's WAL position
    # ("wal"): readers read from the replica only once it has replayed it (routers.py).
    # "at": the moment the version stands for, the one the public rule is asked at
    # where a statement takes it as a parameter (content_moment, prepared.py).
    at = django_timezone.now()
    upcoming = publication.next_change(Article.objects.using(routers.PRIMARY), now=at)
    until = upcoming.timestamp() if upcoming else time.time() + VERSION_MAX_AGE
    # Milliseconds: a version never repeats, even when the cache forgot the last one.
    version = {"n": time.time_ns() // 1_000_000, "at": at.timestamp(), "until": until, "wal": routers.primary_position()}
    cache.set(VERSION_KEY, version, timeout=VERSION_MAX_AGE)
    return version


@contextmanager
def pinned_version():
    """Inside, the version record is read from the cache at most once."""
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


def current():
    """The version record, or None when it cannot be known (database away):
    then nothing is read from or written to the cache."""
    memo = _pinned.get()
    if memo:
        return memo["version"]
    version = _read_version()
    if memo is not None and version is not None:
        memo["version"] = version
    return version


def _read_version():
    now = time.monotonic()
    version = _local["version"] if now - _local["read_at"] < VERSION_LOCAL_SECONDS else cache.get(VERSION_KEY)
    if version is None or time.time() >= version["until"]:
        try:
            version = _new_version()
        except DatabaseError:
            return None
    if version is not _local["version"]:
        _local.update(version=version, read_at=now)
    routers.needs(version.get("wal"))
    return version


def content_version():
    version = current()
    return version["n"] if version else None


def content_moment():
    """The moment the current version stands for, or None (no version): what was
    public then is public until the version ends (next_change)."""
    version = current()
    if version is None:
        return None
    # A version kept before "at" was noted stands for the millisecond it was made in.
    return datetime.fromtimestamp(version.get("at", version["n"] / 1000), timezone.utc)


def lifetime(version, limit):
    """How long something cached under this version stays right: at most limit,
    and never past the next scheduled article."""
    return max(1, min(limit, int(version["until"] - time.time())))


def forget_local_version():
    """The next use reads the shared version again."""
    _local.update(version=None, read_at=0.0)


def bump():
    """Forget everything cached for readers: now, so this transaction reads its own
    changes, and again once it commits, in case a reader re-cached the old state
    in between (renew)."""
    memo = _pinned.get()
    if memo:
        memo.clear()
    forget_local_version()
    cache.delete(VERSION_KEY)
    connection = transaction.get_connection()
    if not (connection.in_atomic_block and _renewal_pending(connection)):
        transaction.on_commit(renew, robust=True)


def renew():
    """Once a change has committed, its process makes the next version at once:
    otherwise the first reader of each worker that found it missing made it again,
    with the next scheduled article's query. The database away, the version is
    only forgotten, and the first reader makes it as before."""
    forget_local_version()
    try:
        version = _new_version()
    except DatabaseError:
        cache.delete(VERSION_KEY)
        return
    _local.update(version=version, read_at=time.monotonic())


def _renewal_pending(connection):
    # One renewal a commit, however many signals bump the version (an article's
    # save sends several). Django drops a callback when a savepoint open at its
    # registration rolls back: one registered under savepoints all still open
    # cannot go without this change going too. Otherwise one more is registered.
    open_now = set(connection.savepoint_ids)
    return any(callback is renew and savepoints <= open_now for savepoints, callback, _ in connection.run_on_commit)
