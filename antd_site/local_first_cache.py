"""A cache backend for values that never change under their key: the fragments of
articles/cache.py, whose keys carry the content version. Each process keeps what
it reads in its own memory, in front of the shared cache (Redis): a fragment costs
a round trip only the first time a worker needs it, and nothing can go stale,
since a change of content changes every key.

Within batched_writes() (a reader's request: articles/caching/middleware.py) the
writes to the shared cache wait for its end and go as one pipeline: the first
reader of a cold page reads a dozen values that are all missing, and would
otherwise pay a round trip to write back each of them.

A process keeps its values as they are, not pickled as Django's LocMemCache
keeps them: unpickling the front page's cards on every request was half of a
warm home page (cProfile, issue 16). That is safe because what the site caches
is plain, immutable data (frozen dataclasses, tuples, strings; articles/caching/
store.py), which no caller changes; Redis still gets pickles."""
import contextvars
import threading
import time
from collections import OrderedDict, defaultdict
from contextlib import contextmanager

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

_MISSING = object()
# How long a value read from the shared cache stays here (its key carries what
# ends its life: the content version or a slot of the clock).
LOCAL_SECONDS = 3600
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


class _Kept:
    """This process's values, at most max_entries, the least recently read going first."""

    def __init__(self, max_entries):
        self._values = OrderedDict()  # key -> (expiry (time.time(), as Django's caches) or None, value)
        self._max_entries = max_entries
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._values.get(key)
            if found is None:
                return _MISSING
            expiry, value = found
            if expiry is not None and expiry <= time.time():
                del self._values[key]
                return _MISSING
            self._values.move_to_end(key)
            return value

    def set(self, key, value, expiry):
        with self._lock:
            self._values[key] = (expiry, value)
            self._values.move_to_end(key)
            while len(self._values) > self._max_entries:
                self._values.popitem(last=False)

    def delete(self, key):
        with self._lock:
            self._values.pop(key, None)

    def clear(self):
        with self._lock:
            self._values.clear()

    def items(self):
        with self._lock:
            return [(key, value) for key, (_, value) in self._values.items()]


class LocalFirstCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self._shared_alias = options.get("SHARED", "default")
        # Bounded: a worker keeps its most used fragments, not the whole archive. How
        # many is the settings' (ANTD_LOCAL_CACHE_ENTRIES), the one default there is.
        self._local = _Kept(options["MAX_ENTRIES"])

    @property
    def _shared(self):
        return caches[self._shared_alias]

    def _keep(self, key, value, timeout, version):
        expiry = self.get_backend_timeout(timeout)  # the moment it goes, or None: never
        if expiry is None or expiry > time.time():
            self._local.set(self.make_and_validate_key(key, version), value, expiry)

    def get(self, key, default=None, version=None):
        value = self._local.get(self.make_and_validate_key(key, version))
        if value is _MISSING:
            value = self._shared.get(key, _MISSING, version)
            if value is _MISSING:
                return default
            self._keep(key, value, LOCAL_SECONDS, version)  # its key ends its life sooner
        return value

    def get_many(self, keys, version=None):
        """This process's values, then the rest from the shared cache in one call."""
        found, missing = {}, []
        for key in keys:
            value = self._local.get(self.make_and_validate_key(key, version))
            if value is _MISSING:
                missing.append(key)
            else:
                found[key] = value
        for key, value in (self._shared.get_many(missing, version) if missing else {}).items():
            self._keep(key, value, LOCAL_SECONDS, version)
            found[key] = value
        return found

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        held = _held.get()
        if held is None:
            self._shared.set(key, value, timeout, version)
        else:
            held[(self._shared_alias, timeout, version)][key] = value
        self._keep(key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        added = self._shared.add(key, value, timeout, version)
        if added:
            self._keep(key, value, timeout, version)
        return added

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        value = self._local.get(self.make_and_validate_key(key, version))
        if value is not _MISSING:
            self._keep(key, value, timeout, version)
        return self._shared.touch(key, timeout, version)

    def delete(self, key, version=None):
        self._local.delete(self.make_and_validate_key(key, version))
        return self._shared.delete(key, version)

    def has_key(self, key, version=None):
        return self._local.get(self.make_and_validate_key(key, version)) is not _MISSING or self._shared.has_key(key, version)

    def clear(self):
        self._local.clear()
        self._shared.clear()
