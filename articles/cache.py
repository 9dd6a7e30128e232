"""What readers see is cached under one content version.

Any change the public could see (an article published, edited or unpublished,
its photos, tags or category) bumps the version once its transaction commits,
and every cached page and fragment built before it is never read again. The
version also expires when the next scheduled article comes out, since nothing
is saved at that moment. A request builds its whole page from one version
(pinned_version); each process reads the shared version at most once a second.
"""
import contextvars
import hashlib
import time
from contextlib import contextmanager
from functools import wraps

from django.core.cache import cache, caches
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import set_response_etag

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
    now = time.monotonic()
    version = _local["version"] if now - _local["read_at"] < VERSION_LOCAL_SECONDS else cache.get(VERSION_KEY)
    if version is None or time.time() >= version["until"]:
        try:
            version = _new_version()
        except DatabaseError:
            return None
    if version is not _local["version"]:
        _local.update(version=version, read_at=now)
    return version


def content_version():
    version = _current()
    return version["n"] if version else None


def _lifetime(version, limit):
    """How long something cached under this version stays right: at most limit,
    and never past the next scheduled article."""
    return max(1, min(limit, int(version["until"] - time.time())))


def forget_local_version():
    """The next use reads the shared version again."""
    _local.update(version=None, read_at=0.0)


def bump():
    """Forget everything cached for readers: now, so this transaction reads its own
    changes, and again once it commits, in case a reader re-cached the old state
    in between."""
    memo = _pinned.get()
    if memo:
        memo.clear()
    forget_local_version()
    cache.delete(VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(VERSION_KEY), robust=True)


def fragment(name, compute, timeout=VERSION_MAX_AGE):
    """A value computed once per content version: counts, menus, blocks."""
    version = _current()
    if version is None:
        return compute()
    key = f"antd:fragment:{version['n']}:{_short(name)}"
    fragments = caches["fragments"]
    value = fragments.get(key)
    if value is None:
        value = compute()
        fragments.set(key, value, timeout=_lifetime(version, timeout))
    return value


class remembered:
    """A queryset whose slices are kept for the content version (as fragments)."""

    def __init__(self, queryset, name):
        self.queryset = queryset
        self.name = name

    def __getitem__(self, window):
        return fragment(f"{self.name}:{window.start}:{window.stop}", lambda: list(self.queryset[window]))


def cached_page(request, limit):
    """(the cached page or None, the key to cache it under or None, for how long).
    Pages are kept like fragments: in this process, in front of Redis."""
    version = _current()
    if version is None:
        return None, None, 0
    key = f"antd:page:{version['n']}:{_digest(request, request.get_full_path())}"
    return _stored(key), key, _lifetime(version, limit)


def storable(response):
    """A response for everyone: no cookie, not streamed, not declared private by its view."""
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200 and not response.cookies and not response.streaming
        and "private" not in control and "no-store" not in control
    )


def store_page(key, response, timeout):
    """Keep a storable response, rendered and with its ETag (hashed once, not on every hit)."""
    if hasattr(response, "render"):
        response.render()
    set_response_etag(response)
    caches["fragments"].set(key, _frozen(response), timeout=timeout)


def _stored(key):
    stored = caches["fragments"].get(key)
    return _thawed(stored) if stored else None


def _frozen(response):
    """A response as plain data: quicker to store and to read back than the object."""
    return response.status_code, dict(response.items()), response.content


def _thawed(stored):
    status, headers, content = stored
    return HttpResponse(content, status=status, headers=headers)


def _short(name):
    """The name itself when it is a short, plain key; its digest otherwise (names
    may carry a reader's path)."""
    if len(name) <= 150 and name.isascii() and name.isprintable() and " " not in name:
        return name
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()


def _digest(request, *parts):
    """A short key for what a URL names: any path, however long or strange, is a
    valid key for every cache backend."""
    named = "\n".join([request.scheme, request.get_host(), *parts])
    return hashlib.sha256(named.encode("utf-8", "surrogatepass")).hexdigest()


def per_version(view):
    """A view whose answer is the same for every reader until the content changes
    (feeds, sitemaps): its successful responses are kept per content version, like
    a fragment. Only the sitemap page number ("p") of the query string counts, so
    made-up query strings cannot fill the cache."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        version = _current()
        if version is None:
            return view(request, *args, **kwargs)
        key = f"antd:response:{version['n']}:{_digest(request, request.path, request.GET.get('p', ''))}"
        stored = _stored(key)
        if stored is not None:
            return stored
        response = view(request, *args, **kwargs)
        if storable(response):
            store_page(key, response, _lifetime(version, VERSION_MAX_AGE))
        return response

    return cached_view
