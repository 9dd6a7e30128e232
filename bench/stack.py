"""The parts every benchmark starts: the archives, `make serve`'s gunicorn on one of
them, wrk, and the nearest-rank percentile. Imported by run.py (`make bench`),
cold.py, search.py, pages.py and reads.py; it imports none of them.
"""
import math
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.local import free_port  # noqa: E402

PY = sys.executable
SOCKET = "%2Fvar%2Frun%2Fpostgresql"
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,1000000").split(",")]
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "15"))
# gunicorn's sync workers, as `make serve` runs them (WEB_CONCURRENCY, the Makefile's default).
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "2"))
REDIS_URL = "redis://127.0.0.1:6379/3"


def percentile(values, q):
    """The nearest-rank percentile q (0.95 for p95) of values: one of them, never
    an interpolation, so a p95 is a time some request really took."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else float("nan")


def label(size):
    return f"{size // 1_000_000}m" if size >= 1_000_000 and size % 1_000_000 == 0 else f"{size // 1000}k"


def database_url(size):
    host = os.environ.get("BENCH_PGHOST", SOCKET)
    return f"postgres://postgres@{host}:5432/antd_bench_{label(size)}"


def run(args, env=None, **kwargs):
    return subprocess.run(args, cwd=ROOT, env={**os.environ, **(env or {})}, check=True, text=True, **kwargs)


def ensure_archive(size):
    env = {"DATABASE_URL": database_url(size)}
    name = f"antd_bench_{label(size)}"
    exists = subprocess.run(
        ["psql", "-h", "/var/run/postgresql", "-U", "postgres", "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True, text=True,
    ).stdout.strip()
    if not exists:
        run(["psql", "-h", "/var/run/postgresql", "-U", "postgres", "-c", f"CREATE DATABASE {name}"], capture_output=True)
    run([PY, "manage.py", "migrate", "-v0"], env=env)
    count = int(run([PY, "manage.py", "shell", "-c", "from articles.models import Article; print(Article.objects.count())"],
                    env=env, capture_output=True).stdout.split()[-1])
    if count < size:
        start = time.perf_counter()
        run([PY, "manage.py", "make_archive", "--articles", str(size - count)], env=env)
        return time.perf_counter() - start
    return None


def gunicorn(size, page_cache, *, url=None, port=None, log_name="gunicorn.log", append=False, env=None):
    """`make serve`'s stack on the archive of `size` (or the database at url), on a
    free port (or port); its output, the app's request lines included, goes to
    bench/cache/<log_name>."""
    port = port or free_port()
    env = {
        **os.environ, "DATABASE_URL": url or database_url(size), "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "bench-" + "k3y-" * 15, "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": REDIS_URL, "ANTD_BENCH_ENDPOINT": "1",
        "ANTD_PAGE_CACHE_SECONDS": "600" if page_cache else "0",
        **(env or {}),
    }
    (ROOT / "bench" / "cache").mkdir(exist_ok=True)
    log = (ROOT / "bench" / "cache" / log_name).open("a" if append else "w")
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "antd_site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
         "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=log, text=True,
    )
    probe = urllib.request.Request(f"http://127.0.0.1:{port}/_bench/bare/", headers={"X-Forwarded-Proto": "https"})
    for _ in range(100):
        try:
            urllib.request.urlopen(probe, timeout=1)
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start: see bench/cache/{log_name}")


def wrk(port, path, seconds=WRK_SECONDS):
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "-H", "X-Forwarded-Proto: https", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout
    summary = wrk_summary(out)
    return summary["rate"], summary["total"], summary["non_2xx"]


def wrk_summary(out):
    """What wrk printed: requests/s, requests in all, non-2xx answers, socket errors."""
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "total": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx": int(bad.group(1)) if bad else 0, "socket_errors": errors.group(1) if errors else "none",
    }


MIX_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["X-Forwarded-Proto"] = "https"})
end
"""


