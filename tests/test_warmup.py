"""A web worker gets ready before its first reader (articles/warmup.py, run by antd_site/wsgi.py)."""
from django.db import connection, connections
from django.template import engines

from articles import warmup
from articles.prepared import Statement
from deploy.local import free_port
from tests.subprocesses import clean_env, run_python


def prepared_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def test_warming_prepares_every_statement_on_the_workers_connection(db):
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    connections["default"].__dict__.pop("antd_prepared", None)  # what prepared.py notes it prepared
    assert not {name for name in prepared_names() if name.startswith("antd_")}

    warmup.warm()

    expected = {f"antd_{name}" for name, statement in Statement.registry.items() if not statement.each_run}
    assert {"antd_story", "antd_category", "antd_tag", "antd_cards"} <= expected
    assert expected <= prepared_names()
    # A search's statements are planned for their words each time: compiled, never prepared.
    searched = [statement for statement in Statement.registry.values() if statement.each_run]
    assert searched and all(s._compiled.cache_info().currsize for s in searched)
    assert not {f"antd_{s.name}" for s in searched} & prepared_names()


def test_warming_compiles_the_readers_templates_and_not_the_newsrooms(db):
    names = warmup.reader_templates()
    assert {"base.html", "articles/article/detail.html", "articles/listings/category.html", "sitemaps/news.xml"} <= set(names)
    assert not [name for name in names if name.startswith("admin/")]
    readers, newsroom = warmup.readers_engine(), engines["django"].engine.template_loaders[0]
    readers.cache.clear()
    newsroom.reset()  # the cached loaders (DEBUG is off): what a new worker starts with
    warmup.warm()
    assert set(names) <= {name for _, name in readers.cache.keys()}
    assert not newsroom.get_template_cache


def test_a_worker_starts_when_the_database_does_not_answer():
    """The statements are then prepared by the first pages that read them, as before."""
    env = clean_env(
        DJANGO_SECRET_KEY="warmup-test-key-" + "w" * 40,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/antd",
    )
    result = run_python("import antd_site.wsgi\nprint('sẵn sàng')", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sẵn sàng"
    assert "Chưa chuẩn bị sẵn được câu lệnh trên default" in result.stderr
