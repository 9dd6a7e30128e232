"""A web worker made ready before its first reader (antd_site/wsgi.py).

Left to itself, a worker pays for its own start in the requests of its first
readers: the URLconf and every view module are imported by the first request,
each template is compiled by the first page that renders it (the newsroom's
are left to the newsroom's first pages), and each statement
of prepared.py is compiled by the first page that reads it and prepared on the
connection it runs on: a worker's first article page took 138-154 ms (44 once
warm), and its first category page paid for compiling and preparing the
category's statements. warm() does all of it while the worker starts (0.16 s).
What the first reader after a publication still pays for is the new content
version's shared values (the menu), read once per version; the version itself
is made by the process that published (caching/version.renew).

Nothing here is needed for correctness: a database that does not answer is
logged and left to the first requests, which prepare what they read as before.
"""
import logging
from contextlib import suppress

from django.conf import settings
from django.db import DatabaseError, connections
from django.template import engines
from django.urls import get_resolver

from antd_site.routers import PRIMARY, REPLICA

from .prepared import Statement

log = logging.getLogger("antd.warmup")


def warm():
    get_resolver().url_patterns  # imports every view, and with them every statement
    readers = readers_engine()
    for name in reader_templates():
        readers.get_template(name)
    for alias in (PRIMARY, REPLICA):
        if alias in settings.DATABASES:
            _prepare_all(alias)


def reader_templates():
    """The names of the readers' templates: the Jinja2 engine's (templates/)."""
    return readers_engine().list_templates(extensions=("html", "xml"))


def readers_engine():
    return engines["jinja2"].env


def _prepare_all(alias):
    try:
        for statement in Statement.registry.values():
            statement.prepare(alias)
    except DatabaseError as error:
        reason = " ".join(str(error).split())
        log.warning("Chưa chuẩn bị sẵn được câu lệnh trên %s (các trang đầu sẽ tự chuẩn bị): %s", alias, reason)
        with suppress(DatabaseError):
            connections[alias].close()
