"""A cache backend for values that never change under their key: the fragments of
articles/cache.py, whose keys carry the content version. Each process keeps what
it reads in its own memory, in front of the shared cache (Redis): a fragment costs
a round trip only the first time a worker needs it, and nothing can go stale,
since a change of content changes every key.

Within batched_writes() (a reader's request: articles/caching/middleware.py) the
writes to the shared cache wait for its end and go as one pipeline: the first
reader of a cold page reads a dozen values that are all missing, and would
otherwise pay a round trip to write back each of them."""
import contextvars
from collections import defaultdict
from contextlib import contextmanager

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache

_MISSING = object()
# {(alias, timeout, version): {key: value}} of the writes a batch holds back.
_held = contextvars.ContextVar("held_shared_writes", default=None)


@contextmanager
def batched_writes():
    """Shared writes made inside go out together at the end, one call per shared
    cache and timeout (django-redis pipelines a set_many). A value is in this
    process's memory at once, so the request itself never misses it."""
    if _held.get() is not None:  # nested: the outer batch sends them
        yield
        return
    held = defaultdict(dict)
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
        for (alias, timeout, version), values in held.items():
            caches[alias].set_many(values, timeout, version)


class LocalFirstCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self._shared_alias = options.get("SHARED", "default")
        # Bounded: a worker keeps its most used fragments, not the whole archive.
        self._local = LocMemCache(location, {"TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": options.get("MAX_ENTRIES", 1000)}})

    @property
    def _shared(self):
        return caches[self._shared_alias]

    def get(self, key, default=None, version=None):
        value = self._local.get(key, _MISSING, version)
        if value is _MISSING:
            value = self._shared.get(key, _MISSING, version)
            if value is _MISSING:
                return default
            self._local.set(key, value, version=version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        held = _held.get()
        if held is None:
            self._shared.set(key, value, timeout, version)
        else:
            held[(self._shared_alias, timeout, version)][key] = value
        self._local.set(key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        added = self._shared.add(key, value, timeout, version)
        if added:
            self._local.set(key, value, timeout, version)
        return added

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        self._local.touch(key, timeout, version)
        return self._shared.touch(key, timeout, version)

    def delete(self, key, version=None):
        self._local.delete(key, version)
        return self._shared.delete(key, version)

    def has_key(self, key, version=None):
        return self._local.has_key(key, version) or self._shared.has_key(key, version)

    def clear(self):
        self._local.clear()
        self._shared.clear()
