"""Cross-cutting HTTP behaviour: security headers, the maintenance page when the
database is away, and one log line per request."""
import base64
import functools
import hashlib
import ipaddress
import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGetMiddleware
from django.template.loader import render_to_string
from django.utils.http import quote_etag

request_log = logging.getLogger("antd.request")
error_log = logging.getLogger("antd.errors")

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


def remote_addr(request):
    """The reader's address: the connecting one, unless that is a trusted proxy
    (ANTD["TRUSTED_PROXIES"], e.g. nginx on 127.0.0.1). Then X-Forwarded-For is
    read from the right, where each proxy appended the address it saw, and the
    first address that is not a trusted proxy is the reader's. What a client
    wrote into the header stands left of it and is never read."""
    address = request.META.get("REMOTE_ADDR")
    trusted = _networks(tuple(settings.ANTD.get("TRUSTED_PROXIES", ())))
    if not _within(address, trusted):
        return address
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = hop.strip()
        if _ip(hop) is None:
            break  # not written by a proxy of ours: stop at the last address one of them saw
        address = hop
        if not _within(hop, trusted):
            break
    return address


@functools.lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _ip(text):
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(ip, "ipv4_mapped", None) or ip  # ::ffff:127.0.0.1 is 127.0.0.1


def _within(address, networks):
    ip = _ip(address or "")
    return ip is not None and any(ip.version == net.version and ip in net for net in networks)


def allow_inline_script(request, content):
    """Allow one inline script (JSON-LD) by its hash: the page stays cacheable,
    unlike a per-request nonce."""
    digest = base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()
    request.csp_hashes = [*getattr(request, "csp_hashes", []), f"'sha256-{digest}'"]


def content_security_policy(request):
    admin = request.path.startswith("/" + settings.ADMIN_URL)
    scripts = " ".join(["'self'", *getattr(request, "csp_hashes", [])])
    # Django's admin sets a few style attributes; the public site has none.
    styles = "'self' 'unsafe-inline'" if admin else "'self'"
    return (
        f"default-src 'self'; script-src {scripts}; style-src {styles}; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


def set_etag(response):
    """Django's set_response_etag, hashed with SHA-256 where Django hashes with
    MD5: on this project's machines (SHA extensions) 78 µs for a 140 KB home page
    where MD5 takes 184, on every answer the page cache does not hold (issue 16)."""
    if not response.streaming and response.content:
        response.headers["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    return response


class ConditionalGetMiddleware(DjangoConditionalGetMiddleware):
    """Django's (304 for a matching If-None-Match or If-Modified-Since), its ETag made by set_etag."""

    def process_response(self, request, response):
        if request.method == "GET" and self.needs_etag(response) and not response.has_header("ETag"):
            set_etag(response)
        return super().process_response(request, response)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", content_security_policy(request))
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.setdefault("X-Frame-Options", "DENY")  # also on answers made before XFrameOptionsMiddleware
        return response


class DatabaseUnavailableMiddleware:
    """PostgreSQL away: the Vietnamese maintenance page (503), no traceback.

    The page is static HTML so that rendering it needs no database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)) or is_statement_timeout(exception):
            return None
        # One record, one line: psycopg2's message spans several.
        reason = " ".join(str(exception).split())
        error_log.error("Cơ sở dữ liệu không trả lời: %s %s: %s", request.method, request.path, reason)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        response._has_been_logged = True  # logged once, above
        return response


def is_statement_timeout(exception):
    """A statement timeout is the query's fault, not an outage: a 500 here (the
    search page tells its reader itself, views/search.py)."""
    cause = getattr(exception, "__cause__", None)
    return getattr(cause, "pgcode", None) == "57014"  # query_canceled


class RequestLogMiddleware:
    """One line per request: method, path, status, time. No address, no cookies,
    no query string: nothing that says who the reader is or what they sought."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        request_log.info(
            "%s %s %s %.1fms", request.method, request.path, response.status_code, (time.perf_counter() - start) * 1000
        )
        return response


def is_public_request(request):
    """An anonymous reader asking to read: the only requests we may cache or
    answer from a replica. A session cookie means staff, who may see drafts."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith("/" + settings.ADMIN_URL)
    )


class ReplicaReadsMiddleware:
    """Anonymous reads may go to the replica for the length of the request (when
    it is up and has replayed the content version: routers.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .routers import PublicReads, use_replica

        token = use_replica.set(PublicReads() if is_public_request(request) else None)
        try:
            return self.get_response(request)
        finally:
            use_replica.reset(token)
