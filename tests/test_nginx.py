"""Debian's nginx in front of the site, configured by deploy/nginx.conf.

The tests of requests start the site in this process (Django's live-server thread,
our own instance so that a test can stop it) and, in front of it, /usr/sbin/nginx as a
foreground process with a private prefix: a copy of deploy/nginx.conf with this
test's ports and folders, read inside a small main configuration of its own (pid
file, temporary folders, cache under tmp_path, errors on stderr), both written by
deploy/render.py and run by deploy/local.py, which `make bench` uses too. Every request
that reaches the site is noted (django's request_started), so a test can tell
what nginx answered by itself. Teardown stops nginx by its pid, then the site.

The readers' address (antd_site.middleware.remote_addr, ANTD_TRUSTED_PROXIES) is
checked here too: without nginx by RequestFactory, behind it by the admin's login
throttle, with clients on 127.0.0.2 and 127.0.0.3.
"""
import gzip
import http.client
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from django.core.signals import request_started
from django.db import OperationalError
from django.test import RequestFactory
from django.test.testcases import LiveServerThread
from django.urls import re_path

from antd_site.middleware import remote_addr
from deploy import render
from deploy.local import Nginx, NginxError, free_port

from .factories import PASSWORD, ArticleFactory, UserFactory

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 10
PAGE_CACHE_CONTROL = "public, max-age=0, s-maxage=60"  # the app's, for a CDN_MAX_AGE of 60
HASHED_CACHE_CONTROL = "max-age=315360000, public, immutable"


def require_nginx():
    """Never skip: a missing nginx is a broken machine, as a missing browser is."""
    missing = render.missing()
    if missing:
        pytest.fail(
            f"tests/test_nginx.py needs Debian's nginx with its brotli modules; missing: {', '.join(missing)}. "
            "Run `make test` (its `nginx` step installs them as root), or "
            "`sudo apt-get install nginx libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static`.",
            pytrace=False,
        )


def test_the_site_file_fits_debians_own_nginx_conf(tmp_path):
    """As README installs it: read inside the http {} of Debian's /etc/nginx/nginx.conf,
    whose own directives (gzip on, its logs, its modules) it must not contradict."""
    require_nginx()
    debian = Path("/etc/nginx/nginx.conf").read_text()
    assert "include /etc/nginx/sites-enabled/*;" in debian
    site = tmp_path / "antd"
    site.write_text(render.render_site(
        port=free_port(), app_port=free_port(), cache=tmp_path / "cache", access_log=tmp_path / "access.log",
        static=tmp_path / "static", media=tmp_path / "media",
    ))
    main = debian.replace("include /etc/nginx/sites-enabled/*;", f"include {site};")
    # Only where it logs and keeps its pid, so that the check runs without root as well.
    main = re.sub(r"(?m)^(\s*)(error_log|access_log) /var/log/nginx/[^;]*;", rf"\1\2 {tmp_path}/\2.log;", main)
    main = re.sub(r"(?m)^pid [^;]*;", f"pid {tmp_path}/nginx.pid;", main)
    (tmp_path / "nginx.conf").write_text(main)
    result = subprocess.run(
        [render.NGINX, "-t", "-e", "stderr", "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    if os.geteuid() == 0:  # otherwise nginx warns that it cannot be user www-data
        assert "[warn]" not in result.stderr, result.stderr


# --- the site, and nginx in front of it --------------------------------------------------


class App:
    """The site on a port of its own in this process; notes every request that reaches it."""

    NOTED = ("PATH_INFO", "REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_X_FORWARDED_PROTO",
             "HTTP_IF_NONE_MATCH", "HTTP_ACCEPT_ENCODING", "HTTP_COOKIE")

    def __init__(self):
        self.requests = []
        self.thread = LiveServerThread("127.0.0.1", static_handler=lambda handler: handler)
        self.thread.daemon = True

    def note(self, sender, environ, **kwargs):
        self.requests.append({key: environ.get(key) for key in self.NOTED})

    def start(self):
        request_started.connect(self.note)
        self.thread.start()
        self.thread.is_ready.wait(TIMEOUT)
        if self.thread.error or not self.thread.is_ready.is_set():
            request_started.disconnect(self.note)
            raise self.thread.error or AssertionError(f"the site did not start within {TIMEOUT} s")
        self.port = self.thread.port

    def stop(self):
        if self.thread.is_alive():
            self.thread.terminate()
        request_started.disconnect(self.note)

    def asked(self, path):
        return [request for request in self.requests if request["PATH_INFO"] == path]


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name)

    def cookies(self):
        return " ".join(self.headers.get_all("Set-Cookie") or [])

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


def fetch(proxy, path, *, method="GET", headers=None, body=None, source="127.0.0.1"):
    """One request to nginx from the loopback address `source` (127.0.0.2 is another reader)."""
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=TIMEOUT, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def wait_for(condition, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.05)


@pytest.fixture
def app(settings):
    """Tests that write content ask for transactional_db: the site's thread reads what they committed."""
    # As README says to run the app behind nginx.
    settings.ANTD = {**settings.ANTD, "TRUSTED_PROXIES": ("127.0.0.1",)}
    site = App()
    site.start()
    yield site
    site.stop()


@pytest.fixture
def static_root(tmp_path):
    """STATIC_ROOT as collectstatic leaves it: hashed names beside plain ones, .gz copies."""
    root = tmp_path / "static"
    (root / "css").mkdir(parents=True)
    css = (REPO / "static" / "css" / "site.css").read_bytes()
    (root / "css" / "site.css").write_bytes(css)
    (root / "css" / "site.0123456789ab.css").write_bytes(css)
    # Marked, so that a test can tell this copy was sent and not one nginx compressed.
    (root / "css" / "site.0123456789ab.css.gz").write_bytes(gzip.compress(css + b"/* .gz */"))
    return root


@pytest.fixture
def nginx(app, tmp_path, static_root, media_root):
    require_nginx()
    media_root.mkdir(parents=True, exist_ok=True)
    proxy = Nginx(tmp_path / "nginx", app.port, static_root, media_root)
    try:
        proxy.start()
    except NginxError as error:
        pytest.fail(str(error), pytrace=False)
    yield proxy
    proxy.stop()


# --- pages: the app's headers, the cache, compression ----------------------------------


def test_public_pages_keep_the_apps_headers_and_the_second_read_is_a_hit(nginx, app, transactional_db):
    url = ArticleFactory(title="Công an Hà Nội ra quân bảo đảm trật tự").get_absolute_url()

    first = fetch(nginx, url)
    assert first.status == 200, (first.status, first.text[:500])
    assert first.header("X-Cache-Status") == "MISS"
    # The app's own caching headers, untouched: nothing added, nothing replaced.
    assert first.headers.get_all("Cache-Control") == [PAGE_CACHE_CONTROL]
    assert first.header("Expires") is None
    assert first.header("ETag")
    assert "script-src 'self'" in first.header("Content-Security-Policy")
    assert "Công an Hà Nội ra quân" in first.text
    # The request as the app got it: the scheme nginx was asked in, plain bytes asked for.
    (asked,) = app.asked(url)
    assert asked["HTTP_X_FORWARDED_PROTO"] == "http"
    assert asked["HTTP_ACCEPT_ENCODING"] is None

    second = fetch(nginx, url)
    assert (second.status, second.header("X-Cache-Status")) == (200, "HIT")
    assert second.body == first.body
    assert second.headers.get_all("Cache-Control") == [PAGE_CACHE_CONTROL]
    # A browser revalidating gets 304 from the cache.
    again = fetch(nginx, url, headers={"If-None-Match": first.header("ETag")})
    assert (again.status, again.header("X-Cache-Status")) == (304, "HIT")

    # One copy in the cache, compressed per reader.
    zipped = fetch(nginx, url, headers={"Accept-Encoding": "gzip"})
    assert (zipped.header("X-Cache-Status"), zipped.header("Content-Encoding")) == ("HIT", "gzip")
    assert "Accept-Encoding" in ", ".join(zipped.headers.get_all("Vary"))
    assert gzip.decompress(zipped.body) == first.body
    brotli = fetch(nginx, url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert (brotli.header("X-Cache-Status"), brotli.header("Content-Encoding")) == ("HIT", "br")
    assert len(brotli.body) < len(first.body) / 2

    assert len(app.asked(url)) == 1  # all but the first answered by nginx

    # A page not found is kept as the app says too (its 404 carries the same header).
    missing = "/2017/02/15/khong-co-bai-nay/"
    assert [(a.status, a.header("X-Cache-Status")) for a in (fetch(nginx, missing), fetch(nginx, missing))] == [
        (404, "MISS"), (404, "HIT")
    ]
    assert fetch(nginx, missing).headers.get_all("Cache-Control") == [PAGE_CACHE_CONTROL]


# --- what is never cached ------------------------------------------------------------------


def test_the_admin_and_staff_are_never_served_from_the_cache(nginx, app, transactional_db):
    for _ in range(2):
        login = fetch(nginx, "/admin/login/")
        assert login.status == 200, (login.status, login.text[:500])
        assert login.header("X-Cache-Status") is None  # the admin's location has no cache at all
        assert "no-store" in login.header("Cache-Control")
        assert "csrftoken=" in login.cookies()
    assert len(app.asked("/admin/login/")) == 2

    url = ArticleFactory().get_absolute_url()
    assert fetch(nginx, url).header("X-Cache-Status") == "MISS"
    assert fetch(nginx, url).header("X-Cache-Status") == "HIT"
    # A session cookie (staff, who may see drafts) goes past the cache to the app ...
    staff = fetch(nginx, url, headers={"Cookie": "sessionid=phien-cua-bien-tap-vien"})
    assert (staff.status, staff.header("X-Cache-Status")) == (200, "BYPASS")
    assert "no-store" in staff.header("Cache-Control")
    assert app.asked(url)[-1]["HTTP_COOKIE"] == "sessionid=phien-cua-bien-tap-vien"
    # ... and what it got is not kept for readers.
    reader = fetch(nginx, url)
    assert reader.header("X-Cache-Status") == "HIT"
    assert reader.headers.get_all("Cache-Control") == [PAGE_CACHE_CONTROL]
    assert len(app.asked(url)) == 2


# --- static files and photos, from the folders --------------------------------------------


def test_static_files_and_photos_are_served_by_nginx_with_long_caching(nginx, app, static_root, media_root):
    hashed = fetch(nginx, "/static/css/site.0123456789ab.css")
    assert hashed.status == 200
    assert hashed.body == (static_root / "css" / "site.0123456789ab.css").read_bytes()
    assert hashed.headers.get_all("Cache-Control") == [HASHED_CACHE_CONTROL]
    assert hashed.header("X-Content-Type-Options") == "nosniff"
    assert hashed.header("Content-Type").startswith("text/css")
    # whitenoise's .gz copy is sent as it is.
    zipped = fetch(nginx, "/static/css/site.0123456789ab.css", headers={"Accept-Encoding": "gzip"})
    assert zipped.header("Content-Encoding") == "gzip"
    assert gzip.decompress(zipped.body).endswith(b"/* .gz */")
    # A plain name may change at the next deploy: a minute, as whitenoise gives it.
    plain = fetch(nginx, "/static/css/site.css")
    assert (plain.status, plain.headers.get_all("Cache-Control")) == (200, ["max-age=60, public"])
    # Compressed on the fly when there is no copy.
    on_the_fly = fetch(nginx, "/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    assert on_the_fly.header("Content-Encoding") == "gzip"
    assert fetch(nginx, "/static/css/nothing.0123456789ab.css").status == 404

    rendition = media_root / "renditions" / "ab" / "ab12cd34ef56-640w-0123456789abcdef.webp"
    rendition.parent.mkdir(parents=True)
    rendition.write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 ")
    original = media_root / "photos" / "2017" / "02" / "15" / "ra-quan-1a2b3c4d.jpg"
    original.parent.mkdir(parents=True)
    original.write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    answer = fetch(nginx, "/media/renditions/ab/ab12cd34ef56-640w-0123456789abcdef.webp")
    assert (answer.status, answer.body) == (200, rendition.read_bytes())
    assert answer.headers.get_all("Cache-Control") == [HASHED_CACHE_CONTROL]
    assert answer.header("Content-Type") == "image/webp"
    answer = fetch(nginx, "/media/photos/2017/02/15/ra-quan-1a2b3c4d.jpg")
    assert (answer.status, answer.body) == (200, original.read_bytes())
    assert answer.headers.get_all("Cache-Control") == ["max-age=86400, public"]
    assert fetch(nginx, "/media/photos/khong-co.jpg").status == 404

    assert not [r for r in app.requests if r["PATH_INFO"].startswith(("/static/", "/media/"))]


# --- the reader's address --------------------------------------------------------------------


def csrf_token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def log_in(proxy, username, password, *, source, forwarded_for=None):
    """The admin's login form, as a browser on `source` fills it in (real CSRF checks)."""
    page = fetch(proxy, "/admin/login/", source=source)
    cookie = re.search(r"csrftoken=([^;]+)", page.cookies()).group(1)
    form = f"csrfmiddlewaretoken={csrf_token(page)}&username={username}&password={password}&next=/admin/"
    headers = {"Cookie": f"csrftoken={cookie}", "Content-Type": "application/x-www-form-urlencoded"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    return fetch(proxy, "/admin/login/", method="POST", body=form, headers=headers, source=source)


def test_the_readers_own_address_reaches_the_app_and_its_login_throttle(nginx, app, transactional_db):
    from axes.models import AccessAttempt

    fetch(nginx, "/?tu-khoa=bi-mat", source="127.0.0.2", headers={"X-Forwarded-For": "203.0.113.9"})
    (asked,) = app.asked("/")
    assert asked["REMOTE_ADDR"] == "127.0.0.1"  # nginx
    assert asked["HTTP_X_REAL_IP"] == "127.0.0.2"
    # Whatever the client claimed, then the address nginx saw: the app reads the latter.
    assert asked["HTTP_X_FORWARDED_FOR"] == "203.0.113.9, 127.0.0.2"
    # nginx's log, like the app's, says neither who asked nor what they sought.
    log = nginx.root / "access.log"
    wait_for(lambda: log.exists() and " GET / " in log.read_text(), "nginx's log line")
    assert "127.0.0.2" not in log.read_text() and "bi-mat" not in log.read_text(), log.read_text()

    editor = UserFactory(username="bientap-nginx", is_staff=True)
    # Five failures from 127.0.0.2, each claiming to come from 127.0.0.3.
    for attempt in range(4):
        answer = log_in(nginx, editor.username, f"sai-{attempt}", source="127.0.0.2", forwarded_for="127.0.0.3")
        assert answer.status == 200 and 'name="password"' in answer.text, (answer.status, answer.text[:300])
    assert log_in(nginx, editor.username, "sai-4", source="127.0.0.2", forwarded_for="127.0.0.3").status == 429
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [(editor.username, "127.0.0.2")]
    # Locked where the failures came from, even with the right password ...
    assert log_in(nginx, editor.username, PASSWORD, source="127.0.0.2").status == 429
    # ... and not for the editor at the address that was named in vain.
    answer = log_in(nginx, editor.username, PASSWORD, source="127.0.0.3")
    assert (answer.status, answer.header("Location")) == (302, "/admin/")
    assert "sessionid=" in answer.cookies()


def request_from(remote_addr, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize("trusted, remote, forwarded, reader", [
    # No trusted proxy (the default): the connecting address, whatever the header says.
    ((), "198.51.100.7", "192.0.2.50", "198.51.100.7"),
    # nginx on 127.0.0.1: the address it appended.
    (("127.0.0.1",), "127.0.0.1", "192.0.2.50", "192.0.2.50"),
    (("127.0.0.1",), "127.0.0.1", "10.9.9.9, 192.0.2.50", "192.0.2.50"),
    # A client claiming to be nginx itself gains nothing.
    (("127.0.0.1",), "127.0.0.1", "192.0.2.50, 127.0.0.1", "192.0.2.50"),
    # Not from a trusted proxy: the header is not read.
    (("127.0.0.1",), "198.51.100.7", "192.0.2.50", "198.51.100.7"),
    # Two proxies (a load balancer in 10.0.0.0/8, then nginx): the first address neither saw as a proxy.
    (("127.0.0.1", "10.0.0.0/8"), "127.0.0.1", "192.0.2.66, 192.0.2.50, 10.1.2.3", "192.0.2.50"),
    # Garbage where a proxy's address should be: the last address a proxy of ours saw.
    (("127.0.0.1",), "127.0.0.1", "192.0.2.50, kẻ-giả-mạo", "127.0.0.1"),
    (("127.0.0.1",), "127.0.0.1", None, "127.0.0.1"),
    (("::1",), "::1", "2001:db8::7", "2001:db8::7"),
    (("127.0.0.1",), "::ffff:127.0.0.1", "192.0.2.50", "192.0.2.50"),
])
def test_the_reader_is_the_first_address_from_the_right_that_is_no_trusted_proxy(
    settings, trusted, remote, forwarded, reader
):
    settings.ANTD = {**settings.ANTD, "TRUSTED_PROXIES": trusted}
    assert remote_addr(request_from(remote, forwarded)) == reader


def test_trusted_proxies_come_from_the_environment_and_are_checked(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from antd_site import settings as settings_module

    monkeypatch.delenv("ANTD_TRUSTED_PROXIES", raising=False)
    assert settings_module._trusted_proxies() == ()
    monkeypatch.setenv("ANTD_TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8,::1 ")
    assert settings_module._trusted_proxies() == ("127.0.0.1", "10.0.0.0/8", "::1")
    monkeypatch.setenv("ANTD_TRUSTED_PROXIES", "127.0.0.1,nginx")
    with pytest.raises(ImproperlyConfigured, match="ANTD_TRUSTED_PROXIES: 'nginx' không phải địa chỉ IP"):
        settings_module._trusted_proxies()


# --- an outage: readers keep reading ----------------------------------------------------------


def database_gone(request, *args, **kwargs):
    raise OperationalError("could not connect to server: Connection refused")


# ROOT_URLCONF of the site while "PostgreSQL is away": every page meets the outage,
# which the site's middleware answers with its maintenance page (503).
urlpatterns = [re_path(r"", database_gone)]


def test_readers_keep_reading_through_an_outage(nginx, app, settings, transactional_db):
    # Pages held one second (nginx counts whole seconds), so that they age within the test.
    settings.ANTD = {**settings.ANTD, "CDN_MAX_AGE": 1}
    url = ArticleFactory(title="Bài đọc được cả khi máy chủ nghỉ").get_absolute_url()
    other = ArticleFactory().get_absolute_url()
    first = fetch(nginx, url)
    assert (first.status, first.header("X-Cache-Status")) == (200, "MISS")
    assert first.header("Cache-Control") == "public, max-age=0, s-maxage=1"
    assert fetch(nginx, url).header("X-Cache-Status") == "HIT"

    # Expired: the reader gets the copy at once, and nginx asks the app behind
    # the reader's back, with the copy's ETag (stale-while-revalidate).
    time.sleep(2.1)
    stale = fetch(nginx, url)
    assert (stale.status, stale.header("X-Cache-Status"), stale.body) == (200, "STALE", first.body)
    wait_for(lambda: len(app.asked(url)) == 2, "nginx to revalidate the page")
    assert app.asked(url)[-1]["HTTP_IF_NONE_MATCH"] == first.header("ETag")

    # PostgreSQL away: the app answers its maintenance page, readers the page they had.
    settings.ROOT_URLCONF = __name__
    time.sleep(2.1)
    for _ in range(3):
        kept = fetch(nginx, url)
        # UPDATING: the same copy, while nginx is still asking the app for a new one.
        assert (kept.status, kept.body) == (200, first.body)
        assert kept.header("X-Cache-Status") in ("STALE", "UPDATING")
    wait_for(lambda: len(app.asked(url)) >= 3, "nginx to ask the app again")
    missing = fetch(nginx, other)
    assert missing.status == 503 and "bảo trì" in missing.text, (missing.status, missing.text[:300])
    assert missing.header("X-Cache-Status") == "MISS"

    # The app itself gone: still the page, and the static files.
    app.stop()
    kept = fetch(nginx, url)
    assert (kept.status, kept.body) == (200, first.body)
    assert kept.header("X-Cache-Status") in ("STALE", "UPDATING")
    assert fetch(nginx, "/static/css/site.css").status == 200
    assert fetch(nginx, other).status == 502  # never read before the outage: nothing to keep
