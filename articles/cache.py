"""What readers see is cached under one content version.

Any change the public could see (an article published, edited or unpublished,
its photos, tags or category) bumps the version once its transaction commits,
and every cached page and fragment built before it is never read again. The
version also expires when the next scheduled article comes out, since nothing
is saved at that moment. A request reads the version once (pinned_version) and
builds its whole page from it.
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

VERSION_KEY = "antd:content-version"
# Without a scheduled article, a version is re-read from the database this often.
VERSION_MAX_AGE = 3600
_pinned = contextvars.ContextVar("pinned_content_version", default=None)
_last_seen = {}  # this process's last version number: the guess of cached_page
_UNREAD = object()


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


def _read_version(version=_UNREAD):
    if version is _UNREAD:
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

    One round trip on a hit: the version record and the page as cached under the
    version this process saw last come in one MGET; only when the content has
    changed since is there a second look."""
    memo = _pinned.get()
    path = _digest(request, request.get_full_path())
    guess = _last_seen.get("n")
    wanted = [VERSION_KEY] + ([f"antd:page:{guess}:{path}"] if guess else [])
    found = cache.get_many(wanted)
    version = _read_version(found.get(VERSION_KEY))
    if version is None:
        return None, None, 0
    if memo is not None:
        memo["version"] = version
    _last_seen["n"] = version["n"]
    key = f"antd:page:{version['n']}:{path}"
    page = found.get(key) if guess == version["n"] else cache.get(key)
    return (_thawed(page) if page else None), key, _lifetime(version, limit)


def store_page(key, response, timeout):
    cache.set(key, _frozen(response), timeout=timeout)


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
        stored = caches["fragments"].get(key)
        if stored is not None:
            return _thawed(stored)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            if hasattr(response, "render"):
                response.render()
            caches["fragments"].set(key, _frozen(response), timeout=_lifetime(version, VERSION_MAX_AGE))
        return response

    return cached_view
