"""Statements prepared once per connection (articles/prepared.py), the public rule's
moment a parameter filled in with the content version's:
what a public article page, a set of cards, a listing's page and a date archive's
neighbours are read with."""
import datetime
import re

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import caching, prepared, queries
from articles.caching import version as content_cache
from articles.models import Article
from articles.values import Section
from tests.factories import ArticleFactory, CorrectionFactory, PhotoFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_prepared_yet(db):
    """A statement lives as long as its connection, across tests: each test here
    counts the preparations and executions of its own."""
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    connections["default"].__dict__.pop("antd_prepared", None)  # what prepared.py notes it prepared


@pytest.fixture(autouse=True)
def site_statements_only():
    """The statements a test makes leave the registry with it: a worker's warm-up
    (articles/warmup.py) prepares every statement there."""
    before = dict(prepared.Statement.registry)
    yield
    prepared.Statement.registry.clear()
    prepared.Statement.registry.update(before)


def held():
    """This connection's prepared statements: {name: (statement, executions)}."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return {name: (statement, runs) for name, statement, runs in cursor.fetchall()}


def stories():
    return {name: found for name, found in held().items() if name == "antd_story"}


def address(article):
    start, end = queries._day_bounds(article.local_date)
    return {"slug": article.slug, "start": start, "end": end}


def test_a_public_story_reads_the_same_row_prepared_as_through_the_orm():
    article = ArticleFactory(
        title="Đổi mới biện pháp", body="<p>Đoạn một.</p>", tags=[TagFactory(name="Thi đua"), TagFactory(name="Hà Nội")],
    )
    PhotoFactory(article=article, caption="Hội nghị")
    CorrectionFactory(article=article)
    ArticleFactory(title="Bài trước", published_at=article.published_at - datetime.timedelta(hours=1))
    statement = queries._PUBLIC_AT_ADDRESS
    found = statement.rows(Article, **address(article))
    assert found == list(statement.build(**address(article)))
    [row] = found
    assert row["title"] == "Đổi mới biện pháp" and row["published_at"] == article.published_at
    assert [tag["name"] for tag in row["tag_rows"]] == ["Hà Nội", "Thi đua"]  # JSON decoded, as the ORM gives it
    assert row["previous_row"]["title"] == "Bài trước" and row["photo_rows"][0]["caption"] == "Hội nghị"


def test_the_statement_is_prepared_once_per_connection_and_serves_every_version(client):
    first, second = ArticleFactory(title="Tin một"), ArticleFactory(title="Tin hai")
    for article in (first, second):
        assert client.get(article.get_absolute_url()).status_code == 200
    [(name, (text, runs))] = stories().items()
    assert name == "antd_story" and runs == 2
    # The slots and the rule's moment are parameters; the rule's status is a
    # literal, so that the generic plan can use the partial indexes. No moment is
    # written in: the statement is the same in every version.
    assert "$4" in text and "$5" not in text and "'published'" in text
    assert not re.search(r"'\d{4}-\d\d-\d\d[ T]\d\d:\d\d", text), text

    caching.changed()
    with CaptureQueriesContext(connection) as statements:
        assert client.get(first.get_absolute_url()).status_code == 200
    assert stories() == {"antd_story": (text, 3)}  # the new version runs the same statement
    assert not any(q["sql"].startswith(("PREPARE", "DEALLOCATE")) for q in statements.captured_queries)


def test_a_prepared_statement_is_planned_once_for_any_values(client):
    """A generic plan from the first run (settings: plan_cache_mode): left to choose,
    PostgreSQL planned every run anew, the rule's moment being a parameter."""
    article = ArticleFactory(title="Tin một kế hoạch")
    for _ in range(7):  # past the five custom plans PostgreSQL makes before it weighs a generic one
        caching.changed()
        assert client.get(article.get_absolute_url()).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'antd_story'")
        assert cursor.fetchone() == (7, 0)


def test_a_statement_asks_the_rule_at_its_content_versions_moment(monkeypatch):
    """The moment the version stands for (when it was made, caching.content_moment),
    not the clock's when the statement runs: what came out before is public at it,
    what comes out after is not."""
    article = ArticleFactory(title="Tin đúng giờ", published_at=timezone.now() - datetime.timedelta(minutes=5))

    def found():
        return [row["title"] for row in queries._PUBLIC_AT_ADDRESS.rows(Article, **address(article))]

    assert found() == ["Tin đúng giờ"]
    assert caching.content_moment() == datetime.datetime.fromtimestamp(content_cache.current()["at"], datetime.timezone.utc)
    # The same version, had it been made a second before the article came out.
    monkeypatch.setitem(content_cache.current(), "at", article.published_at.timestamp() - 1)
    assert found() == []


def test_a_page_counts_the_execution_not_the_preparation(client):
    article = ArticleFactory(title="Tin đếm câu lệnh")
    with CaptureQueriesContext(connection) as statements:
        assert client.get(article.get_absolute_url()).status_code == 200
    sql = [query["sql"] for query in statements.captured_queries]
    assert any(text.startswith("EXECUTE antd_story(") for text in sql), sql
    assert not any(text.startswith(("PREPARE", "DEALLOCATE")) for text in sql), sql


@pytest.mark.django_db(transaction=True)  # closing the connection ends a test's transaction
def test_a_new_connection_prepares_again(client):
    article = ArticleFactory(title="Tin sau khi nối lại")
    assert client.get(article.get_absolute_url()).status_code == 200
    caching.changed()  # a page not kept: read again, on a new connection
    connection.close()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and "Tin sau khi nối lại" in response.content.decode()
    assert list(stories()) == ["antd_story"]


def test_without_a_content_version_the_orm_reads_it(monkeypatch):
    article = ArticleFactory(title="Tin khi không có phiên bản")
    before = held()  # what earlier tests left on this connection
    monkeypatch.setattr(prepared, "content_moment", lambda: None)  # as when the database is away
    [row] = queries._PUBLIC_AT_ADDRESS.rows(Article, **address(article))
    assert row["title"] == "Tin khi không có phiên bản" and held() == before


def test_cards_by_id_are_one_statement_for_any_number_of_ids():
    articles = [ArticleFactory(title=f"Tin {n}") for n in range(3)]
    for ids in ([articles[0].pk], [a.pk for a in articles], [articles[2].pk, 999_999_999]):
        cards = queries._cards_by_id(ids)
        assert sorted(cards) == sorted(pk for pk in ids if pk != 999_999_999)
        assert all(cards[pk].title == Article.objects.get(pk=pk).title for pk in cards)
    [(_, runs)] = [found for name, found in held().items() if name == "antd_cards"]
    assert runs == 3


def test_a_statement_planned_each_run_is_sent_with_its_values_and_never_prepared():
    """each_run (a search's statements): the same text compiled once, its slots (a
    LIMIT among them) sent as values; a % of the statement's own stays a %."""
    made = [ArticleFactory(title=title) for title in ("Giảm 50% phí", "Giảm 50 phí", "Tăng 50% giá vé", "Giữ 50% chỗ")]
    statement = prepared.Statement(
        "each_run_sample",
        lambda first, size: Article.objects.filter(title__contains="50%", id__gte=first).order_by("id").values("title")[:size],
        each_run=True, first=prepared.ID, size=prepared.LIMIT,
    )
    before = held()
    for first, size, expected in ((made[0], 5, ["Giảm 50% phí", "Tăng 50% giá vé", "Giữ 50% chỗ"]),
                                  (made[0], 1, ["Giảm 50% phí"]), (made[1], 5, ["Tăng 50% giá vé", "Giữ 50% chỗ"])):
        found = statement.rows(Article, first=first.pk, size=size)
        assert [row["title"] for row in found] == expected
    assert held() == before
    assert "LIMIT %(size)s" in statement._compiled("default").text


def test_a_statement_must_use_every_slot_and_have_a_name_of_its_own():
    statement = prepared.Statement("unused_slot", lambda slug, day: Article.objects.filter(slug=slug).values("id"),
                                   slug=prepared.TEXT, day=prepared.ID)
    with pytest.raises(ValueError, match="day"):
        statement.rows(Article, slug="x", day=1)
    with pytest.raises(ValueError, match="story"):
        prepared.Statement("story", lambda: Article.objects.values("id"))


def tagged_titles(client, tag, number):
    html = client.get(f"{tag.get_absolute_url()}?page={number}").content.decode()
    return re.findall(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>', html)


def test_a_listings_pages_are_one_statement_its_offset_a_parameter(client):
    tag = TagFactory(name="Phòng cháy")
    now = timezone.now()
    for n in range(45):
        ArticleFactory(title=f"Bài {n:02d}", tags=[tag], published_at=now - datetime.timedelta(hours=n))
    pages = [tagged_titles(client, tag, number) for number in (1, 2, 3)]
    assert pages == [[f"Bài {n:02d}" for n in range(start, min(start + 20, 45))] for start in (0, 20, 40)]
    [(text, runs)] = [found for name, found in held().items() if name == "antd_tag"]
    assert runs == 3 and re.search(r"OFFSET \$\d", text) and "LIMIT 21" in text
    assert re.search(r'"published_at" <= \$\d', text)  # from a deep page's anchor (pagination.start)


# Which partial index of the public rule PostgreSQL reads depends on a test's few rows
# and their statistics (at a million articles: by_category for a category, by_date
# for a period); a generic plan that could not use one would read another index or
# the table.
@pytest.mark.parametrize("listing, slots, index", [
    (queries._TAG, lambda article: {"tag_id": article.tags.get().pk}, "tagging_public_by_date"),
    (queries._CATEGORY, lambda article: {"category_id": article.category_id}, r"article_public_\w+"),
    (queries._PERIOD, lambda article: dict(zip(("start", "end"), queries._day_bounds(article.local_date))),
     r"article_public_\w+"),
])
def test_a_generic_plan_reads_a_deep_pages_ids_from_a_partial_index_of_the_rule(listing, slots, index):
    """The public rule's status is written into the statement: a plan made for any
    slot values and moment can still use the partial indexes, whose predicates name
    its literals."""
    article = ArticleFactory(tags=[TagFactory()])
    values = {**slots(article), "until": article.published_at, "until_id": article.pk}
    listing.rows(Article, offset=40, **values)  # prepared on this connection
    compiled = listing._compiled("default")
    with connection.cursor() as cursor:
        for setting in ("plan_cache_mode = force_generic_plan", "enable_seqscan = off", "enable_bitmapscan = off"):
            cursor.execute(f"SET LOCAL {setting}")
        run = {**values, "offset": 40, prepared.ASKED_AT: timezone.now()}
        arguments = [run[slot] for slot in compiled.slots]
        cursor.execute(f"EXPLAIN EXECUTE {compiled.name}({', '.join(['%s'] * len(arguments))})", arguments)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert re.search(f"Index (Only )?Scan using {index} on ", plan) and "Seq Scan" not in plan, plan


def test_a_days_neighbours_are_one_statement_each_way_a_step():
    day = datetime.date(2017, 2, 15)
    for when in (datetime.date(2017, 2, 10), day, datetime.date(2017, 2, 20)):
        ArticleFactory(published_at=datetime.datetime.combine(when, datetime.time(9), tzinfo=queries.HANOI))
    assert [p.start for p in queries.adjacent_periods("day", day)] == [datetime.date(2017, 2, 10), datetime.date(2017, 2, 20)]
    assert queries.adjacent_periods("month", datetime.date(2017, 2, 1)) == (None, None)
    [(text, runs)] = [found for name, found in held().items() if name == "antd_around"]
    assert runs == 2 and "UNION ALL" in text


def test_a_category_or_tag_at_its_slug_is_a_prepared_statement_of_plain_values(client):
    tag = TagFactory(name="Đổi mới biện pháp")
    article = ArticleFactory(tags=[tag])
    category = article.category
    category.description = "Tin an ninh, trật tự của Thủ đô."
    category.save()
    assert client.get(tag.get_absolute_url()).status_code == 200
    assert client.get(category.get_absolute_url()).status_code == 200
    assert client.get("/tag/khong-co-the-nay/").status_code == 404
    sections = {name: runs for name, (_, runs) in held().items() if name.startswith("antd_section_")}
    assert sections == {"antd_section_category": 1, "antd_section_tag": 2}
    assert queries.category(category.slug) == Section.of(category)  # what the record would give, description too
    assert queries.tag(tag.slug) == Section.of(tag)
