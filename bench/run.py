"""`make bench`: page costs at two archive sizes, then HTTP throughput with wrk.

Archives are built once (make_archive) into databases antd_bench_<size> and kept
between runs. Writes bench/results.md, then runs bench/cold.py (cold pages and
nginx in front) on the larger archive, which writes bench/cold.md; README shows
the latest.
"""
import json
import os
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import cold
import search
from stack import (
    MIX_SCRIPT, PY, ROOT, SIZES, SOCKET, WORKERS, WRK_SECONDS, database_url, ensure_archive, gunicorn, label, run, wrk, wrk_summary,
)

LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
IMPORT_LINES = int(os.environ.get("BENCH_IMPORT_LINES", "50000"))


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
        f"Throughput on the {label(largest)} archive: `make serve`'s stack (gunicorn, {WORKERS} sync workers, Redis), "
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
    cold.measure(size=largest, built=builds[largest])  # writes bench/cold.md


if __name__ == "__main__":
    main()
