"""Where cached things live, under one key rule.

    antd:<content version>:<release>:<name>:<digest of what it depends on>

(a value that moves with the clock, remembered_briefly, has a slot of the clock
where the version stands: t60-<minute since the epoch>).

<name> says what is cached: a read function's module and name (data), a template
fragment's name (html), or "response"/"page" for whole answers. What it depends
on is spelled out: a read function's arguments, a fragment's parts, a response's
scheme, host, path and the query parameters its view reads (all of the query
string for the whole-page cache, which cannot know what a view reads; feeds and
sitemaps name theirs). Nothing else of the request ever enters a key. Values are
plain data (ids, rows as tuples and dataclasses, HTML, a response's status,
headers and body), never model instances. <release> is a digest of the code and
templates that made the value: a deploy (or a worker of a rolling one) never reads
a value, a fragment or a page that another release kept, whose shape or markup
may differ.

Everything lives in the "fragments" cache (antd_site/local_first_cache.py): in
each worker's memory in front of Redis, which is safe since no key outlives its
version.
"""
import contextvars
import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

from antd_site.middleware import set_etag

from . import version as content

_MISSING = object()
# The expiry times of the short-lived values (remembered_briefly) a response being
# made has used: a page showing one is kept no longer than it stays right.
_brief_expiries = contextvars.ContextVar("brief_expiries", default=None)


def _release():
    """A digest of the app's code and the site's templates, read once per process."""
    app = Path(__file__).resolve().parent.parent
    folders = [app, *(Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", []))]
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html", ".xml", ".txt") and "migrations" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = _release()


def key(number, name, *parts):
    """The one key rule (above)."""
    named = "\n".join(map(repr, parts))
    digest = hashlib.sha256(named.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"antd:{number}:{RELEASE}:{name}:{digest}"


def remembered(name, parts, compute, limit=content.VERSION_MAX_AGE):
    """compute(), kept under name and parts for the content version. Without a
    version (the database is away) nothing is read or kept."""
    version = content.current()
    if version is None:
        return compute()
    store = caches["fragments"]
    cache_key = key(version["n"], name, *parts)
    value = store.get(cache_key, _MISSING)
    if value is _MISSING:
        value = compute()
        store.set(cache_key, value, timeout=content.lifetime(version, limit))
    return value


def kept(name, parts, value, limit=content.VERSION_MAX_AGE):
    """Keep value under name and parts for the content version, as remembered()
    would have after computing it."""
    version = content.current()
    if version is not None:
        caches["fragments"].set(key(version["n"], name, *parts), value, timeout=content.lifetime(version, limit))


def remembered_briefly(name, parts, compute, seconds):
    """compute(), kept under name and parts for a slot of the clock, at most
    seconds: for values that move without the content changing (what is read
    most), which must never bump the version, and which a change of content need
    not recompute (their callers re-check what may have moved since). The slot
    stands where the content version stands in the key. A whole page built from
    such a value is kept no longer than it (response())."""
    slot = int(time.time() // seconds)
    expires_at = (slot + 1) * seconds
    store = caches["fragments"]
    cache_key = key(f"t{seconds}-{slot}", name, *parts)
    value = store.get(cache_key, _MISSING)
    if value is _MISSING:
        value = compute()
        store.set(cache_key, value, timeout=max(1, int(expires_at - time.time())))
    expiries = _brief_expiries.get()
    if expiries is not None:
        expiries.append(expires_at)
    return value


def _made_noting_expiries(make):
    """make()'s response and the earliest expiry of the brief values it used (or None)."""
    expiries = []
    token = _brief_expiries.set(expiries)
    try:
        made = make()
    finally:
        _brief_expiries.reset(token)
    outer = _brief_expiries.get()
    if outer is not None:
        outer.extend(expiries)
    return made, min(expiries, default=None)


def response(request, make, query=None, limit=content.VERSION_MAX_AGE):
    """The answer to this request from the cache, else make()'s, kept when it is for
    everyone. query: the names of the parameters the view reads; None counts the
    whole query string."""
    version = content.current()
    if version is None:
        return make()
    asked = request.get_full_path() if query is None else (request.path, *(request.GET.get(q, "") for q in query))
    cache_key = key(version["n"], "page" if query is None else "response", request.scheme, request.get_host(), asked)
    found = _stored_response(cache_key)
    if found is not None:
        return found
    made, brief_until = _made_noting_expiries(make)
    if storable(made):
        timeout = content.lifetime(version, limit)
        if brief_until is not None:
            timeout = max(1, min(timeout, int(brief_until - time.time())))
        _store_response(cache_key, made, timeout)
    return made


def storable(response):
    """A response for everyone: no cookie, not streamed, not declared private by its view."""
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200 and not response.cookies and not response.streaming
        and "private" not in control and "no-store" not in control
    )


def _store_response(cache_key, response, timeout):
    """Keep a storable response, rendered and with its ETag (hashed once, not on every hit),
    as plain data: quicker to store and to read back than the object."""
    if hasattr(response, "render"):
        response.render()
    set_etag(response)
    caches["fragments"].set(cache_key, (response.status_code, dict(response.items()), response.content), timeout=timeout)


def _stored_response(cache_key):
    stored = caches["fragments"].get(cache_key)
    if not stored:
        return None
    status, headers, body = stored
    return HttpResponse(body, status=status, headers=headers)
