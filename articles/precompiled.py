"""Columns of a query compiled to SQL once per process, then reused as they are.

Django compiles every expression of a queryset each time it runs it. For the
correlated JSON subqueries a page reads its articles with (their photos, tags,
authors, corrections, threads), compiling cost a cold article page more than
PostgreSQL took to run its statement (cProfile, issue 16: about 2 ms of a
story's 4). Their SQL is the same each time for the same values, so columns()
compiles them once as columns of the model's own table and hands back RawSQL
of that very text: the SQL is still the ORM's, built from the same querysets.

Such a column names its outer table by the model's table name, so it serves a
top-level query of that model (Article.objects...annotate(**columns)), not one
nested inside another query under an alias.
"""
from django.db import DEFAULT_DB_ALIAS
from django.db.models.expressions import RawSQL


def columns(model, expressions):
    """{name: RawSQL} for {name: expression}, each compiled once now."""
    query = model._base_manager.annotate(**expressions).query
    compiler = query.get_compiler(DEFAULT_DB_ALIAS)
    return {name: _raw(compiler, query.annotations[name]) for name in expressions}


def _raw(compiler, expression):
    sql, params = compiler.compile(expression)
    return RawSQL(sql, tuple(params), output_field=expression.output_field)
