"""Security of the HTTP surface: headers on every kind of response, no cookies for
readers, host checking, admin login throttling (django-axes), session cookie flags,
a configurable admin address, and `check --deploy` in production.

Configurations that settings.py reads at import time (production, DJANGO_ADMIN_URL)
are loaded in a fresh Python process with a controlled environment, as
tests/test_settings.py does.
"""
import base64
import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests import subprocesses
from tests.factories import (
    PASSWORD,
    ArticleFactory,
    CategoryFactory,
    PhotoFactory,
    TagFactory,
    UserFactory,
)
from tests.public_pages import PAGES, SECOND_PAGES, World, select

REPO = Path(__file__).resolve().parent.parent
LOGIN_URL = "/admin/login/"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


# --- helpers ----------------------------------------------------------------------


def csp_directives(response):
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response.get('Content-Type')}"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_security_headers(response):
    directives = csp_directives(response)
    assert "script-src" in directives, directives
    assert "'unsafe-inline'" not in directives["script-src"], directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"], directives["script-src"]
    assert directives.get("frame-ancestors") == ["'none'"], directives
    assert directives.get("object-src") == ["'none'"], directives
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy"), "no Referrer-Policy"
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.get("Permissions-Policy"), "no Permissions-Policy"
    assert "camera=()" in response.headers["Permissions-Policy"]
    return directives


def clean_env(**variables):
    # Never connected to by these subprocesses; check --deploy needs none either.
    database = os.environ.get("DATABASE_URL", "postgres://postgres@db.invalid:5432/antd")
    return subprocesses.clean_env(DATABASE_URL=database, **variables)


def production_key():
    return secrets.token_urlsafe(60)[:60]  # 60 random characters


# --- fixtures -----------------------------------------------------------------------


@pytest.fixture
def world(db):
    category = CategoryFactory(name="An ninh trật tự", description="Tin an ninh.")
    tag = TagFactory(name="Phòng cháy")
    article = ArticleFactory(
        title="Diễn tập phòng cháy chữa cháy tại chung cư", category=category, tags=[tag],
        author="MINH AN",
    )
    PhotoFactory(article=article, position=1, caption="Lực lượng cứu hỏa diễn tập")
    return {"article": article, "category": category, "tag": tag}


@pytest.fixture
def staff(db):
    return UserFactory(username="tongbientap", is_staff=True, is_superuser=True)


# Every reader page but second pages (the world has one article).
PUBLIC_PAGES = select(without=[SECOND_PAGES])


def reader_world(world):
    return World(world["article"], world["category"], world["tag"])


# --- headers ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", PUBLIC_PAGES)
def test_public_responses_carry_security_headers(client, world, kind):
    page = PAGES[kind]
    response = client.get(page.url(reader_world(world)))
    assert response.status_code == page.status, kind
    assert_security_headers(response)


def test_admin_login_page_carries_security_headers(client, db):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    directives = assert_security_headers(response)
    # The admin needs inline styles, never inline scripts.
    assert "'unsafe-inline'" not in directives["script-src"]


def test_unknown_host_is_refused_with_security_headers(client, db):
    response = client.get("/", HTTP_HOST="antd.evil.example")
    assert response.status_code == 400
    # CommonMiddleware refuses the host before XFrameOptionsMiddleware runs, so this
    # error page has no X-Frame-Options; CSP frame-ancestors 'none' covers it.
    directives = csp_directives(response)
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives.get("frame-ancestors") == ["'none'"]
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Permissions-Policy")


@pytest.mark.parametrize("host", ["antd.evil.example", "127.0.0.1.evil.example", "localhost:8000@evil.example"])
def test_unknown_host_header_is_400(client, db, host):
    assert client.get("/", HTTP_HOST=host).status_code == 400


def test_json_ld_is_allowed_by_its_exact_hash_and_nothing_else_inline(client, world):
    response = client.get(world["article"].get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    scripts = JSON_LD.findall(page)
    assert len(scripts) == 1, scripts
    data = json.loads(scripts[0])
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == world["article"].title

    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
    script_src = csp_directives(response)["script-src"]
    assert f"'sha256-{digest}'" in script_src, (digest, script_src)
    # Exactly one hash: only the script actually on the page is allowed.
    assert [source for source in script_src if source.startswith("'sha256-")] == [f"'sha256-{digest}'"]
    # Every other script element (if any) is external, never inline.
    assert len(re.findall(r"<script(?![^>]*\ssrc=)", page, re.IGNORECASE)) == 1


@pytest.fixture
def page_cache(settings):
    """The whole-page cache as in production (tests/conftest.py turns it off)."""
    settings.ANTD = {**settings.ANTD, "PAGE_CACHE_SECONDS": 600}


def test_json_ld_hash_survives_the_page_cache(client, world, page_cache):
    """A page served from the cache is the same page: its JSON-LD must still be allowed."""
    url = world["article"].get_absolute_url()
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    for response in (first, second):
        text = JSON_LD.findall(response.content.decode())[0]
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp_directives(response)["script-src"], response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("kind", ["home", "article", "site feed", "articles sitemap", "not found"])
def test_cached_responses_keep_security_headers_and_set_no_cookie(client, world, page_cache, kind):
    url = PAGES[kind].url(reader_world(world))
    client.get(url)
    response = client.get(url)
    assert response.status_code == PAGES[kind].status
    assert_security_headers(response)
    assert not response.cookies


def test_pages_without_json_ld_allow_no_inline_script(client, world):
    response = client.get("/")
    assert "<script" not in response.content.decode()
    assert not any(source.startswith("'sha256-") for source in csp_directives(response)["script-src"])


def test_hashes_do_not_leak_between_requests(client, world):
    """The hash list lives on the request: a page after the article allows nothing inline."""
    client.get(world["article"].get_absolute_url())
    response = client.get(world["category"].get_absolute_url())
    assert csp_directives(response)["script-src"] == ["'self'"]


# --- cookies ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", PUBLIC_PAGES)
def test_public_pages_set_no_cookies_for_anonymous_readers(client, world, kind):
    response = client.get(PAGES[kind].url(reader_world(world)))
    assert "Set-Cookie" not in response.headers, response.headers.get("Set-Cookie")
    assert not response.cookies, response.cookies.output()


def test_unknown_host_sets_no_cookie(client, db):
    response = client.get("/", HTTP_HOST="antd.evil.example")
    assert not response.cookies


# --- admin login throttling (django-axes) ---------------------------------------------------


def login(client, username, password, *, forwarded_for=None, remote_addr="198.51.100.7"):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(LOGIN_URL, {"username": username, "password": password, "next": "/admin/"}, **extra)


def assert_refused_by_axes(response):
    assert response.status_code == 429, (response.status_code, response.content.decode()[:500])
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def assert_form_error(response):
    """A wrong password: the login form again (200), not a lockout."""
    assert response.status_code == 200, (response.status_code, response.content.decode()[:500])
    page = response.content.decode()
    assert "Tạm khóa đăng nhập" not in page
    assert 'name="password"' in page


def test_five_failures_lock_the_username_even_for_the_right_password(client, staff):
    for attempt in range(4):
        assert_form_error(login(client, staff.username, f"sai-mat-khau-{attempt}"))
    # The fifth failure reaches the limit: it is refused already.
    fifth = login(client, staff.username, "sai-mat-khau-4")
    assert_refused_by_axes(fifth)

    sixth = login(client, staff.username, PASSWORD)
    assert_refused_by_axes(sixth)
    assert "sessionid" not in sixth.cookies
    # Still locked afterwards; the admin index is out of reach.
    assert_refused_by_axes(login(client, staff.username, PASSWORD))
    assert client.get("/admin/").status_code == 302


def test_x_forwarded_for_neither_resets_nor_avoids_the_count(client, staff):
    for attempt in range(5):
        login(client, staff.username, f"sai-{attempt}", forwarded_for=f"203.0.113.{attempt + 1}")
    # A new forwarded address on every attempt, including the right password now.
    assert_refused_by_axes(login(client, staff.username, PASSWORD, forwarded_for="192.0.2.99"))
    assert_refused_by_axes(login(client, staff.username, PASSWORD))


def test_forwarded_for_cannot_lock_out_someone_else(client, staff):
    """Failures counted against a claimed address do not lock the real one elsewhere."""
    for attempt in range(5):
        login(client, staff.username, f"sai-{attempt}", remote_addr="198.51.100.7", forwarded_for="192.0.2.50")
    # The editor at another real address (whatever they forward) still logs in.
    response = login(client, staff.username, PASSWORD, remote_addr="192.0.2.50")
    assert response.status_code == 302, response.status_code
    assert response["Location"] == "/admin/"


def test_lockout_is_per_username_another_account_still_logs_in(client, staff):
    other = UserFactory(username="bientapvien", is_staff=True)
    for attempt in range(5):
        login(client, staff.username, f"sai-{attempt}")
    assert_refused_by_axes(login(client, staff.username, PASSWORD))

    response = login(client, other.username, PASSWORD)
    assert response.status_code == 302, (response.status_code, response.content.decode()[:500])
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_four_failures_then_success_resets_the_count(client, staff):
    for attempt in range(4):
        assert_form_error(login(client, staff.username, f"sai-{attempt}"))
    assert login(client, staff.username, PASSWORD).status_code == 302
    client.logout()
    # AXES_RESET_ON_SUCCESS: four more failures do not lock.
    for attempt in range(4):
        assert_form_error(login(client, staff.username, f"lai-sai-{attempt}"))
    assert login(client, staff.username, PASSWORD).status_code == 302


def test_lockout_of_a_missing_username_does_not_leak_existence(client, staff):
    """A username that does not exist is throttled the same way (no account enumeration)."""
    for attempt in range(5):
        login(client, "khongtontai", f"sai-{attempt}")
    assert_refused_by_axes(login(client, "khongtontai", "bat-ky"))


# --- session cookie -----------------------------------------------------------------------


def test_session_cookie_after_admin_login_is_httponly_and_samesite_lax(client, staff):
    response = login(client, staff.username, PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie.value
    # CSRF cookie is not readable by scripts either (the admin reads the form token).
    csrf = response.cookies.get("csrftoken")
    if csrf is not None:
        assert csrf["httponly"] is True


COOKIE_SETTINGS = (
    "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'antd_site.settings'); "
    "django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k) for k in ("
    "'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', "
    "'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS')}))"
)


def test_production_session_cookie_is_secure_httponly_lax():
    result = subprocesses.run_python(COOKIE_SETTINGS, clean_env(
        DJANGO_ENV="production", DJANGO_SECRET_KEY=production_key(), DJANGO_ALLOWED_HOSTS="antd.vn",
    ))
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout.strip().splitlines()[-1])
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_HTTPONLY"] is True
    assert s["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 31536000


# --- admin address -------------------------------------------------------------------------


ADMIN_URLS = (
    "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'antd_site.settings'); "
    "django.setup(); from django.urls import reverse, resolve, Resolver404\n"
    "def resolves(path):\n"
    "    try:\n"
    "        return resolve(path).view_name\n"
    "    except Resolver404:\n"
    "        return None\n"
    "from django.test import Client\n"
    "from antd_site.middleware import content_security_policy\n"
    "from django.test import RequestFactory\n"
    "admin_csp = content_security_policy(RequestFactory().get(reverse('admin:login')))\n"
    "print(json.dumps({'index': reverse('admin:index'), 'login': reverse('admin:login'), "
    "'old': resolves('/admin/'), 'new': resolves(reverse('admin:index')), 'admin_csp': admin_csp}))"
)


def admin_urls(**variables):
    result = subprocesses.run_python(ADMIN_URLS, clean_env(DJANGO_SECRET_KEY="dev-" + secrets.token_urlsafe(20), **variables))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_admin_address_is_configurable():
    urls = admin_urls(DJANGO_ADMIN_URL="tong-bien-tap/")
    assert urls["index"] == "/tong-bien-tap/"
    assert urls["login"] == "/tong-bien-tap/login/"
    assert urls["new"] == "admin:index"
    assert urls["old"] is None  # /admin/ is no longer the admin
    # The admin's relaxed style-src follows it to its new address.
    assert "style-src 'self' 'unsafe-inline'" in urls["admin_csp"]


@pytest.mark.parametrize("value", ["/tong-bien-tap/", "tong-bien-tap", "tong-bien-tap/"])
def test_admin_address_tolerates_slashes(value):
    assert admin_urls(DJANGO_ADMIN_URL=value)["index"] == "/tong-bien-tap/"


def test_admin_address_defaults_to_admin():
    assert admin_urls()["index"] == "/admin/"


# --- check --deploy -------------------------------------------------------------------------


def test_production_check_deploy_passes_at_warning_level():
    env = clean_env(DJANGO_ENV="production", DJANGO_SECRET_KEY=production_key(), DJANGO_ALLOWED_HOSTS="antd.vn")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=REPO, env=env,
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
