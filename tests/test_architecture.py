"""The architecture, held by tests: one place for the publication rule, no import
circles, nothing but plain values in the cache."""
import ast
import datetime
import pickle
import re
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from articles import publication
from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, CorrectionFactory, PhotoFactory, TagFactory

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("articles", "antd_site", "devtools")
RULE_HOME = ROOT / "articles" / "publication.py"

# Ways the public rule was spelled outside its module before it had one (SQL,
# ORM, Python); each pattern is checked against such a spelling below.
SPELLINGS = {
    r"status\s*=\s*'published'": "WHERE a.status = 'published' AND a.published_at <= now()",
    r"published_at\s*(<=|>)\s*now\(\)": "t.published_at <= now() AND t.article_id <> %s",
    r"published_at__(lte|gt)\s*=\s*(timezone\.)?now": "filter(published_at__lte=timezone.now())",
    r"status\s*=\s*[\w.]*PUBLISHED\s*,\s*published_at": "filter(status=Article.Status.PUBLISHED, published_at__gt=x)",
    r"status\s*==\s*[\w.]*PUBLISHED\b": "self.status == self.Status.PUBLISHED and self.published_at is not None",
    r"if\s+status\s*==\s*[\w.]*PUBLISHED\s+and\s+published_at\s+is\s+None": (
        "if status == Article.Status.PUBLISHED and published_at is None:"
    ),
}
# A step of the desk's workflow, not who may read: a correction belongs to an
# article that is out; a reporter hears that theirs went out.
ALLOWED = {
    ("articles/admin/desk.py", "obj.status == publication.PUBLISHED"),
    ("articles/newsroom/notify.py", "article.status == Status.PUBLISHED"),
}


def sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


@pytest.mark.parametrize("pattern", SPELLINGS)
def test_each_pattern_finds_the_spelling_it_stands_for(pattern):
    assert re.search(pattern, SPELLINGS[pattern])


def test_no_module_but_publication_spells_the_public_rule():
    found = []
    for path in sources():
        if path == RULE_HOME:
            continue
        relative = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if any(re.search(pattern, line) for pattern in SPELLINGS) and not any(
                relative == place and allowed in line for place, allowed in ALLOWED
            ):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "the public rule belongs in articles/publication.py:\n" + "\n".join(found)


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path, known):
    """The project modules a file imports, at the top or inside functions."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            submodules = {f"{base}.{alias.name}" for alias in node.names} & known
            found.update(submodules)
            if len(submodules) < len(node.names):  # names defined in base itself
                found.add(base)
    return {module for module in found if module in known and module != name}


def circles_in(graph):
    """Every import circle of a graph {module: modules it imports}, as "a -> b -> a"."""
    circles, state = [], {}

    def visit(module, trail):
        state[module] = "open"
        for other in sorted(graph[module]):
            if state.get(other) == "open":
                circles.append(" -> ".join(trail[trail.index(other):] + [other]))
            elif other not in state:
                visit(other, trail + [other])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return circles


def test_no_import_circles():
    paths = list(sources())
    known = {module_name(path) for path in paths}
    graph = {module_name(path): imports_of(path, known) for path in paths}
    assert graph["articles.caching.version"] >= {"articles.models", "articles.publication"}  # the reader reads

    circles = circles_in(graph)
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_no_import_circles_among_the_benchmarks():
    # bench/'s scripts run with bench/ on sys.path and import each other by bare name
    scripts = {path.stem: path for path in sorted((ROOT / "bench").glob("*.py"))}
    graph = {}
    for name, path in scripts.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        graph[name] = (imported & scripts.keys()) - {name}
    assert graph["run"] >= {"cold", "search", "stack"}  # the test reads what it is meant to
    circles = circles_in(graph)
    assert not circles, "import circles:\n" + "\n".join(circles)


@pytest.mark.django_db
def test_the_orm_filter_and_the_sql_fragment_are_the_same_rule():
    now = timezone.now()
    public = ArticleFactory(published_at=now - datetime.timedelta(minutes=5))
    ArticleFactory(published_at=now + datetime.timedelta(hours=2))  # scheduled
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(status=Article.Status.DRAFT, published_at=now - datetime.timedelta(days=1))
    ArticleFactory(published_at=now - datetime.timedelta(days=2), deleted_at=now)  # in the trash
    ArticleFactory(published_at=now - datetime.timedelta(days=3), expires_at=now)  # taken down ("Gỡ lúc")
    sql, params = publication.public_sql("a")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a.id FROM articles_article a WHERE {sql}", params)
        by_sql = {row[0] for row in cursor.fetchall()}
    by_orm = set(Article.objects.published().values_list("pk", flat=True))
    assert by_sql == by_orm == {public.pk}
    assert [publication.is_public(a) for a in Article.objects.order_by("pk")] == [True, False, False, False, False, False]


def plain(value, trail="value"):
    """Every model instance inside a cached value, by where it was found."""
    if isinstance(value, Model):
        return [trail]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in plain(item, f"{trail}[{key!r}]")]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [found for index, item in enumerate(value) for found in plain(item, f"{trail}[{index}]")]
    if is_dataclass(value):
        return [found for f in fields(value) for found in plain(getattr(value, f.name), f"{trail}.{f.name}")]
    return []


def cached_values():
    """What the caches hold: Django's LocMemCache pickles; a worker's own copies of
    fragments (local_first_cache) are kept as they are."""
    yield from ((key, pickle.loads(value)) for key, value in list(caches["default"]._cache.items()))
    yield from caches["fragments"]._local.items()


@pytest.mark.django_db
def test_nothing_cached_for_readers_is_a_model_instance(client):
    category = CategoryFactory(name="Giao thông")
    tag = TagFactory(name="An toàn giao thông")
    articles = [ArticleFactory(category=category, tags=[tag]) for _ in range(3)]
    PhotoFactory(article=articles[1])
    CorrectionFactory(article=articles[1])
    day = articles[1].local_date
    urls = [
        "/", "/?page=1", articles[1].get_absolute_url(), category.get_absolute_url(), tag.get_absolute_url(),
        "/chuyen-muc/", "/tag/", f"/{day:%Y}/", f"/{day:%Y/%m}/", f"/{day:%Y/%m/%d}/", "/rss/",
        f"/tag/{tag.slug}/rss/", "/sitemap.xml", "/sitemap-articles.xml", "/sitemap-categories.xml",
        "/sitemap-archives.xml", "/sitemap-news.xml", "/tim-kiem/?q=giao+thong", "/dinh-chinh/", "/dinh-chinh/rss/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    values = dict(cached_values())
    assert len(values) > len(urls)  # the pages above were really kept
    models = [f"{key}: {where}" for key, value in values.items() for where in plain(value)]
    assert not models, "model instances in the cache:\n" + "\n".join(models)
