"""What readers see is cached under one content version.

Any change the public could see (an article published, edited or unpublished,
its photos, tags or category) bumps the version once its transaction commits,
and every cached page and fragment built before it is never read again. The
version also expires when the next scheduled article comes out, since nothing
is saved at that moment. A request reads the version once (pinned_version) and
builds its whole page from it.
"""
import contextvars
import time
from contextlib import contextmanager

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone

VERSION_KEY = "antd:content-version"
# Without a scheduled article, a version is re-read from the database this often.
VERSION_MAX_AGE = 3600
_pinned = contextvars.ContextVar("pinned_content_version", default=None)


def _new_version():
    from .models import Article

    upcoming = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at").values_list("published_at", flat=True).first()
    )
    until = upcoming.timestamp() if upcoming else time.time() + VERSION_MAX_AGE
    # Milliseconds: a version never repeats, even when the cache forgot the last one.
    version = {"n": time.time_ns() // 1_000_000, "until": until}
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


def _current():
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
    version = cache.get(VERSION_KEY)
    if version is None or time.time() >= version["until"]:
        try:
            version = _new_version()
        except DatabaseError:
            return None
    return version


def content_version():
    version = _current()
    return version["n"] if version else None


def _lifetime(version, limit):
    """How long something cached under this version stays right: at most limit,
    and never past the next scheduled article."""
    return max(1, min(limit, int(version["until"] - time.time())))


def bump():
    """Forget everything cached for readers: now, so this transaction reads its own
    changes, and again once it commits, in case a reader re-cached the old state
    in between."""
    memo = _pinned.get()
    if memo:
        memo.clear()
    cache.delete(VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(VERSION_KEY), robust=True)


def fragment(name, compute, timeout=VERSION_MAX_AGE):
    """A value computed once per content version: counts, menus, blocks."""
    version = _current()
    if version is None:
        return compute()
    key = f"antd:fragment:{version['n']}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=_lifetime(version, timeout))
    return value


def page_key(request, limit):
    """(key, timeout) for caching this page at most limit seconds, or (None, 0)."""
    version = _current()
    if version is None:
        return None, 0
    key = f"antd:page:{version['n']}:{request.get_host()}:{request.get_full_path()}"
    return key, _lifetime(version, limit)
