"""PostgreSQL going away under a real gunicorn: real processes, nothing mocked.

The module starts a private PostgreSQL cluster (antd_site.localdb.PrivateCluster,
in a temporary folder under <repo>/var), migrates it and loads the sample content
with manage.py, then runs gunicorn against it with a temporary MEDIA_ROOT. Tests
stop and start that cluster between requests and read gunicorn's stderr, where
Django's logging writes.

Readers' requests carry a fresh query string (uncached()): the whole-page cache
would otherwise answer pages it already holds without asking the database. What a
page reads is kept per content version whatever its query string, so the pages
that must ask the database during an outage are those whose reads are not kept
yet: the search page (its form lists the categories) and archive years never
asked for.

Teardown always stops gunicorn (by its pid) and the cluster, and removes the folder.
"""
import http.client
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest

from antd_site import localdb
from deploy.local import free_port

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var"
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"
HTTP_TIMEOUT = 10
OUTAGE_LIMIT = 5.0  # seconds a reader may wait for the maintenance page
ADMIN_USER = "tongbientap-outage"
ADMIN_PASSWORD = "Mat-khau-bao-tri-2017!"
TRACEBACK_WORDS = ("Traceback", "psycopg2", "OperationalError")
MAINTENANCE = "bảo trì"

LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?P<level>[A-Z]+) (?P<logger>[\w.]+) (?P<message>.*)$")


# --- processes ---------------------------------------------------------------------------


def clean_env(**variables):
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SECRET_KEY": "outage-test-key-" + "k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyz",
    }
    env.update(variables)
    return env


def manage(env, *args, timeout=120):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True,
        text=True, encoding="utf-8", timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


SETUP_CONTENT = f"""
from django.contrib.auth import get_user_model
from articles.models import Article
User = get_user_model()
if not User.objects.filter(username={ADMIN_USER!r}).exists():
    User.objects.create_superuser({ADMIN_USER!r}, "bbt@antd.vn", {ADMIN_PASSWORD!r})
article = Article.objects.published().order_by("-published_at", "-id").first()
print("ARTICLE", article.pk, article.get_absolute_url())
"""


class Site:
    """The running stack: cluster, gunicorn, and where gunicorn logs."""

    def __init__(self, root):
        self.root = root
        self.cluster = localdb.PrivateCluster(root=root / "pg")
        self.media = root / "media"
        self.stderr_path = root / "gunicorn.stderr"
        self.stdout_path = root / "gunicorn.stdout"
        self.port = None
        self.process = None
        self.env = None
        self.article_pk = None
        self.article_url = None

    def prepare(self):
        host, port = self.cluster.start()
        localdb.ensure_database(host, port)
        self.media.mkdir()
        self.env = clean_env(DATABASE_URL=localdb.url_for(host, port), MEDIA_ROOT=str(self.media))
        manage(self.env, "migrate", "--noinput")
        manage(self.env, "load_sample_content")
        output = manage(self.env, "shell", "-c", SETUP_CONTENT)
        _, pk, url = next(line for line in output.splitlines() if line.startswith("ARTICLE ")).split()
        self.article_pk, self.article_url = int(pk), url

    def start_gunicorn(self):
        self.port = free_port()
        self._stdout = open(self.stdout_path, "wb")
        self._stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(
            [str(GUNICORN), "antd_site.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
             # gunicorn 27 opens a control socket under ~/.gunicorn by default: keep ours private.
             "--control-socket", str(self.root / "gunicorn.ctl")],
            cwd=REPO, env=self.env, stdout=self._stdout, stderr=self._stderr,
        )
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            try:
                if get(self, "/robots.txt", timeout=2).status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not answer within 30 s:\n{self.log()}")
            time.sleep(0.2)

    def stop_gunicorn(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self._stdout.close()
        self._stderr.close()

    def log(self):
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def log_size(self):
        return self.stderr_path.stat().st_size

    def log_since(self, offset):
        with open(self.stderr_path, "rb") as handle:
            handle.seek(offset)
            return handle.read().decode("utf-8", errors="replace")

    def database_up(self):
        if not self.cluster.running():
            self.cluster.start()


@pytest.fixture(scope="module")
def site():
    VAR.mkdir(exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="test-outage-", dir=VAR))
    site = Site(root)
    try:
        site.prepare()
        site.start_gunicorn()
        yield site
    finally:
        try:
            site.stop_gunicorn()
        finally:
            try:
                if site.cluster.initialised():
                    site.cluster.stop()
            finally:
                shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def running(site):
    """Every test starts with the database up, and leaves it up."""
    site.database_up()
    yield site
    site.database_up()


# --- HTTP ---------------------------------------------------------------------------------


class Response:
    def __init__(self, status, headers, body, elapsed):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", errors="replace")
        self.elapsed = elapsed

    def header(self, name):
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)


def request(site, method, path, *, body=None, headers=None, cookies=None, timeout=HTTP_TIMEOUT):
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=timeout)
    start = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        result = Response(response.status, response.getheaders(), response.read(), time.monotonic() - start)
    finally:
        connection.close()
    if cookies is not None:
        for key, value in result.headers:
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
    return result


def get(site, path, **kwargs):
    return request(site, "GET", path, **kwargs)


# A search always reads the database (the form alone may not: its categories are
# kept for the content version).
SEARCH = "/tim-kiem/?q=an+ninh"


def uncached(path):
    """The same page under a query string never asked before: the whole-page cache
    (articles/caching/) cannot answer it, so the request reaches the view."""
    return f"{path}{'&' if '?' in path else '?'}lan={uuid.uuid4().hex}"


def post(site, path, data, cookies, **kwargs):
    body = urlencode(data, doseq=True).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return request(site, "POST", path, body=body, headers=headers, cookies=cookies, **kwargs)


def assert_maintenance_page(response, what):
    assert response.status == 503, f"{what}: {response.status}\n{response.text[:1000]}"
    assert response.elapsed < OUTAGE_LIMIT, f"{what}: {response.elapsed:.1f} s"
    assert MAINTENANCE in response.text, response.text[:1000]
    for word in TRACEBACK_WORDS:
        assert word not in response.text, f"{what}: {word!r} in the page"
    assert response.header("Retry-After")


# --- the admin form, read like a browser -------------------------------------------------------


class FormReader(HTMLParser):
    """The fields a browser would submit from the form with this id (files left out)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.fields = []
        self.inside = False
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea:
            name, chunks = self._textarea
            text = "".join(chunks)
            self.fields.append((name, text[1:] if text.startswith("\n") else text))  # as browsers do
            self._textarea = None
        elif tag == "select":
            self._select = None


def read_form(html, form_id):
    reader = FormReader(form_id)
    reader.feed(html)
    reader.close()
    assert reader.fields, f"no form #{form_id} in the page"
    return reader.fields


def field(fields, name):
    values = [value for key, value in fields if key == name]
    assert len(values) == 1, (name, values)
    return values[0]


def replaced(fields, name, value):
    return [(key, value if key == name else old) for key, old in fields]


def log_in(site):
    cookies = {}
    page = get(site, "/admin/login/?next=/admin/", cookies=cookies)
    assert page.status == 200, page.text[:500]
    token = field(read_form(page.text, "login-form"), "csrfmiddlewaretoken")
    response = post(site, "/admin/login/", {
        "csrfmiddlewaretoken": token, "username": ADMIN_USER, "password": ADMIN_PASSWORD, "next": "/admin/",
    }, cookies)
    assert response.status == 302, f"login: {response.status}\n{response.text[:1000]}"
    assert response.header("Location") == "/admin/"
    assert "sessionid" in cookies
    return cookies


def change_url(site):
    return f"/admin/articles/article/{site.article_pk}/change/"


def article_form(site, cookies):
    page = get(site, change_url(site), cookies=cookies)
    assert page.status == 200, f"{page.status}\n{page.text[:1000]}"
    return read_form(page.text, "article_form")


# --- log lines ------------------------------------------------------------------------------------


def records(text):
    """Log records (level, logger, message); continuation lines join their record."""
    found = []
    for line in text.splitlines():
        match = LOG_RECORD.match(line)
        if match:
            found.append([match["level"], match["logger"], match["message"], line])
        elif found:
            found[-1][2] += "\n" + line
    return found


# --- tests --------------------------------------------------------------------------------------------


def test_a_database_restart_between_two_requests_goes_unnoticed(running):
    site = running
    assert get(site, uncached("/")).status == 200
    assert get(site, uncached(site.article_url)).status == 200

    site.cluster.stop()
    site.cluster.start()

    # The worker's persistent connection died with the server: the health check
    # notices and reconnects, and the reader sees nothing of it.
    for path in ("/", site.article_url):
        response = get(site, uncached(path))
        assert response.status == 200, f"{path}: {response.status}\n{response.text[:1000]}"
    assert site.process.poll() is None


def test_outage_answers_the_maintenance_page_quickly_and_logs_once(running):
    site = running
    assert get(site, uncached("/")).status == 200  # a persistent connection is open
    read_before = get(site, uncached(site.article_url))  # kept for the content version
    assert read_before.status == 200
    offset = site.log_size()

    site.cluster.stop()
    failing = [("GET", SEARCH), ("GET", "/1999/"), ("GET", SEARCH), ("GET", "/1998/")]
    for method, path in failing:
        response = request(site, method, uncached(path))
        assert_maintenance_page(response, path)
        assert response.header("Set-Cookie") is None
        assert "no-store" in (response.header("Cache-Control") or "")
        assert "frame-ancestors 'none'" in (response.header("Content-Security-Policy") or "")
    # What needs no database is still served: an article readers opened before,
    # and the home page, whose reads are kept for the content version.
    still = get(site, uncached(site.article_url))
    assert still.status == 200 and still.text == read_before.text
    assert get(site, uncached("/")).status == 200
    site.cluster.start()
    time.sleep(0.3)  # let the worker's last log lines reach the file

    logged = records(site.log_since(offset))
    errors = [r for r in logged if r[0] in ("ERROR", "CRITICAL")]
    outage = [r for r in errors if r[1] == "antd.errors" and "Cơ sở dữ liệu không trả lời" in r[2]]
    # Exactly one error record per failing request, and no other error (no django.request
    # "Service Unavailable" duplicate, no traceback).
    assert len(outage) == len(failing), "\n".join(r[3] for r in errors)
    assert len(errors) == len(failing), "\n".join(r[2] for r in errors)
    for (method, path), record in zip(failing, outage):
        assert f"{method} {path.partition('?')[0]}:" in record[2], record[2]  # the query string is the reader's
        assert "Traceback" not in record[2]
    request_lines = [r for r in logged if r[1] == "antd.request"]
    for method, path in failing:
        assert any(r[2].startswith(f"{method} {path.partition('?')[0]} 503 ") for r in request_lines), \
            [r[2] for r in request_lines]


def test_outage_error_records_are_single_lines(running):
    """One record, one physical line: log shippers split records on newlines."""
    site = running
    get(site, uncached("/"))
    offset = site.log_size()
    site.cluster.stop()
    assert_maintenance_page(get(site, uncached(SEARCH)), SEARCH)
    site.cluster.start()
    time.sleep(0.3)
    outage = [r for r in records(site.log_since(offset)) if r[1] == "antd.errors"]
    assert len(outage) == 1, outage
    assert "\n" not in outage[0][2], f"the record spans several lines:\n{outage[0][2]}"


def test_request_log_lines_carry_no_address(running):
    site = running
    get(site, "/", headers={"X-Forwarded-For": "203.0.113.9"})
    get(site, "/tim-kiem/?q=ma+t%C3%BAy")
    time.sleep(0.3)
    request_lines = [r for r in records(site.log()) if r[1] == "antd.request"]
    assert len(request_lines) >= 2
    for level, logger, message, line in request_lines:
        assert re.fullmatch(r"[A-Z]+ \S+ \d{3} \d+\.\dms", message), line
        assert not re.search(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", message), line
        assert "127.0.0.1" not in message and "203.0.113.9" not in message, line
        assert "?" not in message, line  # no query string: what readers searched is theirs
    # gunicorn writes no access log of its own (it would name every reader's address):
    # the only address in the whole log is the one gunicorn listens on.
    addresses = [line for line in site.log().splitlines() if "127.0.0.1" in line or "203.0.113.9" in line]
    assert all("Listening at: http://127.0.0.1:" in line for line in addresses), addresses


def test_the_site_comes_back_without_restarting_gunicorn(running):
    site = running
    pid = site.process.pid
    booted = site.log().count("Booting worker")

    site.cluster.stop()
    assert_maintenance_page(get(site, uncached(SEARCH)), SEARCH)
    assert_maintenance_page(get(site, uncached("/1997/")), "/1997/")
    site.cluster.start()

    for path in ("/", site.article_url):
        response = get(site, uncached(path))
        assert response.status == 200, f"{path}: {response.status}\n{response.text[:1000]}"
        assert MAINTENANCE not in response.text
    assert site.process.poll() is None and site.process.pid == pid
    assert site.log().count("Booting worker") == booted, "a worker was restarted"


def test_an_admin_save_during_an_outage_fails_clearly_and_loses_nothing(running):
    site = running
    cookies = log_in(site)

    # 1. An edit while the database is up is saved.
    fields = article_form(site, cookies)
    first_lead = field(fields, "lead") + " Cập nhật lần một trước sự cố."
    response = post(site, change_url(site), replaced(fields, "lead", first_lead) + [("_save", "Lưu")], cookies)
    assert response.status == 302, f"{response.status}\n{response.text[:2000]}"
    assert field(article_form(site, cookies), "lead") == first_lead

    # 2. An edit posted while the database is down: the maintenance page.
    fields = article_form(site, cookies)
    second_lead = first_lead + " Cập nhật lần hai trong sự cố."
    site.cluster.stop()
    response = post(site, change_url(site), replaced(fields, "lead", second_lead) + [("_save", "Lưu")], cookies)
    assert_maintenance_page(response, "admin save")
    site.cluster.start()

    # 3. Back up: the first edit is there, the second is not, and the editor is
    #    still logged in (the session lived in the database through the outage).
    fields = article_form(site, cookies)
    assert field(fields, "lead") == first_lead
    public = get(site, uncached(site.article_url))
    assert public.status == 200
    assert "Cập nhật lần một trước sự cố." in public.text
    assert "Cập nhật lần hai trong sự cố." not in public.text


def test_an_outage_right_after_an_edit_still_answers_the_maintenance_page(running):
    """Saving an article forgets the cached content version (articles/cache.py), so the
    next reader's request must ask the database for a new one. With the database away
    that request must still get the maintenance page, not a server error."""
    site = running
    cookies = log_in(site)
    fields = article_form(site, cookies)
    lead = field(fields, "lead") + " Sửa để làm mới bộ nhớ đệm."
    response = post(site, change_url(site), replaced(fields, "lead", lead) + [("_save", "Lưu")], cookies)
    assert response.status == 302, f"{response.status}\n{response.text[:2000]}"
    offset = site.log_size()

    site.cluster.stop()
    for path in ("/", site.article_url):
        response = get(site, uncached(path))
        assert_maintenance_page(response, f"{path} after an edit")
    site.cluster.start()
    time.sleep(0.3)
    errors = [r for r in records(site.log_since(offset)) if r[0] in ("ERROR", "CRITICAL")]
    assert all(r[1] == "antd.errors" for r in errors), "\n".join(r[2][:300] for r in errors)
    assert len(errors) == 2, "\n".join(r[2][:300] for r in errors)  # one per failing request
