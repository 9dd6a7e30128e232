"""`make bench-reads`: what counting views ("Đọc nhiều") costs a reader's page.

The page itself does no counting: it only carries its article's id for our
beacon script. This runs `make serve`'s stack (gunicorn, WEB_CONCURRENCY sync workers, Redis)
on a 10,000-article archive (database antd_bench_reads, built once) and measures,
in one run, requests/s of the bare endpoint (the ceiling), the article page
alone, and the article page while the beacon endpoint is hit as hard at the same
time (each with half the connections), page cache off and on. Writes bench/reads.md.
"""
import os
import signal
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stack  # noqa: E402

SIZE = 10_000
NAME = "antd_bench_reads"
HOST = os.environ.get("BENCH_PGHOST", "127.0.0.1")
SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
URL = f"postgres://postgres@{HOST}:5432/{NAME}"
BEACON = """
wrk.method = "POST"
wrk.body = "%d"
wrk.headers["Content-Type"] = "text/plain;charset=UTF-8"
wrk.headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36"
wrk.headers["X-Forwarded-Proto"] = "https"
"""


def prepare():
    env = {"DATABASE_URL": URL}
    found = stack.run(["psql", URL.replace(NAME, "postgres"), "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{NAME}'"],
                      capture_output=True).stdout.strip()
    if not found:
        stack.run(["psql", URL.replace(NAME, "postgres"), "-c", f"CREATE DATABASE {NAME}"], capture_output=True)
    stack.run([stack.PY, "manage.py", "migrate", "-v0"], env=env)
    production = {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "bench-" + "k3y-" * 15, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    stack.run([stack.PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=production)  # hashed names, as make serve
    count = int(stack.run([stack.PY, "manage.py", "shell", "-c", "from articles.models import Article; print(Article.objects.count())"],
                          env=env, capture_output=True).stdout.split()[-1])
    if count < SIZE:
        stack.run([stack.PY, "manage.py", "make_archive", "--articles", str(SIZE - count)], env=env)
    out = stack.run([stack.PY, "manage.py", "shell", "-c", (
        "from articles.models import Article; a = Article.objects.published().order_by('-published_at')[5]; "
        "print(a.pk, a.get_absolute_url())")], env=env, capture_output=True).stdout.split()
    return int(out[-2]), out[-1]


def wrk(port, path, connections, script=None):
    args = ["wrk", "-t1", f"-c{connections}", f"-d{SECONDS}s", "-H", "X-Forwarded-Proto: https"]
    if script:
        args += ["-s", script]
    return subprocess.Popen([*args, f"http://127.0.0.1:{port}{path}"], stdout=subprocess.PIPE, text=True)


def rate(process):
    summary = stack.wrk_summary(process.communicate()[0])
    return summary["rate"], summary["non_2xx"]


def measure(port, article_url, script):
    wrk(port, article_url, 16).communicate()  # warm-up
    bare = rate(wrk(port, "/_bench/bare/", 16))
    alone = rate(wrk(port, article_url, 16))
    page, beacons = wrk(port, article_url, 8), wrk(port, "/_doc/", 8, script)
    together = rate(page), rate(beacons)
    return bare, alone, together


def main():
    article_id, article_url = prepare()
    os.environ["BENCH_PGHOST"] = HOST
    stack.database_url = lambda size: URL
    (stack.ROOT / "bench" / "cache").mkdir(exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(BEACON % article_id)
    rows = []
    for page_cache in (False, True):
        process, port = stack.gunicorn(SIZE, page_cache)
        try:
            rows.append((page_cache, *measure(port, article_url, script.name)))
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    write(rows)


def write(rows):
    lines = [
        f"# What counting views costs the article page ({date.today():%d/%m/%Y})", "",
        f"`make bench-reads`: gunicorn ({stack.WORKERS} sync workers, Redis), {SIZE:,}-article archive, wrk for {SECONDS} s each, "
        "in one run: the bare endpoint (16 connections), the article page alone (16), then the article page (8) "
        "while the beacon endpoint `/_doc/` is posted to (8) at the same time.", "",
        "| page cache | bare ceiling req/s | article alone req/s (% of ceiling) | article beside beacons req/s "
        "| beacons req/s | article + beacons req/s (% of ceiling) | non-2xx |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for page_cache, bare, alone, (page, beacons) in rows:
        both = page[0] + beacons[0]
        lines.append(
            f"| {'on' if page_cache else 'off'} | {bare[0]:.0f} | {alone[0]:.0f} ({alone[0] / bare[0]:.0%}) "
            f"| {page[0]:.0f} | {beacons[0]:.0f} | {both:.0f} ({both / bare[0]:.0%}) "
            f"| {bare[1] + alone[1] + page[1] + beacons[1]} |"
        )
    text = "\n".join(lines) + "\n"
    (stack.ROOT / "bench" / "reads.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
