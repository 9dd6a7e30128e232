"""A real streaming replica: a PostgreSQL primary and its hot standby, owned by this module.

The module initialises a private primary (antd_site.localdb.PrivateCluster, in a
temporary folder under <repo>/var, on free TCP ports of 127.0.0.1, binaries of one
version), makes a second cluster its standby with `pg_basebackup -R`, and starts it
with hot_standby on. manage.py migrates the primary; the standby follows by
streaming. The site then runs in a child process with the settings' own variables,
DATABASE_URL at the primary and DATABASE_REPLICA_URL at the standby, so that
pytest-django's test database is never involved.

Which server answered is not guessed: the child is the WSGI application behind
wsgiref, wrapped so that each answer says in X-Statements how many statements each
server ran for it, by the port of the connection that ran them. The router's own
checks (a health check, the standby's replay position) are not statements of the
page and are not counted.

Reads that are kept per content version are not read again, so a request meant to
reach the database searches for words never searched before (probe()).

Teardown always stops the child (by its pid) and both clusters, and removes the folder.
"""
import json
import select
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, closing
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest

from antd_site import localdb, routers
from tests.test_outage import clean_env, field, free_port, get, manage, post, read_form, replaced, uncached

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var"
EDITOR, PASSWORD = "bientap-replica", "Mat-khau-ban-sao-2017!"
DEADLINE = 20.0  # seconds any awaited state may take; it usually takes milliseconds
# Articles of the module, each with a word of its own to search for.
READ_TITLE = "Hà Nội mở thêm tuyến xe buýt điện Kiêu Kỵ"
DRAFT_TITLE = "Công an phường Ô Chợ Dừa ra mắt tổ Quỳnh Lôi"

SETUP_CONTENT = f"""
import datetime
from django.contrib.auth import get_user_model
from django.utils import timezone
from articles.models import Article, Category
get_user_model().objects.create_superuser({EDITOR!r}, "bbt@antd.vn", {PASSWORD!r})
category = Category.objects.create(name="Thời sự")
def article(title, status):
    return Article.objects.create(
        title=title, lead="Sapo của bài thử nghiệm bản sao.", body="<p>Nội dung của bài thử nghiệm.</p>",
        category=category, status=status, published_at=timezone.now() - datetime.timedelta(hours=1),
    )
read = article({READ_TITLE!r}, Article.Status.PUBLISHED)
draft = article({DRAFT_TITLE!r}, Article.Status.DRAFT)
print("READ", read.pk, read.get_absolute_url())
print("DRAFT", draft.pk, draft.get_absolute_url())
"""

# The site as gunicorn would run it (antd_site.wsgi), behind wsgiref, one request at a time.
SERVER = """
import json, sys
from contextlib import ExitStack
from wsgiref.simple_server import WSGIRequestHandler, make_server

from antd_site.wsgi import application
from django.db import connections


def counted(environ, start_response):
    statements = {}

    def count(execute, sql, params, many, context):
        port = str(context["connection"].connection.info.port)
        statements[port] = statements.get(port, 0) + 1
        return execute(sql, params, many, context)

    def respond(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Statements", json.dumps(statements))], exc_info)

    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(count))
        return application(environ, respond)


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass  # the site logs one line per request itself


# Connected once before serving: psycopg2's type lookups on a first connection
# (django.contrib.postgres) are then done, and what is counted is what pages ask.
for alias in connections:
    connections[alias].ensure_connection()
server = make_server("127.0.0.1", 0, counted, handler_class=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
"""


def query(cluster, sql, params=()):
    """One statement on a cluster, in a connection of its own (on the standby: what it has replayed)."""
    with closing(psycopg2.connect(host=cluster.host, port=cluster.port, user="postgres", dbname=localdb.DB_NAME,
                                  connect_timeout=5)) as conn:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()


def await_state(what, check, deadline=DEADLINE):
    """Ask again until check() is true, for at most `deadline` seconds: no fixed wait."""
    end = time.monotonic() + deadline
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > end:
            pytest.fail(f"{what}: not within {deadline:g} s")
        time.sleep(0.05)


class Pair:
    """The primary, its standby, and the site reading from both."""

    def __init__(self, root):
        self.root = root
        bindir = localdb.postgres_bindir()
        self.primary = localdb.PrivateCluster(
            root=root / "primary", port=free_port(), listen="127.0.0.1", bindir=bindir,
            settings={"wal_level": "replica", "max_wal_senders": 4, "fsync": "off"},
        )
        self.standby = localdb.PrivateCluster(
            root=root / "standby", port=free_port(), listen="127.0.0.1", bindir=bindir,
            settings={"hot_standby": "on", "fsync": "off"},
        )
        self.process = None
        self.port = None
        self.cookies = None

    def prepare(self, stack):
        for cluster in (self.primary, self.standby):  # the standby is stopped first
            stack.callback(cluster.stop, mode="immediate")  # a no-op for a cluster not running
        self.primary.start()
        localdb.ensure_database(self.primary.host, self.primary.port)
        self.standby.follow(self.primary)
        self.standby.start()
        (self.root / "media").mkdir()
        self.env = clean_env(
            DATABASE_URL=localdb.url_for(self.primary.host, self.primary.port),
            DATABASE_REPLICA_URL=localdb.url_for(self.standby.host, self.standby.port),
            MEDIA_ROOT=str(self.root / "media"),
            DJANGO_SETTINGS_MODULE="antd_site.settings",
        )
        manage(self.env, "migrate", "--noinput")  # on the primary; the standby streams it
        output = manage(self.env, "shell", "-c", SETUP_CONTENT)
        found = {line.split()[0]: line.split()[1:] for line in output.splitlines() if line[:5] in ("READ ", "DRAFT")}
        (self.read_pk, self.read_url), (self.draft_pk, self.draft_url) = found["READ"], found["DRAFT"]
        self.await_replay()
        self.start_site(stack)

    def start_site(self, stack):
        self.log_path = self.root / "site.log"
        log = stack.enter_context(open(self.log_path, "wb"))
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER], cwd=REPO, env=self.env, stdout=subprocess.PIPE, stderr=log,
        )
        stack.callback(self.stop_site)
        ready, _, _ = select.select([self.process.stdout], [], [], 30)
        line = self.process.stdout.readline() if ready else b""
        if not line.strip().isdigit():
            pytest.fail(f"the site did not start:\n{self.log()}")
        self.port = int(line)

    def stop_site(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.process.stdout.close()

    def log(self):
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    # --- the standby -----------------------------------------------------------------------

    def replayed_all(self):
        """Has the standby replayed everything the primary has flushed?"""
        (flushed,) = query(self.primary, "SELECT pg_current_wal_flush_lsn()")
        return query(self.standby, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [flushed])[0]

    def await_replay(self):
        await_state("the standby replays the primary", self.replayed_all)

    def pause_replay(self):
        query(self.standby, "SELECT pg_wal_replay_pause()")
        state = "SELECT pg_get_wal_replay_pause_state()"
        await_state("replay paused", lambda: query(self.standby, state) == ("paused",))

    def resume_replay(self):
        query(self.standby, "SELECT pg_wal_replay_resume()")

    def healthy(self):
        """Every test starts and ends with the standby up and replaying."""
        if not self.standby.running():
            self.standby.start()
        self.resume_replay()
        self.await_replay()

    # --- readers and editors -----------------------------------------------------------------

    def served_by(self, response):
        """(statements on the primary, statements on the standby) for one answer."""
        counts = json.loads(response.header("X-Statements"))
        assert set(counts) <= {str(self.primary.port), str(self.standby.port)}, counts
        return counts.get(str(self.primary.port), 0), counts.get(str(self.standby.port), 0)

    def staff(self):
        if self.cookies is None:
            cookies = {}
            page = get(self, "/admin/login/?next=/admin/", cookies=cookies)
            token = field(read_form(page.text, "login-form"), "csrfmiddlewaretoken")
            response = post(self, "/admin/login/", {
                "csrfmiddlewaretoken": token, "username": EDITOR, "password": PASSWORD, "next": "/admin/",
            }, cookies)
            assert response.status == 302, f"login: {response.status}\n{response.text[:1000]}"
            self.cookies = cookies
        return self.cookies


@pytest.fixture(scope="module")
def cluster_pair():
    VAR.mkdir(exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="test-replica-", dir=VAR))
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, root, ignore_errors=True)
        pair = Pair(root)
        pair.prepare(stack)  # what it started is stopped by the stack, even when a step fails
        yield pair


@pytest.fixture
def pair(cluster_pair):
    cluster_pair.healthy()
    yield cluster_pair
    cluster_pair.healthy()


def probe(pair, cookies=None, words=None):
    """A search nobody made before: its results are not kept yet, so it reads the database."""
    q = f"{words} OR {uuid.uuid4().hex}" if words else uuid.uuid4().hex
    response = get(pair, f"/tim-kiem/?q={quote(q)}", cookies=cookies)
    assert response.status == 200, f"{response.status}\n{response.text[:1000]}\n{pair.log()[-3000:]}"
    return response


def reads_from_standby(pair):
    primary, standby = pair.served_by(probe(pair))
    return standby > 0 and primary == 0


# --- tests --------------------------------------------------------------------------------------


def test_wal_positions_compare_as_numbers():
    assert routers.wal_position("0/3000000") == 0x3000000
    assert routers.wal_position("16/B374D848") == (0x16 << 32) + 0xB374D848
    assert routers.wal_position("1/0") > routers.wal_position("0/FFFFFFFF")


def test_the_pair_is_a_primary_and_a_streaming_hot_standby(pair):
    assert query(pair.primary, "SELECT pg_is_in_recovery()") == (False,)
    assert query(pair.standby, "SELECT pg_is_in_recovery()") == (True,)
    trusted = "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND auth_method = 'trust'"
    assert query(pair.primary, trusted)[0] > 0  # initdb --auth=trust writes them
    receiver = "SELECT status FROM pg_stat_wal_receiver"
    await_state("the standby streams", lambda: query(pair.standby, receiver) == ("streaming",))
    # The migrations and the articles reached the standby by streaming, not by the base backup.
    assert query(pair.standby, "SELECT count(*) FROM articles_article") == (2,)


def test_anonymous_readers_read_from_the_standby(pair):
    assert get(pair, "/").status == 200  # the content version is made (from the primary)

    response = get(pair, uncached(pair.read_url))
    assert response.status == 200 and "Kiêu Kỵ" in response.text
    primary, standby = pair.served_by(response)
    assert standby > 0 and primary == 0, (primary, standby)

    primary, standby = pair.served_by(probe(pair, words="Kiêu Kỵ"))
    assert standby > 0 and primary == 0, (primary, standby)
    # And the standby sees the site's connection as one of its clients.
    clients = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
    assert query(pair.standby, clients)[0] >= 1


def test_staff_and_the_admin_read_the_primary(pair):
    cookies = pair.staff()
    # Pages for staff only: the admin, and an article as staff read it (drafts too, never kept).
    for path in ("/admin/", "/admin/articles/article/", f"/admin/articles/article/{pair.read_pk}/change/",
                 uncached(pair.read_url)):
        response = get(pair, path, cookies=cookies)
        assert response.status == 200, f"{path}: {response.status}"
        primary, standby = pair.served_by(response)
        assert standby == 0 and primary > 0, (path, primary, standby)
    primary, standby = pair.served_by(probe(pair, cookies=cookies))
    assert standby == 0 and primary > 0
    # The admin's login page, asked without a session, is the admin too.
    assert pair.served_by(get(pair, "/admin/login/"))[1] == 0


def test_an_editor_sees_their_own_save_at_once_while_the_standby_lags(pair):
    cookies = pair.staff()
    change = f"/admin/articles/article/{pair.read_pk}/change/"
    page = get(pair, change, cookies=cookies)
    fields = read_form(page.text, "article_form")
    old_title = field(fields, "title")
    title = f"Xe buýt điện Kiêu Kỵ chạy thêm chuyến đêm ({uuid.uuid4().hex[:6]})"

    pair.pause_replay()  # the standby stops where it is: whatever reads it reads the old title
    response = post(pair, change, replaced(fields, "title", title) + [("_save", "Lưu")], cookies)
    assert response.status == 302, f"{response.status}\n{response.text[:2000]}"
    assert query(pair.standby, "SELECT title FROM articles_article WHERE id = %s", [pair.read_pk]) == (old_title,)

    assert field(read_form(get(pair, change, cookies=cookies).text, "article_form"), "title") == title
    as_staff = get(pair, uncached(pair.read_url), cookies=cookies)
    assert title in as_staff.text and old_title not in as_staff.text
    assert pair.served_by(as_staff)[1] == 0
    # Readers too see the save at once, from the primary: the standby has not
    # replayed the new content version's position, so nothing is read from it, and
    # nothing older than the save is kept under that version.
    as_reader = get(pair, uncached(pair.read_url))
    assert as_reader.status == 200 and title in as_reader.text and old_title not in as_reader.text
    primary, standby = pair.served_by(as_reader)
    assert primary > 0 and standby == 0, (primary, standby)
    assert pair.served_by(probe(pair))[1] == 0

    pair.resume_replay()
    await_state("the standby replays the save", lambda: query(
        pair.standby, "SELECT title FROM articles_article WHERE id = %s", [pair.read_pk]) == (title,))
    await_state("readers read from the standby again", lambda: reads_from_standby(pair))
    after = get(pair, uncached(pair.read_url)).text
    assert title in after and old_title not in after


def test_an_article_published_on_the_primary_reaches_readers_through_the_standby(pair):
    cookies = pair.staff()
    changelist = "/admin/articles/article/"
    token = field(read_form(get(pair, changelist, cookies=cookies).text, "changelist-form"), "csrfmiddlewaretoken")
    assert get(pair, uncached(pair.draft_url)).status == 404  # a draft, for readers

    pair.pause_replay()
    response = post(pair, changelist, {
        "csrfmiddlewaretoken": token, "action": "publish", "_selected_action": pair.draft_pk, "index": "0",
    }, cookies)
    assert response.status == 302, f"{response.status}\n{response.text[:2000]}"
    draft = "SELECT status FROM articles_article WHERE id = %s"
    assert query(pair.standby, draft, [pair.draft_pk]) == ("draft",)
    # Published on the primary: readers get it at once, from the primary.
    page = get(pair, uncached(pair.draft_url))
    assert page.status == 200 and DRAFT_TITLE in page.text
    assert pair.served_by(page)[1] == 0
    assert DRAFT_TITLE in get(pair, uncached("/")).text

    pair.resume_replay()
    await_state("the standby replays the publication",
                lambda: query(pair.standby, draft, [pair.draft_pk]) == ("published",))

    def found_through_standby():
        response = probe(pair, words="Quỳnh Lôi")
        primary, standby = pair.served_by(response)
        return standby > 0 and primary == 0 and pair.draft_url in response.text

    await_state("readers find the article through the standby", found_through_standby)


def test_readers_fall_back_to_the_primary_while_the_standby_is_down_and_come_back(pair):
    assert get(pair, "/").status == 200
    await_state("readers read from the standby", lambda: reads_from_standby(pair))

    pair.standby.stop()
    asked = (probe, uncached("/"), uncached(pair.read_url), probe, uncached("/chuyen-muc/"), probe)
    for path in asked:
        response = probe(pair) if path is probe else get(pair, path)
        assert response.status == 200, f"{response.status}\n{response.text[:1000]}\n{pair.log()[-3000:]}"
        primary, standby = pair.served_by(response)
        assert standby == 0 and (primary > 0 or path is not probe), (path, primary, standby)
    # Noticed once, then left alone for RETRY_SECONDS: not one failed connection per request.
    noticed = pair.log().count("Bản sao không trả lời")
    assert 1 <= noticed < len(asked), pair.log()[-3000:]
    assert "Traceback" not in pair.log() and " 500 " not in pair.log()

    pair.standby.start()
    # Tried again RETRY_SECONDS after the failure, by the first reader after that.
    await_state("readers read from the standby again", lambda: reads_from_standby(pair),
                deadline=routers.RETRY_SECONDS + DEADLINE)
    assert pair.process.poll() is None
