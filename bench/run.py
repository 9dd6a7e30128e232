"""`make bench`: page costs at two archive sizes, then HTTP throughput with wrk.

Archives are built once (make_archive) into databases antd_bench_<size> and kept
between runs. Writes bench/results.md, then runs bench/cold.py (cold pages and
nginx in front) on the larger archive, which writes bench/cold.md; README shows
the latest.
"""
import json
import math
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.local import free_port  # noqa: E402

PY = sys.executable
SOCKET = "%2Fvar%2Frun%2Fpostgresql"
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,1000000").split(",")]
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "15"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
IMPORT_LINES = int(os.environ.get("BENCH_IMPORT_LINES", "50000"))
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


def import_rate(lines=IMPORT_LINES):
    """import_articles --format ndjson of a synthetic export into an empty database."""
    name = "antd_bench_import"
    for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        run(["psql", "-h", "/var/run/postgresql", "-U", "postgres", "-c", statement], capture_output=True)
    host = os.environ.get("BENCH_PGHOST", SOCKET)
    env = {"DATABASE_URL": f"postgres://postgres@{host}:5432/{name}"}
    run([PY, "manage.py", "migrate", "-v0"], env=env)
    export = ROOT / "bench" / "cache" / f"export-{lines}.ndjson"
    if not export.exists():
        run([PY, "manage.py", "make_archive", "--articles", str(lines), "--ndjson", str(export)], capture_output=True)
    start = time.perf_counter()
    out = run([PY, "manage.py", "import_articles", "--format", "ndjson", str(export)], env=env, capture_output=True).stdout
    wall = time.perf_counter() - start
    rate = float(re.search(r"\((\d+) bài/giây\)", out).group(1))
    return {"lines": lines, "rate": rate, "wall": wall}


def measure_pages(size):
    out = run([PY, "bench/pages.py"], env={"DATABASE_URL": database_url(size)}, capture_output=True).stdout
    return json.loads(out.strip().splitlines()[-1])


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
        [str(ROOT / ".venv/bin/gunicorn"), "antd_site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
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


def load_mix(port, urls, seconds=LOAD_SECONDS):
    """wrk with 64 connections over a mix of pages, as production runs (page cache on)."""
    for url in urls:  # one reader first on each page, as after any publication
        urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{port}{urllib.parse.quote(url, safe='/?=&')}", headers={"X-Forwarded-Proto": "https"},
        ), timeout=30).read()
    script = ROOT / "bench" / "cache" / "mix.lua"
    quoted = (urllib.parse.quote(url, safe="/?=&") for url in urls)
    script.write_text(MIX_SCRIPT % ", ".join(f'"{url}"' for url in quoted))
    out = subprocess.run(
        ["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency", "-s", str(script), f"http://127.0.0.1:{port}/"],
        capture_output=True, text=True, check=True,
    ).stdout
    return {"p99": re.search(r"99%\s+([\d.]+\w+)", out).group(1), **wrk_summary(out)}


def worker_rss_mb(master):
    children = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return max(sizes) if sizes else 0


def throughput(size, article_url, mix_urls):
    production = {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "bench-" + "k3y-" * 15, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=production)
    rows = []
    for page_cache in (False, True):
        process, port = gunicorn(size, page_cache)
        try:
            for name, path in (("bare ceiling", "/_bench/bare/"), ("home", "/"), ("article", article_url)):
                wrk(port, path, seconds=2)  # warm-up
                rate, total, bad = wrk(port, path)
                rows.append((name, page_cache, rate, total, bad))
            if page_cache:
                mix = load_mix(port, mix_urls)
            rss = worker_rss_mb(process)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        rows.append(("worker RSS MB", page_cache, rss, 0, 0))
    return rows, mix


def table(pages, sizes):
    small, large = label(sizes[0]), label(sizes[-1])
    lines = [
        f"| page | queries ({small}) | queries ({large}) | p50 ms ({small}) | p95 ms ({small}) | p50 ms ({large}) | p95 ms ({large}) | p95 {large}/{small} |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, a in pages[sizes[0]].items():
        if name.startswith("_"):
            continue
        b = pages[sizes[-1]].get(name, a)
        lines.append(
            f"| {name} | {a['queries']} | {b['queries']} | {a['p50']:.1f} | {a['p95']:.1f} | {b['p50']:.1f} | "
            f"{b['p95']:.1f} | {b['p95'] / a['p95']:.2f} |"
        )
    return "\n".join(lines)


def main():
    builds, pages = {}, {}
    for size in SIZES:
        builds[size] = ensure_archive(size)
        pages[size] = measure_pages(size)
    largest = SIZES[-1]
    article_url = pages[largest]["article"]["url"]
    mix_urls = [page["url"] for name, page in pages[largest].items() if not name.startswith("_")]
    rows, mix = throughput(largest, article_url, mix_urls)
    import search  # noqa: E402 (it imports this module): search through gunicorn, beside the bare endpoint

    searched = search.section(largest)  # after throughput(), which collected the static files
    imported = import_rate()
    # The ceiling is the bare endpoint without the page cache: beside the page cache
    # it also pays a cache lookup, and is shown for that alone.
    ceiling = next(rate for name, cached, rate, _, _ in rows if name == "bare ceiling" and not cached)
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {os.cpu_count()} cores. Server time is measured inside one Django process (test client, no network),"
        " with the whole-page cache off and fragments cached as in production; each figure over "
        f"{os.environ.get('BENCH_RUNS', '60')} requests after a warm-up.",
        "",
        table(pages, SIZES),
        "",
        f"Throughput on the {label(largest)} archive: `make serve`'s stack (gunicorn, 2 sync workers, Redis), "
        f"wrk -t2 -c16 for {WRK_SECONDS} s.",
        "",
        "| endpoint | page cache | requests/s | % of bare ceiling | requests | non-2xx |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, cached, rate, total, bad in rows:
        if name == "worker RSS MB":
            lines.append(f"| worker RSS after the runs (MB) | {'on' if cached else 'off'} | {rate:.0f} | | | |")
        else:
            lines.append(
                f"| {name} | {'on' if cached else 'off'} | {rate:.0f} | {100 * rate / ceiling:.1f}% | {total} | {bad} |"
            )
    lines += [
        "",
        f"Load: wrk -t2 -c64 for {LOAD_SECONDS} s over a mix of {len(mix_urls)} pages (every page type above, search "
        f"included), page cache on: {mix['rate']:.0f} requests/s, {mix['total']} requests, p99 {mix['p99']}, "
        f"non-2xx answers: {mix['non_2xx']}, socket errors: {mix['socket_errors']}.",
    ]
    lines.append(
        f"\nImport: `import_articles --format ndjson` of {imported['lines']} synthetic articles into an empty database: "
        f"{imported['rate']:.0f} articles/s while writing, {imported['wall']:.1f} s in all (with start-up and the "
        "suggestion vocabulary)."
    )
    lines += ["", searched]
    for size, seconds in builds.items():
        if seconds:
            lines.append(f"\nBuilt the {label(size)} archive in {seconds / 60:.1f} min.")
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results.md").write_text(text)
    print(text)
    import cold  # noqa: E402 (it imports this module)

    cold.measure(size=largest, built=builds[largest])  # writes bench/cold.md


if __name__ == "__main__":
    main()
