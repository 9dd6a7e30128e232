"""Settings for the ANTD archive, configured by environment variables only.

DJANGO_ENV=production switches on the production rules: no DEBUG, a real secret
key and explicit allowed hosts are required, HTTPS behind a TLS proxy.
"""
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"
DEBUG = not PRODUCTION and os.environ.get("DJANGO_DEBUG") == "1"


def _secret_key():
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if PRODUCTION:
        # The same test Django's check --deploy applies (security.W009).
        if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
            raise ImproperlyConfigured(
                "DJANGO_ENV=production cần DJANGO_SECRET_KEY thật (ít nhất 50 ký tự ngẫu nhiên)."
            )
        return key
    if key:
        return key
    # A development key made once per checkout, never committed.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


def _allowed_hosts():
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    if PRODUCTION and not hosts:
        raise ImproperlyConfigured("DJANGO_ENV=production cần DJANGO_ALLOWED_HOSTS (ví dụ: antd.vn,www.antd.vn).")
    return hosts or ["127.0.0.1", "localhost", "[::1]", "testserver"]


def _database_url():
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    # Written by `python -m antd_site.localdb` (make run / make test).
    url_file = VAR_DIR / "database_url"
    if url_file.exists():
        return url_file.read_text().strip()
    return "postgres://postgres@%2Fvar%2Frun%2Fpostgresql:5432/antd"


def _trusted_proxies():
    """Addresses or networks of the proxies in front of the app (nginx: 127.0.0.1)."""
    proxies = [p.strip() for p in os.environ.get("ANTD_TRUSTED_PROXIES", "").split(",") if p.strip()]
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"ANTD_TRUSTED_PROXIES: {proxy!r} không phải địa chỉ IP hay dải mạng (ví dụ 127.0.0.1 hoặc 10.0.0.0/8)."
            ) from None
    return tuple(proxies)


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _allowed_hosts()
# The admin's address; somewhere less guessable than admin/ cuts the noise.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    "articles",  # first: its templates of the admin's pages replace Django's own
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "axes",
    "django_prose_editor",  # its static editor bundle only; the widget is ours (articles/admin/editor.py)
]
# Sample content, synthetic archives and the benchmark's bare endpoint: not for
# production, except the endpoint, which the benchmark asks for explicitly.
if not PRODUCTION or os.environ.get("ANTD_BENCH_ENDPOINT") == "1":
    INSTALLED_APPS.append("devtools")

SITE_ID = 1

MIDDLEWARE = [
    "antd_site.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "antd_site.middleware.ConditionalGetMiddleware",
    "antd_site.middleware.ReplicaReadsMiddleware",
    "articles.caching.middleware.PublicPageCacheMiddleware",
    # Inside the page cache, so a cached page keeps the CSP made for it (its
    # JSON-LD hash) instead of one made for a request that rendered nothing.
    "antd_site.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.redirects.GoneFallbackMiddleware",  # 301 for moved articles, 410 for deleted ones
    "antd_site.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one account from one address lock that pair for an
# hour. The address is REMOTE_ADDR, or behind a trusted proxy (ANTD_TRUSTED_PROXIES)
# the address that proxy saw: the part of X-Forwarded-For a client writes is never
# read, so it can neither reset nor spread the count (antd_site/middleware.py).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "antd_site.middleware.remote_addr"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked.html"
AXES_VERBOSE = False

ROOT_URLCONF = "antd_site.urls"
WSGI_APPLICATION = "antd_site.wsgi.application"

# Readers' pages are Jinja2 (templates/, articles/templating.py says why); the
# newsroom's are Django admin's (articles/templates/admin/, found before admin's
# own because articles is listed first).
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "articles.templating.environment",
            "context_processors": ["articles.context_processors.site"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(_database_url(), conn_max_age=600, conn_health_checks=True),
}
# A dead server is noticed in seconds, not minutes. In the web process (wsgi.py
# says so) one slow query cannot hold a worker for more than two seconds;
# commands such as migrate or backup keep no limit.
if os.environ.get("DATABASE_REPLICA_URL"):
    # Anonymous readers' queries go to a read replica (antd_site/routers.py).
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=600, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# The statements articles/prepared.py prepares are planned once, for any values
# of their parameters (a generic plan on the rule's partial indexes): left to
# choose, PostgreSQL would plan each run anew, since it cannot tell how many rows
# "published_at <= $1" keeps. Only prepared statements are planned this way.
_SESSION = ["-c plan_cache_mode=force_generic_plan"]
if os.environ.get("ANTD_PROCESS") == "web":
    _SESSION.append("-c statement_timeout=2000")
for database in DATABASES.values():
    database.setdefault("OPTIONS", {}).update(connect_timeout=3, options=" ".join(_SESSION))
if "replica" in DATABASES:
    # A replica that does not answer costs a reader 2 s at most (libpq's least),
    # once every few seconds: readers then read from the primary (routers.py).
    DATABASES["replica"]["OPTIONS"]["connect_timeout"] = 2
DATABASE_ROUTERS = ["antd_site.routers.ReplicaRouter"]

# Redis when REDIS_URL is set (shared by every app server); this process's
# memory otherwise. A Redis that stops answering is a cache miss, not an error.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "antd",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "antd"}}
# Fragments (articles/cache.py) are kept in each process as well, in front of the
# shared cache: their keys carry the content version, so a local copy is never stale.
CACHES["fragments"] = {
    "BACKEND": "antd_site.local_first_cache.LocalFirstCache",
    "LOCATION": "antd-fragments",
    # Values kept in each worker's memory, most recently read first: the shared
    # fragments (menu, front page, most read) stay, an article's own come and go.
    "OPTIONS": {"SHARED": "default", "MAX_ENTRIES": int(os.environ.get("ANTD_LOCAL_CACHE_ENTRIES", "150"))},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Our catalogue first: it mends a few of Django's Vietnamese admin strings.
LOCALE_PATHS = [BASE_DIR / "articles" / "locale"]
# Django's vi locale has no input formats (so ISO and month-first US ones); ours are day-first.
FORMAT_MODULE_PATH = ["antd_site.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "articles.photos.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production whitenoise serves straight from the source folders, so
# `make run` needs no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
WHITENOISE_AUTOREFRESH = DEBUG

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

LOGIN_URL = "admin:login"

SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Mail of the editorial desk (articles/newsroom/notify.py): printed to the console
# unless an SMTP server is named. Tests use Django's in-memory outbox.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tòa soạn ANTD <toasoan@antd.vn>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Our request line says it already; Django's 4xx warnings would say it twice.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

ANTD = {
    "SITE_NAME": "An Ninh Thủ Đô",
    # The admin's address in the desk's mail, e.g. https://antd.vn (links are paths without it).
    "ADMIN_BASE_URL": os.environ.get("ANTD_ADMIN_BASE_URL", ""),
    "SITE_TAGLINE": "Kho lưu trữ tin bài",
    "ARTICLES_PER_PAGE": 20,
    # Whole public pages are kept this long at most (0: off); any change a
    # reader could see invalidates them at once (articles/cache.py).
    "PAGE_CACHE_SECONDS": int(os.environ.get("ANTD_PAGE_CACHE_SECONDS", "600")),
    # bench/run.py only: a bare page, the ceiling our pages are compared with.
    "BENCH_ENDPOINT": os.environ.get("ANTD_BENCH_ENDPOINT") == "1",
    # How long a CDN may keep a public page without asking again.
    "CDN_MAX_AGE": 60,
    # Proxies whose X-Forwarded-For is believed: nginx in front (deploy/nginx.conf).
    "TRUSTED_PROXIES": _trusted_proxies(),
    # Video cards (articles/oembed.py): Facebook's oEmbed answers only with an app
    # token; the endpoints and thumbnail hosts default to the real ones.
    "FACEBOOK_OEMBED_TOKEN": os.environ.get("FACEBOOK_OEMBED_TOKEN", ""),
    "OEMBED_ENDPOINTS": {},
}
