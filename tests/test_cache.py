import datetime
import hashlib
import os
import subprocess
import sys
import uuid
from contextlib import suppress
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from antd_site import routers
from antd_site.routers import PublicReads, ReplicaRouter, use_replica
from articles import caching
from articles.caching import store
from articles.caching import version as content_cache
from articles.models import Article
from tests.conftest import with_fragments
from tests.factories import ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def page_cache(settings):
    settings.ANTD = {**settings.ANTD, "PAGE_CACHE_SECONDS": 600}


def body(response):
    return response.content.decode()


def test_a_cached_page_costs_no_query(client, page_cache, django_assert_num_queries):
    ArticleFactory(title="Tin đã lưu đệm")
    assert "Tin đã lưu đệm" in body(client.get("/"))
    with django_assert_num_queries(0):
        assert "Tin đã lưu đệm" in body(client.get("/"))


def test_publishing_editing_and_unpublishing_invalidate_cached_pages(client, page_cache):
    article = ArticleFactory(title="Bản đầu", status=Article.Status.DRAFT)
    assert "Bản đầu" not in body(client.get("/"))

    article.status = Article.Status.PUBLISHED
    article.save()
    assert "Bản đầu" in body(client.get("/"))
    url = article.get_absolute_url()
    assert "Bản đầu" in body(client.get(url))
    assert "Bản đầu" in body(client.get("/rss/"))

    article.title = "Bản đã sửa"
    article.save()
    assert "Bản đã sửa" in body(client.get(url))
    assert "Bản đã sửa" in body(client.get("/rss/"))

    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(url).status_code == 404
    assert "Bản đã sửa" not in body(client.get("/"))
    assert "Bản đã sửa" not in body(client.get("/sitemap-articles.xml"))


@pytest.mark.parametrize("url", ["/rss/", "/sitemap-articles.xml", "/sitemap-news.xml"])
def test_feeds_and_sitemaps_are_kept_per_content_version_without_the_page_cache(
    client, url, django_assert_num_queries
):
    ArticleFactory(title="Tin thứ nhất", published_at=timezone.now() - datetime.timedelta(hours=1))
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]

    article = ArticleFactory(title="Tin thứ hai", published_at=timezone.now() - datetime.timedelta(minutes=5))
    assert article.get_absolute_url() not in body(first)
    assert article.get_absolute_url() in body(client.get(url))


def test_the_sitemap_index_is_kept_per_content_version(client, django_assert_num_queries):
    ArticleFactory()
    first = client.get("/sitemap.xml")
    with django_assert_num_queries(0):
        assert client.get("/sitemap.xml").content == first.content
    content_cache.bump()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200
    assert queries  # made again from the database


def test_an_article_read_again_costs_no_query_and_follows_every_change(client, django_assert_num_queries):
    article = ArticleFactory(title="Bài đọc lại", published_at=timezone.now() - datetime.timedelta(hours=1))
    url = article.get_absolute_url()
    assert "Bài đọc lại" in body(client.get(url))
    with django_assert_num_queries(0):  # the whole-page cache is off: fragments only
        assert "Bài đọc lại" in body(client.get(url))

    article.title = "Bài đã sửa lại"
    article.save()
    assert "Bài đã sửa lại" in body(client.get(url))

    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(url).status_code == 404


def test_a_made_up_query_string_does_not_make_a_new_cache_entry(client):
    ArticleFactory()
    client.get("/rss/")
    keys = len(cache._cache)
    for n in range(5):
        assert client.get(f"/rss/?x={n}").status_code == 200
    assert len(cache._cache) == keys


def test_a_scheduled_article_appears_when_its_time_comes(client, page_cache, monkeypatch):
    scheduled = ArticleFactory(title="Tin hẹn giờ", published_at=timezone.now() + datetime.timedelta(hours=1))
    assert "Tin hẹn giờ" not in body(client.get("/"))
    # Its hour comes: nothing is saved, so only the version's expiry can tell.
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))
    later = content_cache.time.time() + 3601
    monkeypatch.setattr(content_cache.time, "time", lambda: later)
    assert "Tin hẹn giờ" in body(client.get("/"))


def test_staff_are_never_served_from_or_into_the_cache(client, page_cache):
    draft = ArticleFactory(title="Bản nháp của tòa soạn", status=Article.Status.DRAFT, published_at=timezone.now())
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_public_pages_can_be_held_by_a_cdn_and_revalidated(client):
    ArticleFactory()
    response = client.get("/")
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert response["ETag"]
    assert client.get("/", headers={"if-none-match": response["ETag"]}).status_code == 304


@pytest.mark.parametrize("kept", [False, True])
def test_a_pages_etag_is_the_sha256_of_its_body_made_or_kept(client, settings, kept):
    """SHA-256, not Django's MD5: under half the time on a 120 KB page (antd_site/middleware.py)."""
    settings.ANTD = {**settings.ANTD, "PAGE_CACHE_SECONDS": 600 if kept else 0}
    ArticleFactory(title="Tin có ETag")
    for _ in range(2):  # made, then made again or read back from the page cache
        response = client.get("/")
        assert response["ETag"] == f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        assert client.get("/", headers={"if-none-match": response["ETag"]}).status_code == 304


def test_admin_is_never_cached(admin_client):
    response = admin_client.get("/admin/articles/article/")
    assert "no-store" in response["Cache-Control"]


def test_the_site_works_when_redis_does_not_answer(client, settings, page_cache):
    settings.CACHES = with_fragments({
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }, "no-redis")
    ArticleFactory(title="Vẫn đọc được")
    for _ in range(2):
        response = client.get("/")
        assert response.status_code == 200
        assert "Vẫn đọc được" in body(response)


def use_real_redis(settings):
    """The shared cache in the machine's Redis, under keys of this test's own."""
    settings.CACHES = with_fragments({
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": {"IGNORE_EXCEPTIONS": False},
        }
    }, uuid.uuid4().hex)


def test_pages_are_cached_in_the_real_redis(client, settings, page_cache, django_assert_num_queries):
    use_real_redis(settings)
    article = ArticleFactory(title="Trong Redis")
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        assert "Trong Redis" in body(client.get(article.get_absolute_url()))
    assert cache.get(content_cache.VERSION_KEY)["n"] > 0
    article.title = "Redis đã quên"
    article.save()
    assert "Redis đã quên" in body(client.get(article.get_absolute_url()))


def test_a_cold_page_writes_back_what_it_read_in_one_round_trip(client, settings, monkeypatch, django_assert_num_queries):
    """The first reader of a cold article page misses several values: they go to Redis
    together at the end of the request (local_first_cache.batched_writes), and another
    worker then finds every one of them there."""
    from django.core.cache import caches
    from django_redis.cache import RedisCache

    use_real_redis(settings)
    article = ArticleFactory(title="Ghi một lần")
    singles, batches = [], []
    original_set, original_set_many = RedisCache.set, RedisCache.set_many
    monkeypatch.setattr(RedisCache, "set", lambda self, key, *a, **k: singles.append(key) or original_set(self, key, *a, **k))
    monkeypatch.setattr(RedisCache, "set_many", lambda self, data, *a, **k: batches.append(len(data)) or original_set_many(self, data, *a, **k))

    assert "Ghi một lần" in body(client.get(article.get_absolute_url()))
    assert [key for key in singles if key != content_cache.VERSION_KEY] == []  # no value written on its own
    assert batches and sum(batches) >= 3 and len(batches) <= 2  # one call per timeout, two at most

    caches["fragments"]._local.clear()  # another worker: its memory empty, Redis shared
    with django_assert_num_queries(0):
        assert "Ghi một lần" in body(client.get(article.get_absolute_url()))


def names_read_cold_then_warm(client, monkeypatch, django_assert_num_queries, url):
    """The names of the values a cold page read from Redis (store.key's
    antd:<version>:<release>:<name>:<digest>, a fragment's name "html:<its name>"),
    and its HTML; then the page is asked again as another worker would (its memory
    empty, Redis shared), which must make the same page without a query."""
    from django.core.cache import caches
    from django_redis.cache import RedisCache

    read = []
    original_get = RedisCache.get
    monkeypatch.setattr(RedisCache, "get", lambda self, key, *a, **k: read.append(key) or original_get(self, key, *a, **k))
    first = body(client.get(url))
    names = [key.split(":", 3)[3].rsplit(":", 1)[0] for key in read if key.count(":") >= 4]
    caches["fragments"]._local.clear()
    with django_assert_num_queries(0):
        assert body(client.get(url)) == first
    return names, first


def test_a_section_page_is_one_value_in_the_cache(client, settings, monkeypatch, django_assert_num_queries):
    """A tag's, category's or author's page keeps its section, its page and its
    listing's HTML as one value (views/listings.section_page): cold, the page
    reads the cache once for them, not three times; another worker reads that one
    value and makes the same page without a query."""
    from tests.factories import TagFactory

    use_real_redis(settings)
    tag = TagFactory(name="Một lần đọc")
    ArticleFactory(title="Bài của thẻ", tags=[tag])
    names, page = names_read_cold_then_warm(
        client, monkeypatch, django_assert_num_queries, tag.get_absolute_url())
    assert "Bài của thẻ" in page
    assert names.count("articles.views.listings.section_page") == 1
    assert not {"articles.queries.tag", "articles.queries.tag_page", "html:listing"} & set(names)


def test_a_period_page_is_one_value_in_the_cache(client, settings, monkeypatch, django_assert_num_queries):
    """A day's page keeps its page, its listing's HTML and the days around it as one
    value (views/archives.period_view): cold, it reads the cache once, where it read
    its page, its neighbours and its listing's fragment; another worker reads that
    one value and makes the same page without a query."""
    from articles.models import HANOI
    from articles.paths import archive_path

    use_real_redis(settings)
    ArticleFactory(title="Bài của ngày", published_at=datetime.datetime(2017, 2, 15, 17, 30, tzinfo=HANOI))
    ArticleFactory(title="Bài hôm trước", published_at=datetime.datetime(2017, 2, 10, 8, tzinfo=HANOI))
    names, page = names_read_cold_then_warm(
        client, monkeypatch, django_assert_num_queries, archive_path(datetime.date(2017, 2, 15)))
    assert "Bài của ngày" in page and "Bài hôm trước" not in page
    assert 'rel="prev" href="/2017/02/10/"' in page
    assert names.count("articles.views.archives.period_view") == 1
    assert not {"articles.queries.period_page", "articles.queries.adjacent_periods", "html:listing"} & set(names)


def test_a_worker_keeps_its_values_as_they_are_and_only_so_many(monkeypatch):
    """local_first_cache keeps the site's immutable values unpickled (a warm page
    reads them back without copying), its most recently read MAX_ENTRIES of them,
    each until its expiry (a moment, as Django's caches keep it)."""
    from antd_site import local_first_cache

    kept = local_first_cache._Kept(max_entries=2)
    page = ("thẻ", ("bài một", "bài hai"))
    kept.set("a", page, None)
    assert kept.get("a") is page
    kept.set("b", "hai", None)
    kept.get("a")  # read again: now "b" is the least recently read
    kept.set("c", "ba", None)
    assert [key for key, _ in kept.items()] == ["a", "c"]
    now = [1000.0]
    monkeypatch.setattr(local_first_cache.time, "time", lambda: now[0])
    kept.set("brief", "một phút", now[0] + 60)
    now[0] += 59
    assert kept.get("brief") == "một phút"
    now[0] += 1
    assert kept.get("brief") is local_first_cache._MISSING


def test_an_article_found_at_its_address_is_read_once_for_its_page(django_assert_num_queries):
    """public_story reads the whole story, body included, in one statement: the
    page made of it (views/article.public_page) reads nothing more of the article."""
    from articles import queries
    from articles.views.article import public_page

    article = ArticleFactory(title="Đọc một lần", body="<p>Thân bài đọc một lần.</p>")
    caching.content_version()  # the new version's end is read once, before
    with django_assert_num_queries(1):
        story, body = queries.public_story(article.local_date, article.slug)
    assert story.title == "Đọc một lần" and body.text == "Thân bài đọc một lần."
    with django_assert_num_queries(1):  # the same statement, its related articles in it
        kept_story, html, json_ld = public_page(article.local_date, article.slug, "https://antd.example")
    assert kept_story == story and "Thân bài đọc một lần." in html
    assert '"articleBody": "Thân bài đọc một lần."' in json_ld and "https://antd.example/20" in json_ld


def test_an_article_page_is_one_value_in_the_cache(client, settings, monkeypatch, django_assert_num_queries):
    """A reader's article page keeps its story, the story's HTML and its JSON-LD as
    one value (views/article.public_page): cold, the page reads the cache once for
    them, where it read the story, its HTML and its body (for the JSON-LD); another
    worker reads that one value and makes the same page without a query."""
    use_real_redis(settings)
    article = ArticleFactory(title="Bài đọc một lần", body="<p>Lời bài.</p>")
    names, page = names_read_cold_then_warm(client, monkeypatch, django_assert_num_queries, article.get_absolute_url())
    assert "Bài đọc một lần" in page and '"articleBody": "Lời bài."' in page
    assert names.count("articles.views.article.public_page") == 1
    assert not {
        "articles.queries.public_story", "articles.views.article.story_html", "articles.queries.full_story",
    } & set(names)


def test_fragments_follow_the_content_version():
    calls = []
    compute = caching.cached(lambda: calls.append(1) or ["khối"])
    assert compute() == ["khối"]
    assert compute() == ["khối"]
    assert len(calls) == 1
    ArticleFactory()  # any change readers could see
    compute()
    assert len(calls) == 2


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_router_reads_from_the_replica_for_anonymous_readers_only(settings, monkeypatch):
    router = ReplicaRouter()
    settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}
    monkeypatch.setattr(routers, "replica_ready", lambda: True)  # up and caught up (test_streaming_replica.py)
    assert router.db_for_read(Article) == "default"
    token = use_replica.set(PublicReads())
    try:
        assert router.db_for_read(Article) == "replica"
        assert router.db_for_write(Article) == "default"
    finally:
        use_replica.reset(token)
    assert not router.allow_migrate("replica", "articles")


REPLICA_SCRIPT = """
import django
django.setup()
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import get_user_model
from articles.caching import version
version.current()  # made from the primary, as after any change
client = Client()
with CaptureQueriesContext(connections["replica"]) as replica, CaptureQueriesContext(connections["default"]) as default:
    assert client.get("/").status_code == 200
print("anonymous", len(replica), len(default))
user = get_user_model().objects.create(username="router-check", is_staff=True, is_superuser=True)
client.force_login(user)
with CaptureQueriesContext(connections["replica"]) as replica, CaptureQueriesContext(connections["default"]) as default:
    assert client.get("/admin/articles/article/").status_code == 200  # what only staff read
print("staff", len(replica), len(default))
user.delete()
"""


def test_a_second_database_alias_takes_the_anonymous_reads(live_server):
    """A real second alias (pointing at the same test database, as a replica
    would mirror it), in a process configured by DATABASE_REPLICA_URL."""
    from django.db import connection

    params = connection.settings_dict
    url = f"postgres://{params['USER']}@{params['HOST'].replace('/', '%2F')}:{params['PORT'] or 5432}/{params['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_REPLICA_URL": url, "DJANGO_SETTINGS_MODULE": "antd_site.settings"}
    env.pop("ANTD_PROCESS", None)
    out = subprocess.run([sys.executable, "-c", REPLICA_SCRIPT], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    counts = {line.split()[0]: tuple(map(int, line.split()[1:])) for line in out.stdout.splitlines() if line.strip()}
    replica_reads, default_reads = counts["anonymous"]
    assert replica_reads > 0 and default_reads == 0
    replica_reads, default_reads = counts["staff"]
    assert replica_reads == 0 and default_reads > 0


def test_the_page_cache_keeps_only_pages_for_everyone():
    from django.http import HttpResponse, StreamingHttpResponse
    from django.utils.cache import add_never_cache_headers

    storable = store.storable
    assert storable(HttpResponse("trang chung"))
    private = HttpResponse("của riêng")
    add_never_cache_headers(private)
    assert not storable(private)
    with_cookie = HttpResponse("có cookie")
    with_cookie.set_cookie("sessionid", "x")
    assert not storable(with_cookie)
    assert not storable(HttpResponse("không thấy", status=404))
    assert not storable(StreamingHttpResponse(iter([b"a"])))


def test_fragments_are_kept_in_the_process_in_front_of_the_shared_cache(settings):
    from django.core.cache import caches

    fragments, shared = caches["fragments"], caches["default"]
    shared.set("khoa-chung", "giá trị từ Redis")
    assert fragments.get("khoa-chung") == "giá trị từ Redis"
    shared.delete("khoa-chung")  # the shared copy is gone; this process still has its own
    assert fragments.get("khoa-chung") == "giá trị từ Redis"

    fragments.set("khoa-moi", ["khối"], 60)
    assert shared.get("khoa-moi") == ["khối"]  # written through, for the other processes
    fragments.delete("khoa-moi")
    assert fragments.get("khoa-moi") is None and shared.get("khoa-moi") is None
    assert fragments.get("khong-co", "mặc định") == "mặc định"


def test_many_values_are_read_from_the_process_then_from_the_shared_cache_in_one_call(monkeypatch):
    from django.core.cache import caches

    fragments, shared = caches["fragments"], caches["default"]
    fragments.set("nhieu-1", "trong tiến trình", 60)
    shared.set("nhieu-2", "chỉ ở Redis")
    calls = []
    original = type(shared).get_many
    monkeypatch.setattr(
        type(shared), "get_many", lambda self, keys, *a: calls.append(list(keys)) or original(self, keys, *a),
    )
    found = fragments.get_many(["nhieu-1", "nhieu-2", "nhieu-3"])
    assert found == {"nhieu-1": "trong tiến trình", "nhieu-2": "chỉ ở Redis"}
    assert calls == [["nhieu-2", "nhieu-3"]]  # what this process has is not asked for
    shared.delete("nhieu-2")
    assert fragments.get_many(["nhieu-2"]) == {"nhieu-2": "chỉ ở Redis"}  # kept here once read
    assert len(calls) == 1


def test_a_cold_article_page_reads_its_related_cards_in_its_one_statement(client):
    """An article page reads its story, its neighbours and the cards of "Tin liên
    quan" (photos included) in one prepared statement: no second statement, no
    cache round trip for cards."""
    from tests.factories import PhotoFactory, TagFactory

    tag, other = TagFactory(name="Phòng cháy"), TagFactory(name="Cứu hộ")
    articles = [
        ArticleFactory(title=f"Bài số {n}", tags=[tag, other] if n == 1 else [tag],
                       published_at=timezone.now() - datetime.timedelta(days=10 - n))
        for n in range(4)
    ]
    PhotoFactory(article=articles[0], caption="Ảnh của bài số 0")
    caching.changed()
    assert "Bài số 2" in body(client.get(articles[3].get_absolute_url()))  # the site's own reads, kept
    with CaptureQueriesContext(connection) as read:
        page = body(client.get(articles[2].get_absolute_url()))
    statements = [q["sql"] for q in read.captured_queries]
    assert len(statements) == 1 and statements[0].startswith("EXECUTE antd_story("), statements
    related = page[page.index('class="related"'):]
    # Newest first, the article itself left out, one card for an article of two shared tags.
    assert [related.index(f"Bài số {n}") for n in (3, 1, 0)] == sorted(related.index(f"Bài số {n}") for n in (3, 1, 0))
    assert related.count("Bài số 1<") == 1 and "Bài số 2<" not in related
    assert articles[0].photos.get().image.name.rsplit(".", 1)[0].rsplit("/", 1)[-1] in related  # its card photo


def test_a_change_made_by_another_process_is_seen_within_a_second(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(content_cache.time, "monotonic", lambda: clock[0])
    before = content_cache.content_version()
    # Another worker publishes: it writes a new version to the shared cache only.
    newer = {**cache.get(content_cache.VERSION_KEY), "n": before + 1}
    cache.set(content_cache.VERSION_KEY, newer)
    clock[0] += 0.5
    assert content_cache.content_version() == before  # this process read it half a second ago
    clock[0] += content_cache.VERSION_LOCAL_SECONDS
    assert content_cache.content_version() == before + 1
    ArticleFactory()  # a change made here is seen here at once
    assert content_cache.content_version() not in (before, before + 1)


@pytest.mark.django_db(transaction=True)
def test_the_process_that_publishes_makes_the_next_version(client, monkeypatch, django_capture_on_commit_callbacks):
    """Readers after a publication find its version made: no worker's first page
    asks for the next scheduled article. One renewal a commit, for all its signals."""
    asked = []
    next_change = content_cache.publication.next_change
    monkeypatch.setattr(content_cache.publication, "next_change", lambda *a, **k: asked.append(1) or next_change(*a, **k))
    article = ArticleFactory(tags=[TagFactory(name="Giao thông")])
    assert client.get(article.get_absolute_url()).status_code == 200
    before = cache.get(content_cache.VERSION_KEY)["n"]
    asked.clear()
    with transaction.atomic(), django_capture_on_commit_callbacks() as callbacks:  # committed for real
        article.title = "Phân luồng giao thông dịp Tết"
        article.save()
        article.tags.add(TagFactory(name="Tết"))
    assert [callback for callback in callbacks if callback is content_cache.renew] == [content_cache.renew]
    made = cache.get(content_cache.VERSION_KEY)
    assert made["n"] > before and asked == [1]
    asked.clear()
    content_cache.forget_local_version()  # as another worker, or this one a second later
    assert "Phân luồng giao thông dịp Tết" in client.get(article.get_absolute_url()).content.decode()
    assert asked == [] and cache.get(content_cache.VERSION_KEY) == made


def test_a_renewal_undone_with_its_savepoint_leaves_the_next_change_its_own(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            with suppress(IntegrityError), transaction.atomic():
                caching.changed()
                raise IntegrityError("the savepoint goes, and its renewal with it")
            caching.changed()
    assert callbacks == [content_cache.renew]


def test_a_renewal_with_the_database_away_leaves_the_version_to_the_first_reader(monkeypatch):
    assert content_cache.content_version()
    def away(*args, **kwargs):
        raise OperationalError("the server closed the connection")
    monkeypatch.setattr(content_cache.publication, "next_change", away)
    content_cache.renew()
    assert cache.get(content_cache.VERSION_KEY) is None
    monkeypatch.undo()
    assert content_cache.content_version() and cache.get(content_cache.VERSION_KEY)


def test_a_release_never_reads_what_another_release_kept(monkeypatch):
    """After a deploy, values, fragments and pages kept by the code before it (whose
    shape or markup may differ) are not read, even within the same content version."""
    calls = []
    compute = caching.cached(lambda: calls.append(1) or len(calls))
    assert compute() == 1 and compute() == 1
    monkeypatch.setattr(store, "RELEASE", "the-next-release")
    assert compute() == 2
    assert store.RELEASE in store.key(1, "name")
