"""`make bench-search`: search through `make serve`'s stack, at archive scale.

gunicorn (WEB_CONCURRENCY sync workers, Redis) with the production settings and the whole-page
cache off, so that every request searches, on the archive of BENCH_SEARCH_SIZE
articles (database antd_bench_<size>, built once as `make bench` builds it;
BENCH_SEARCH_DATABASE_URL names another). One reader at a time asks the queries of
each class in turn, so a figure is the time a reader waits for one page: p50 and p95
over BENCH_SEARCH_RUNS requests a class, beside the bare endpoint's measured the
same way in the same run. Then wrk with two connections (one per worker) gives
requests/s as a share of the bare endpoint's. Writes bench/search.md; `make bench`
runs the same section on its largest archive.

The synthetic archive's words are drawn evenly from one vocabulary (make_archive):
once accents are folded, the words asked for here are in 60 to 90% of the articles
(their pairs in 15 to 75%) and in 1.5 to 2.5% of the titles, so its only rare words
are those it does not have (read from the GIN index, as any rare word is). Its words
are drawn independently, so a quoted phrase is some 50 times rarer than its words
together, which real text is not: that class is shown apart, beyond the target's one
to three words.
"""
import http.client
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stack  # noqa: E402

SIZE = int(os.environ.get("BENCH_SEARCH_SIZE", "1000000"))
RUNS = int(os.environ.get("BENCH_SEARCH_RUNS", "100"))
WRK_SECONDS = int(os.environ.get("BENCH_SEARCH_WRK_SECONDS", "5"))
# Each class: queries a reader types, asked in turn. Accented and not, as readers type.
CLASSES = {
    "1 word": ["công", "người", "hàng", "bảo"],
    "1 word, no accents": ["cong", "nguoi", "hang", "bao"],
    "2 words": ["công an", "giao thông", "an ninh", "xử lý"],
    "2 words, no accents": ["cong an", "giao thong", "an ninh", "xu ly"],
    "3 words": ["lực lượng công an", "bảo đảm an toàn", "kiểm tra xử lý"],
    "3 words, no accents": ["luc luong cong an", "bao dam an toan", "kiem tra xu ly"],
    "a word no article has (a suggestion)": ["nguoyen", "xyzqw", "tacc"],
    "2 words, page 5": ["công an&page=5", "giao thông&page=5"],
    "2 words, newest first": ["công an&sap_xep=moi-nhat", "giao thông&sap_xep=moi-nhat"],
    "5–7 words": ["kiểm tra xử lý vi phạm", "lực lượng công an kiểm tra xử lý", "bảo đảm an toàn giao thông đường"],
    "a quoted phrase": ['"công an"', '"giao thông"', '"an ninh"'],
}
HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def path(query):
    q, _, rest = query.partition("&")
    return "/tim-kiem/?q=" + urllib.parse.quote(q) + (f"&{rest}" if rest else "")


def get(port, target):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.perf_counter()
    connection.request("GET", target, headers=HEADERS)
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    connection.close()
    return response.status, body, elapsed


def latency(port, targets, runs=RUNS):
    """p50, p95 (ms) and statuses of `runs` requests, one at a time, over targets in turn."""
    for target in targets:
        get(port, target)  # warm-up: each query once
    times, statuses = [], set()
    for n in range(runs):
        status, _, elapsed = get(port, targets[n % len(targets)])
        times.append(elapsed)
        statuses.add(status)
    return statistics.median(times), stack.percentile(times, 0.95), statuses


def count_line(port, target):
    """What the page says it found ("Tìm thấy hơn 1.000 bài.")."""
    page = get(port, target)[1].decode()
    start = page.find('class="result-count"')
    if start < 0:
        return "none"
    return page[page.index(">", start) + 1:page.index("</p>", start)].replace("Tìm thấy ", "").rstrip(".")


def rate(port, targets, seconds=WRK_SECONDS):
    """requests/s of wrk with two connections (one per worker) over targets in turn."""
    script = stack.ROOT / "bench" / "cache" / "search.lua"
    script.write_text(stack.MIX_SCRIPT % ", ".join(f'"{target}"' for target in targets))
    out = subprocess.run(
        ["wrk", "-t1", "-c2", f"-d{seconds}s", "-s", str(script), f"http://127.0.0.1:{port}/"],
        capture_output=True, text=True, check=True,
    ).stdout
    return stack.wrk_summary(out)["rate"]


def measure(port):
    """{class: (p50, p95, statuses, requests/s, what the first query's page says)}, the bare endpoint first."""
    rows = {"bare ceiling": (*latency(port, ["/_bench/bare/"]), rate(port, ["/_bench/bare/"]), "")}
    for name, queries in CLASSES.items():
        targets = [path(query) for query in queries]
        rows[name] = (*latency(port, targets), rate(port, targets), count_line(port, targets[0]))
    return rows


def table(rows, size):
    bare_p50, bare_p95, _, bare_rate, _ = rows["bare ceiling"]
    lines = [
        f"Search on the {size:,}-article archive through gunicorn ({stack.WORKERS} sync workers, Redis), whole-page cache off: "
        f"one reader at a time, {RUNS} requests a class over its queries in turn (after one of each), "
        f"then wrk with 2 connections for {WRK_SECONDS} s. The bare endpoint, measured the same way in the same run, "
        "is the ceiling.",
        "",
        "| class | queries | found (first query) | p50 ms | p95 ms | p95 − bare p95 (ms) | requests/s (2 conn.) "
        "| % of bare | statuses |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, (p50, p95, statuses, per_second, found) in rows.items():
        queries = ", ".join(CLASSES.get(name, ["/_bench/bare/"])).replace("&", " & ")
        lines.append(
            f"| {name} | {queries} | {found} | {p50:.1f} | {p95:.1f} | {p95 - bare_p95:.1f} | {per_second:.0f} "
            f"| {100 * per_second / bare_rate:.1f}% | {', '.join(map(str, sorted(statuses)))} |"
        )
    return "\n".join(lines)


def section(size):
    """The table of one run on the archive of database_url(size): gunicorn started and stopped here."""
    (stack.ROOT / "bench" / "cache").mkdir(exist_ok=True)
    process, port = stack.gunicorn(size, page_cache=False)
    try:
        rows = measure(port)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    return table(rows, size)


def main():
    url = os.environ.get("BENCH_SEARCH_DATABASE_URL")
    if url:
        stack.database_url = lambda size: url
    else:
        stack.ensure_archive(SIZE)
    production = {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "bench-" + "k3y-" * 15, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    stack.run([stack.PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=production)
    text = f"# Search at archive scale ({date.today():%d/%m/%Y})\n\n{section(SIZE)}\n"
    (stack.ROOT / "bench" / "search.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
