"""Statements the ORM builds once per process and PostgreSQL plans once per
database connection, for what readers ask for most often cold (issue 16): an
article at its address, cards by id, a listing's page, a date archive's
neighbours (queries.py).

A cold article's statement (its row with its photos, tags, authors and
neighbours) cost Django 1.5 ms to compile and PostgreSQL 0.9 ms to plan and 0.4
ms to run; prepared, with a generic plan, it runs in 0.5 ms and nothing is
compiled. Its SQL is still the ORM's: build() makes the queryset from sample
values of the statement's slots, once per process; the slots' parameters become
$1, $2… and every other parameter (the public rule's status, say) is written
into the statement as a literal. The literals are what lets a generic plan use
the partial indexes, whose predicates name them.

The public rule's moment is a slot of every statement that asks the rule
(publication.asked_at while it is built), filled in at each run with the
moment its content version stands for (caching.content_moment): a version ends
where the public set changes (publication.next_change), so that moment stands
for any of the version's. A new version therefore compiles and prepares
nothing: the first reader after a publication pays no more than the next.
Connections plan these statements generically from their first run
(settings.py: plan_cache_mode), since PostgreSQL cannot weigh a generic plan
whose moment is a parameter against its custom ones.

It needs a connection that keeps its session between requests: Django's
persistent connections, or a pooler in session mode (a transaction-mode pooler
would lose the prepared statements).

A statement whose best plan depends on its values (a search's words: the date
index walked for common ones, the GIN index for rare ones) is built once the
same way but not prepared (each_run=True): its text is sent with its values
each time, and PostgreSQL plans it for them.
"""
import re
from datetime import datetime, timezone
from functools import lru_cache

from django.db import connections, router
from psycopg2.extensions import AsIs

from . import publication
from .caching import content_moment

# Samples of a slot, by its type: no parameter of a real statement may equal one.
TEXT = "\x00slot"
ID = -987_654_321
IDS = [ID]
MOMENT, LATER_MOMENT = datetime(1, 1, 2, tzinfo=timezone.utc), datetime(1, 1, 3, tzinfo=timezone.utc)
# A listing page's key (queries._listing), beside a period's two moments and an id slot.
UNTIL, UNTIL_ID = datetime(1, 1, 4, tzinfo=timezone.utc), -987_654_322
# The public rule's moment while a statement is built: its slot, ASKED_AT, is filled in by rows().
ASKED_AT, NOW_SAMPLE = "asked_at", datetime(1, 1, 5, tzinfo=timezone.utc)
# A slot sampled by OFFSET or LIMIT is a queryset slice's start or length, which
# Django writes into the SQL ("OFFSET 987654320") instead of passing it: the
# statement makes it a parameter.
OFFSET, LIMIT = 987_654_320, 987_654_319
_WRITTEN = {OFFSET: "OFFSET", LIMIT: "LIMIT"}
# A slot's parameter in a statement's text ($1, $2…). Every other value in it is a
# literal of the statement's own making, never a reader's.
_SLOT = re.compile(r"\$(\d+)")


def stands_for(param, sample):
    """Whether a compiled statement's parameter is that sample's: equal in type and
    value (True equals 1, and is still not the sample 1)."""
    return type(param) is type(sample) and param == sample


class Statement:
    """build(**slots) -> a values() queryset; rows(model, **values) reads it with
    these values, as a list of dicts (the rows values() would give)."""

    # Every statement by name (a name is its prepared name's stem: one each), for
    # warmup.py to prepare them all before a worker's first reader.
    registry = {}

    def __init__(self, name, build, *, each_run=False, **samples):
        # Samples (TEXT, ID, IDS, MOMENT, OFFSET…) stand for the slots while the
        # statement is built.
        if name in Statement.registry:
            raise ValueError(f"a statement named {name!r} exists already")
        Statement.registry[name] = self
        self.name, self.build, self.samples, self.each_run = name, build, samples, each_run
        self._compiled = lru_cache(maxsize=4)(self._compile)

    def rows(self, model, **values):
        moment = content_moment()
        if moment is None:  # no content version (the database is away): the ORM as it is
            return list(self.build(**values))
        alias = router.db_for_read(model)
        compiled = self._compiled(alias)
        values = {**values, ASKED_AT: moment}
        with connections[alias].cursor() as cursor:
            if self.each_run:
                cursor.execute(compiled.text, {slot: values[slot] for slot in compiled.slots})
            else:
                name = self._prepared(connections[alias], compiled)
                cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(compiled.slots))})",
                               [values[slot] for slot in compiled.slots])
            fetched = cursor.fetchall()
        return [dict(zip(compiled.names, row)) for row in compiled.convert(fetched)]

    def prepare(self, alias):
        """Compile the statement for this database now and, unless it is sent with its
        values each run, prepare it on the connection (articles/warmup.py)."""
        compiled = self._compiled(alias)
        if not self.each_run:
            self._prepared(connections[alias], compiled)

    def _compile(self, alias):
        with publication.asked_at(NOW_SAMPLE):
            query = self.build(**self.samples).query
        compiler = query.get_compiler(alias)
        sql, params = compiler.as_sql()
        slots, marked = self._marked(params)
        text = connections[alias].ops.compose_sql(sql, marked)
        for slot, sample in self.samples.items():
            written = f"{_WRITTEN[sample]} {sample}" if type(sample) is int and sample in _WRITTEN else None
            if written and written in text:
                slots.append(slot)
                text = text.replace(written, f"{_WRITTEN[sample]} ${len(slots)}")
        if not set(self.samples) <= set(slots):
            raise ValueError(f"{self.name}: the statement does not use slots {set(self.samples) - set(slots)}")
        return _Compiled(f"antd_{self.name}", text, tuple(slots), compiler, query)

    def _marked(self, params):
        """(the slots in the order of their first parameter, params with each slot's
        parameter replaced by its $n)."""
        slots, marked = [], []
        samples = {**self.samples, ASKED_AT: NOW_SAMPLE}  # the rule's moment, where it is asked
        for param in params:
            slot = next((s for s, sample in samples.items() if stands_for(param, sample)), None)
            if slot is None:
                marked.append(param)
                continue
            if slot not in slots:
                slots.append(slot)
            marked.append(AsIs(f"${slots.index(slot) + 1}"))
        return slots, marked

    def _prepared(self, wrapper, compiled):
        """compiled's name, prepared on this connection (once). Through the driver's
        own cursor: a connection's one-off preparation is not a statement of the
        page that happens to come first."""
        wrapper.ensure_connection()
        raw = wrapper.connection
        held = wrapper.__dict__.setdefault("antd_prepared", {})
        if held.get(self.name) is not raw:
            with wrapper.wrap_database_errors, raw.cursor() as cursor:  # Django's errors, as a query's
                cursor.execute(f"PREPARE {compiled.name} AS {compiled.sql}")
            held[self.name] = raw
        return compiled.name


class _Compiled:
    def __init__(self, name, sql, slots, compiler, query):
        self.name, self.sql, self.slots, self.compiler = name, sql, slots, compiler
        # The same text for the driver to send with its values (each_run): $n become
        # %(slot)s, and every other % is doubled so that it is sent as it is.
        self.text = _SLOT.sub(lambda found: f"%({slots[int(found[1]) - 1]})s", sql.replace("%", "%%"))
        # What values() names its columns, in the order the compiler selects them.
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        self.converters = compiler.get_converters([column for column, _, _ in compiler.select[:compiler.col_count]])

    def convert(self, rows):
        """The rows as the ORM gives them (JSON decoded, times in their zone)."""
        return self.compiler.apply_converters(rows, self.converters) if self.converters else rows
