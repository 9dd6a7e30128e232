""""Đọc nhiều": the beacon counts views of public articles (in Redis, else in
PostgreSQL), bots and bad requests are not counted, pending counts are flushed,
and the lists rank public articles by their views of 24 hours and 7 days."""
import datetime
import io
import time
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from articles import caching
from articles.models import Article, HourlyReads
from articles.newsroom import trash
from articles.reads import counting, ranking
from tests.conftest import with_fragments
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
    "python-requests/2.32", "curl/8.5.0", "",
]
NOW = datetime.datetime(2026, 12, 5, 10, 30, tzinfo=datetime.timezone.utc)


def redis_settings(settings, location="redis://127.0.0.1:6379/13"):
    """The real Redis (a database of its own), under a prefix no other test uses."""
    settings.CACHES = with_fragments({
        "default": {
            "BACKEND": "django_redis.cache.RedisCache", "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}", "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }, uuid.uuid4().hex)


@pytest.fixture
def redis(settings):
    redis_settings(settings)
    yield counting.redis_client()


def beacon(client, body, agent=BROWSER):
    return client.post("/_doc/", data=str(body), content_type="text/plain;charset=UTF-8", HTTP_USER_AGENT=agent)


def counts():
    return {(r.article_id, r.count) for r in HourlyReads.objects.all()}


def test_a_view_goes_to_redis_and_the_flush_moves_it_to_postgresql(client, redis):
    article = ArticleFactory()
    version = caching.content_version()
    for _ in range(3):
        response = beacon(client, article.pk)
        assert response.status_code == 204
        assert not response.cookies
    # The first beacon flushed its own view and claimed the minute: the next wait.
    assert counts() == {(article.pk, 1)}
    assert sum(counting.pending().values()) == 2
    assert caching.content_version() == version  # a view never invalidates the site's cache
    redis.delete(counting.pending_key("flush-claim"))
    assert counting.flush() == 2
    assert counts() == {(article.pk, 3)}
    assert counting.pending() == {}
    beacon(client, article.pk)
    assert counting.flush() == 0  # at most once a minute
    redis.delete(counting.pending_key("flush-claim"))
    call_command("flush_reads")
    assert counts() == {(article.pk, 4)}


def test_a_flush_that_failed_is_written_by_the_next_one(redis, monkeypatch):
    article = ArticleFactory()
    counting.count(article.pk)
    real = counting.add_to_database
    monkeypatch.setattr(counting, "add_to_database", lambda counts: 1 / 0)
    assert counting.flush_if_due() == 0  # never raises
    monkeypatch.setattr(counting, "add_to_database", real)
    counting.count(article.pk)  # a new hash while the old one waits aside
    redis.delete(counting.pending_key("flush-claim"))
    assert counting.flush() == 1
    redis.delete(counting.pending_key("flush-claim"))
    assert counting.flush() == 1
    assert counts() == {(article.pk, 2)}


def test_without_redis_a_view_goes_to_postgresql_at_once(client):
    article = ArticleFactory()
    assert counting.redis_client() is None  # the tests' cache is local memory, as without REDIS_URL
    assert beacon(client, article.pk).status_code == 204
    assert beacon(client, article.pk).status_code == 204
    assert counts() == {(article.pk, 2)}
    call_command("flush_reads")  # nothing to move


def test_a_redis_that_does_not_answer_counts_in_postgresql(client, settings):
    redis_settings(settings, "redis://127.0.0.1:1/0")  # nothing listens there
    article = ArticleFactory()
    assert beacon(client, article.pk).status_code == 204
    assert counts() == {(article.pk, 1)}


@pytest.mark.parametrize("agent", BOTS)
def test_bots_are_answered_but_not_counted(client, redis, agent):
    article = ArticleFactory()
    assert beacon(client, article.pk, agent).status_code == 204
    assert counting.pending() == {}


def test_bots_are_not_counted_without_redis_either(client):
    article = ArticleFactory()
    for agent in BOTS:
        beacon(client, article.pk, agent)
    assert not HourlyReads.objects.exists()


def test_only_a_public_articles_id_is_counted(client, redis, editor):
    public = ArticleFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT)
    scheduled = ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    taken_down = ArticleFactory(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    trashed = ArticleFactory()
    trash.move_to_trash([trashed], editor)
    strict = Client(enforce_csrf_checks=True)  # the beacon carries no token
    for body in [draft.pk, scheduled.pk, taken_down.pk, trashed.pk, 999999999, "", "abc", "-1", "1.5", "١٢",
                 "9" * 25, f"{public.pk} {public.pk}", "\x00"]:
        response = beacon(strict, body)
        assert response.status_code == 400, body
        assert not response.cookies
    assert beacon(strict, "1" * 40).status_code == 413
    assert strict.get("/_doc/").status_code == 405
    assert strict.put("/_doc/", data=str(public.pk)).status_code == 405
    assert counting.pending() == {} and not HourlyReads.objects.exists()
    assert beacon(strict, f" {public.pk}\n").status_code == 204
    assert counts() == {(public.pk, 1)}  # counted, and flushed by its own request


def test_bodies_that_are_not_text_are_refused_without_error(client):
    article = ArticleFactory()
    response = client.post("/_doc/", data=b"\xff\xfe" + str(article.pk).encode(), content_type="application/octet-stream")
    assert response.status_code == 400
    response = client.post("/_doc/", data={"id": article.pk})  # a form, as a forged page might send
    assert response.status_code == 413 or response.status_code == 400


def hours_ago(hours):
    return NOW - datetime.timedelta(hours=hours)


def read(article, hours, views):
    HourlyReads.objects.create(article=article, hour=datetime.datetime.fromtimestamp(
        counting.hour_of(hours_ago(hours)), datetime.timezone.utc), count=views)


def titles(links):
    return [link.name for link in links]


def test_the_lists_rank_public_articles_by_the_views_of_each_window():
    published = NOW - datetime.timedelta(days=10)
    a, b, c, d, e, f = (ArticleFactory(title=t, published_at=published) for t in "ABCDEF")
    ArticleFactory(title="Nháp", status=Article.Status.DRAFT, published_at=published)
    read(a, 30, 10)  # yesterday: the week only
    read(b, 2, 3)
    read(c, 1, 5)
    read(c, 24 * 5, 1)
    read(d, 24 * 8, 50)  # more than a week ago: neither
    read(e, 0, 2)  # this hour counts
    read(f, 23, 1)  # the 24th hour back is still "24 giờ qua"
    read(f, 24, 40)  # the 25th is not
    draft = Article.objects.get(title="Nháp")
    read(draft, 1, 100)  # never public
    lists = ranking.lists(NOW)
    assert titles(lists.day) == ["C", "B", "E", "F"]
    assert titles(lists.week) == ["F", "A", "C", "B", "E"]
    assert lists.day[0].url == c.get_absolute_url()


def test_the_lists_add_what_redis_still_holds_and_keep_ties_newest_first(redis):
    older = ArticleFactory(title="Cũ", published_at=NOW - datetime.timedelta(days=3))
    newer = ArticleFactory(title="Mới", published_at=NOW - datetime.timedelta(days=2))
    read(older, 3, 2)
    counting.count(newer.pk, now=hours_ago(1))
    counting.count(newer.pk, now=hours_ago(0))
    assert titles(ranking.lists(NOW).day) == ["Mới", "Cũ"]


def test_the_lists_leave_at_most_six_articles_out_per_list():
    published = NOW - datetime.timedelta(days=10)
    for n in range(8):
        read(ArticleFactory(title=f"Bài {n}", published_at=published), 1, n + 1)
    assert titles(ranking.lists(NOW).day) == ["Bài 7", "Bài 6", "Bài 5", "Bài 4", "Bài 3"]


def test_the_pages_show_the_lists_kept_at_most_a_minute(client, monkeypatch):
    clock = time.time
    article = ArticleFactory(title="Bài được đọc nhiều")
    other = ArticleFactory(title="Bài đọc sau")
    counting.count(article.pk)
    home = client.get("/").content.decode()
    assert "Đọc nhiều" in home and 'data-window="day"><li><a href="' + article.get_absolute_url() in home
    page = client.get(other.get_absolute_url()).content.decode()
    assert f'data-article="{other.pk}" data-endpoint="/_doc/"' in page
    assert "Bài được đọc nhiều</a></li></ol>" in page
    for _ in range(3):
        counting.count(other.pk)
    assert client.get("/").content.decode().count("Bài đọc sau</a></li>") == 0  # still the kept list
    monkeypatch.setattr(time, "time", lambda: clock() + 61)
    home = client.get("/").content.decode()
    assert 'data-window="day"><li><a href="' + other.get_absolute_url() in home


def test_a_page_showing_the_lists_is_kept_no_longer_than_they_are(client, settings, monkeypatch):
    settings.ANTD = {**settings.ANTD, "PAGE_CACHE_SECONDS": 600}
    clock = time.time
    first, later = ArticleFactory(title="Thứ nhất"), ArticleFactory(title="Bài khác")
    counting.count(first.pk)
    assert "Thứ nhất</a></li>" in client.get("/").content.decode()
    version = caching.content_version()
    for _ in range(5):
        counting.count(later.pk)
    assert caching.content_version() == version
    assert "Bài khác</a></li>" not in client.get("/").content.decode()  # the kept page
    monkeypatch.setattr(time, "time", lambda: clock() + 61)
    home = client.get("/").content.decode()
    assert 'data-window="day"><li><a href="' + later.get_absolute_url() in home


def test_staff_and_non_public_pages_send_no_beacon(client, editor):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    public = ArticleFactory()
    client.force_login(editor)
    assert "reads.js" not in client.get(public.get_absolute_url()).content.decode()
    assert "reads.js" not in client.get(f"/xem-truoc/{draft.pk}/").content.decode()
    client.logout()
    assert "reads.js" in client.get(public.get_absolute_url()).content.decode()


def test_the_kept_lists_survive_a_change_of_content_and_drop_what_the_clock_takes_down(django_assert_num_queries):
    leaving = ArticleFactory(title="Sắp gỡ", expires_at=timezone.now() + datetime.timedelta(seconds=30))
    staying = ArticleFactory(title="Còn lại")
    counting.count(leaving.pk)
    counting.count(leaving.pk)
    counting.count(staying.pk)
    assert titles(ranking.most_read().day) == ["Sắp gỡ", "Còn lại"]
    with transaction.atomic():
        caching.changed()  # an edit anywhere: the counts are not read again
    with django_assert_num_queries(0):
        assert titles(ranking.most_read(timezone.now() + datetime.timedelta(seconds=31)).day) == ["Còn lại"]


# Purging what no list reads any more ------------------------------------------


def test_a_flush_deletes_the_hours_older_than_the_lists_need(redis):
    article = ArticleFactory(published_at=NOW - datetime.timedelta(days=40))
    kept_hours, old_hours = [0, 7 * 24 - 1, counting.KEPT_DAYS * 24], [counting.KEPT_DAYS * 24 + 1, 24 * 30]
    for hours in kept_hours + old_hours:
        read(article, hours, 1)
    lists = ranking.lists(NOW)
    assert counting.flush(NOW) == 0  # nothing pending in Redis, and yet the old rows go
    remaining = sorted(HourlyReads.objects.values_list("hour", flat=True), reverse=True)
    assert remaining == [hours_ago(hours).replace(minute=0) for hours in kept_hours]
    assert ranking.lists(NOW) == lists  # the 7-day list read nothing of what was deleted


def test_flush_reads_purge_deletes_old_hours_without_redis():
    article = ArticleFactory()
    now = timezone.now()
    for days, views in [(0, 1), (7, 2), (9, 3), (60, 4)]:
        HourlyReads.objects.create(article=article, hour=datetime.datetime.fromtimestamp(
            counting.hour_of(now - datetime.timedelta(days=days)), datetime.timezone.utc), count=views)
    out = io.StringIO()
    call_command("flush_reads", stdout=out)
    assert HourlyReads.objects.count() == 4  # without Redis no flush runs, and without --purge nothing goes
    call_command("flush_reads", "--purge", stdout=out)
    assert sorted(HourlyReads.objects.values_list("count", flat=True)) == [1, 2]
    assert "Đã xóa 2 dòng lượt đọc theo giờ cũ hơn 8 ngày." in out.getvalue()


def test_the_purge_is_a_range_of_the_hour_index():
    # Tiny test tables are scanned whole; the planner is asked what it can use.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN DELETE FROM articles_hourlyreads WHERE hour < now() - interval '8 days'")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "hourlyreads_by_hour" in plan, plan
