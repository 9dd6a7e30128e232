"""Browser tests: Playwright's sync API drives Debian's Chromium against pytest-django's live_server.

Database. live_server makes every test transactional (a TransactionTestCase), and a
TransactionTestCase empties every table when it ends; its flush then re-creates content
types and permissions (post_migrate) but not what data migrations wrote. The newsroom
groups "Phóng viên" and "Biên tập viên" come from the data migration
articles/migrations/0002_newsroom_groups.py, so only the first browser test would find them.

pytest-django's serialized_rollback, Django's usual answer, does not work here: Django keeps
database connections in a thread-critical asgiref Local, which switches to a contextvar
storage when an asyncio loop is running in the thread. Playwright's sync API runs its loop
in the test thread, so once the session's browser is up the tests get a different
DatabaseWrapper from the one setup_databases() stored the serialized contents on, and the
restore silently does nothing.

So ``newsroom_groups`` re-runs that migration's own functions, create_groups() and
name_site(), against the historical app registry as of that migration, exactly as
`migrate` runs them. They are idempotent (get_or_create, permissions.set), cheap, and do
not depend on --reuse-db or on which connection object the test sees.
"""
import importlib
import threading
import time
import os

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; Django refuses ORM
# calls from a thread with a running loop unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.core.signals import request_finished, request_started  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
LOCALE = "vi-VN"
TIMEOUT_MS = 10_000

newsroom = importlib.import_module("articles.migrations.0002_newsroom_groups")


def require_chromium():
    """Never skip: a missing browser is a broken machine, not an optional test."""
    if os.access(CHROMIUM, os.X_OK):
        return
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM}, and this CI machine has none. "
            "The CI job must run `make test` (its `browser` step runs `apt-get install chromium`); "
            "Playwright never downloads a browser of its own here.",
            pytrace=False,
        )
    pytest.fail(
        f"Browser tests need Debian's Chromium at {CHROMIUM}, which is missing. "
        "Run `make test`: it installs it (as root; otherwise `sudo apt-get install chromium`). "
        "Do not run `playwright install`.",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright):
    require_chromium()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def newsroom_migration_apps():
    """The models as articles/migrations/0002_newsroom_groups.py sees them (no database needed)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return loader.project_state(("articles", newsroom.__name__.rsplit(".", 1)[1])).apps


@pytest.fixture(autouse=True)
def newsroom_groups(transactional_db, live_server, newsroom_migration_apps):
    """What the data migration made, present again in this transactional test's database."""
    from django.contrib.auth.models import Group
    from django.db import connection

    # Never let a browser test write into the development database.
    assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]
    newsroom.create_groups(newsroom_migration_apps, None)
    newsroom.name_site(newsroom_migration_apps, None)
    names = {newsroom.REPORTERS, newsroom.EDITORS}
    assert set(Group.objects.filter(name__in=names).values_list("name", flat=True)) == names


class Served:
    """The live server's requests under way (it runs in this process, a thread a request)."""

    def __init__(self):
        self.lock, self.under_way = threading.Lock(), 0

    def started(self, **kwargs):
        with self.lock:
            self.under_way += 1

    def finished(self, **kwargs):
        with self.lock:
            self.under_way -= 1

    def wait_idle(self, quiet=0.2, timeout=10):
        """Until no request has been under way for `quiet` seconds."""
        deadline, idle_since = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            if self.under_way:
                idle_since = None
            elif idle_since is None:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since >= quiet:
                return
            time.sleep(0.02)
        raise AssertionError(f"the live server still answers {self.under_way} request(s)")


@pytest.fixture
def new_context(browser, live_server):
    """Make browser contexts (separate cookie jars) on the live server; all closed after
    the test. Their pages first leave the site: an article form says goodbye as its
    page goes (newsroom.js: a presence "leave" beacon and a last autosave, unseen by
    Playwright), and answered while the test's tables are flushed they would deadlock
    with the flush or meet an emptied database. So each page goes to about:blank, and
    the live server is left to answer what that sent."""
    served = Served()
    request_started.connect(served.started)
    request_finished.connect(served.finished)
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, **{"viewport": VIEWPORT, "locale": LOCALE, **options})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    try:
        yield make
        for context in contexts:
            for page in context.pages:
                page.goto("about:blank")
        served.wait_idle()
    finally:
        request_started.disconnect(served.started)
        request_finished.disconnect(served.finished)
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def anonymous_page(new_context):
    """A reader: a context of its own, never logged in."""
    return new_context().new_page()
