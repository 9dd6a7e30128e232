"""The one caching seam of the site. Readers' pages are cached under a content
version that any visible change replaces (version.py); what is kept and under
which key is store.py's rule. The rest of the code uses only these names:

- cached: a decorator for read functions of plain arguments that return plain
  data (articles/queries.py) or HTML rendered from it (views/article.public_page);
  the template call {% call fragment(…) %} keeps a piece of a template whose values the
  view already holds (articles/templating.py).
- cached_briefly(seconds): for values that move without the content changing
  (the most-read lists): kept for a slot of the clock of that many seconds,
  across content versions (they never bump it, and a change of content does not
  recompute them: their callers re-check what may have moved), and a whole page
  that shows one is kept no longer.
- cached_response: a view decorator for answers that are the same for every
  reader (feeds, sitemaps); the whole-page cache is middleware.py.
- changed: the content changed (signals, bulk writers); pinned_version: one
  version for everything a request builds; content_moment: the moment it
  stands for (prepared.py asks the public rule at it).
"""
from datetime import date, datetime
from functools import wraps

from . import store
from .version import bump as changed
from .version import content_moment, content_version, pinned_version

PLAIN = (str, int, float, bool, date, datetime, tuple, type(None))

__all__ = [
    "cached", "cached_briefly", "cached_response", "changed", "content_moment", "content_version",
    "fragment", "pinned_version",
]


def cached(function):
    """Keep function's result for the content version, keyed by its name and
    arguments. Arguments must be plain values (a model instance or a request
    would make keys that never repeat, or repeat wrongly), and so must results."""
    name = f"{function.__module__}.{function.__qualname__}"

    @wraps(function)
    def read(*args):
        _check_plain(name, args)
        return store.remembered(name, args, lambda: function(*args))

    def keep(args, value):
        """What function(*args) would return, known already (read with something
        else): kept as if it had been called."""
        _check_plain(name, args)
        store.kept(name, args, value)

    read.keep = keep
    return read


def cached_briefly(seconds):
    """Like cached, for a slot of the clock of that many seconds (store.remembered_briefly)."""

    def decorate(function):
        name = f"{function.__module__}.{function.__qualname__}"

        @wraps(function)
        def read(*args):
            _check_plain(name, args)
            return store.remembered_briefly(name, args, lambda: function(*args), seconds)

        return read

    return decorate


def _check_plain(name, args):
    for arg in args:
        if not isinstance(arg, PLAIN):
            raise TypeError(f"{name}: {type(arg).__name__} is not a plain value for a cache key")


def fragment(name, parts, render):
    """Rendered HTML kept for the content version under name and parts (the
    {% fragment %} template tag)."""
    return store.remembered(f"html:{name}", parts, render)


def cached_response(view, query=()):
    """A view whose answer is the same for every reader until the content changes:
    kept per content version, keyed by its path and the query parameters it reads
    (query), so made-up query strings cannot fill the cache."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        return store.response(request, lambda: view(request, *args, **kwargs), query=query)

    return cached_view
