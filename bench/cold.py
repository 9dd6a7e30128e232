"""`make bench`, issue 16: cold pages, and nginx in front. Writes bench/cold.md.

On one archive (the largest of BENCH_SIZES, or the database at
BENCH_COLD_DATABASE_URL, used read-only), through `make serve`'s stack (gunicorn,
WEB_CONCURRENCY sync workers, Redis) with the whole-page cache off (ANTD_PAGE_CACHE_SECONDS=0),
in one run and beside ceilings measured in the same run:

- **the bare ceiling**: the bare 20 KB Django endpoint, wrk -t2 -c16 as
  bench/run.py measures it (run.wrk), at the start and again at the end.
- **home, page cache off**: the same wrk on `/` (fragments warm, as run.py), and
  the first reader after a bump of the content version.
- **random articles, cold**: N distinct article addresses taken at random from
  the articles sitemap, each requested once (bench/walk.lua: wrk's request()
  walks the list; one thread, 16 connections), right after the content version
  was bumped (articles.caching.changed(), what any publication does): no page
  and no fragment of theirs is cached. N is BENCH_COLD_URLS, by default a tenth
  of the archive (100,000 at 1,000,000 articles).
- **listings, cold**: tag, category and day pages, page 1 and deep pages, taken at
  random (bench/listings.py counts every listing), BENCH_COLD_LISTINGS in all
  (by default N / 5), the same way, one kind at a time, each after a bump.

- **memory**: each gunicorn worker's resident size after the home page's runs
  and again after the cold articles and listings (target ≤ 100 MB).
- **CPU by part**: what the app, PostgreSQL, Redis and wrk each spent a request
  in the ceiling's run and in each cold walk (bench/cpu.py).

Requests/s come from this script's clock (wrk's start to the last answer) and are
given as a share of the bare ceiling; server time p50/p95 from the app's own
request lines (`antd.request GET /path 200 12.3ms`, written by
antd_site.middleware.RequestLogMiddleware, the outermost middleware).

- **nginx in front** (bench/nginx.py, deploy/nginx.conf as deploy/render.py
  renders it): a cached article page through nginx as a share of nginx serving
  a 20 KB static file (the bare endpoint's own bytes), wrk -t2 -c16 each; then a
  wrk run over cached article pages during which gunicorn is reloaded (HUP),
  stopped and started again, and PostgreSQL is cut off from the app
  (nginx.DatabaseSwitch; the content version bumped then, so that the app must
  ask the database), counting what readers got. The pages are cached in groups
  a few seconds apart, so that some expire (s-maxage=60) during each of the
  three and nginx asks the app for them then.
"""
import bisect
import html
import itertools
import json
import math
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cpu  # noqa: E402
import stack  # noqa: E402
from nginx import DatabaseSwitch, proxy as nginx_proxy  # noqa: E402

CACHE = stack.ROOT / "bench" / "cache"
RESULTS = CACHE / "cold.json"
WALK = stack.ROOT / "bench" / "walk.lua"
SPARE = "/robots.txt"  # what walk.lua asks, with If-None-Match, once its list is all asked
CONNECTIONS = 16
APP_LOG = "gunicorn-cold.log"
NGINX_APP_LOG = "gunicorn-nginx.log"
REQUEST_LINE = re.compile(r"antd\.request GET (\S+) (\d{3}) ([\d.]+)ms")
LOC = re.compile(r"<loc>([^<]+)</loc>")
# Keys of the site's cache in Redis: django-redis's "<KEY_PREFIX>:<version>:", then
# articles/caching/store.py's "antd:<content version>:…".
CACHE_PREFIX = b"antd:1:antd:"
STALL_SECONDS = 120  # a walk whose app log has not grown for this long is stopped
OUTAGE_SECONDS = int(os.environ.get("BENCH_OUTAGE_SECONDS", "30"))
OUTAGE_PAGES = 300
OUTAGE_GROUPS = 15
CDN_MAX_AGE = 60  # settings.ANTD["CDN_MAX_AGE"]: nginx keeps a page this long, then asks again
LISTING_CLASSES = ("tag p1", "tag deep", "category p1", "category deep", "day p1", "day deep")
TARGETS = {"articles p95 ms": 8, "articles share": 0.35, "nginx share": 0.50, "worker MB": 100}


# --- the app -------------------------------------------------------------------------------


def get(port, path, timeout=120):
    """(status, headers, body) of one request, as a reader behind TLS asks."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def manage(url, code):
    out = stack.run([stack.PY, "manage.py", "shell", "-c", code], env={"DATABASE_URL": url, "REDIS_URL": stack.REDIS_URL},
                    capture_output=True).stdout
    return out.split()


def bump(url):
    """What any publication does: every cached page and fragment belongs to the old version."""
    manage(url, "from articles import caching; caching.changed()")
    forget_old_versions()
    time.sleep(1.2)  # each worker reads the shared version at most once a second (caching.version)


def forget_old_versions():
    """Delete from the bench's Redis what was kept under content versions (never
    read again once the version is bumped; otherwise kept up to an hour: about
    50 KB an article page, 5 GB after 100,000 cold ones). Values kept for a slot
    of the clock (t60-…) are left alone."""
    import redis

    client = redis.Redis.from_url(stack.REDIS_URL)
    stale = []
    for key in client.scan_iter(match=CACHE_PREFIX + b"*", count=5000):
        if key[len(CACHE_PREFIX):].split(b":", 1)[0].isdigit():
            stale.append(key)
        if len(stale) >= 5000:
            client.unlink(*stale)
            stale = []
    if stale:
        client.unlink(*stale)


def log_offset(name):
    path = CACHE / name
    return path.stat().st_size if path.exists() else 0


def request_lines(name, offset):
    """(path, status, ms) of the app's request lines written since offset."""
    with (CACHE / name).open("rb") as log:
        log.seek(offset)
        text = log.read().decode(errors="replace")
    return [(path, int(status), float(ms)) for path, status, ms in REQUEST_LINE.findall(text)]


def server_times(lines, paths=None):
    wanted = None if paths is None else {path.split("?")[0] for path in paths}
    times = [ms for path, _, ms in lines if wanted is None or path in wanted]
    statuses = Counter(status for path, status, _ in lines if wanted is None or path in wanted)
    return {
        "answered": len(times), "p50": stack.percentile(times, 0.50), "p95": stack.percentile(times, 0.95),
        "p99": stack.percentile(times, 0.99), "max": max(times, default=float("nan")),
        "non_2xx": sum(n for status, n in statuses.items() if not 200 <= status < 300),
    }


def wrk_rate(port, path, app=None):
    """bench/run.py's measurement: a 2 s warm-up, then wrk -t2 -c16 for BENCH_WRK_SECONDS
    (with app, the gunicorn it asks: the CPU each part of the stack spent a request)."""
    stack.wrk(port, path, seconds=2)
    before = cpu.snapshot(app.pid) if app else None
    rate, total, bad = stack.wrk(port, path)
    spent = cpu.per_request(before, cpu.snapshot(app.pid), total) if app else None
    return {"rate": rate, "total": total, "non_2xx": bad, "cpu": spent}


# --- what to ask for ---------------------------------------------------------------------------


def sitemap_locs(port, path):
    status, _, body = get(port, path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return [urllib.parse.urlsplit(html.unescape(loc)) for loc in LOC.findall(body.decode())]


def article_paths(port, n, rng):
    """n distinct article addresses at random from the articles sitemap: its files
    in random order, read until there are twice as many as wanted (or all), then
    a random n of those (the files hold equally many, the last one excepted)."""
    files = [f"{u.path}?{u.query}" if u.query else u.path
             for u in sitemap_locs(port, "/sitemap.xml") if u.path == "/sitemap-articles.xml"]
    rng.shuffle(files)
    found, read = [], 0
    with ThreadPoolExecutor(2) as pool:
        for start in range(0, len(files), 4):
            if len(found) >= 2 * n:
                break
            for locs in pool.map(lambda name: sitemap_locs(port, name), files[start:start + 4]):
                found += [u.path for u in locs]
                read += 1
    return rng.sample(found, min(n, len(found))), {"files": len(files), "read": read, "addresses": len(found)}


def listing_paths(url, n, rng):
    """About n / 6 distinct pages of each class: page 1 of random tags, categories
    and days, and deep pages, each a random (listing, page ≥ 2) pair of all there
    are. A class smaller than its share is taken whole (page 1 of the 30 categories)."""
    counts = json.loads(stack.run([stack.PY, "bench/listings.py"], env={"DATABASE_URL": url},
                                  capture_output=True).stdout.strip().splitlines()[-1])
    per_page, share = counts["per_page"], max(1, n // len(LISTING_CLASSES))
    classes = {}
    for kind in ("tag", "category", "day"):
        listings = counts[kind]
        first = [path for path, _ in listings]
        classes[f"{kind} p1"] = rng.sample(first, min(share, len(first)))
        deep = [(path, math.ceil(count / per_page) - 1) for path, count in listings if count > per_page]
        ends = list(itertools.accumulate(pages for _, pages in deep))
        total = ends[-1] if ends else 0
        picks = rng.sample(range(total), min(share, total))
        chosen = []
        for pick in picks:
            i = bisect.bisect_right(ends, pick)
            path, _ = deep[i]
            chosen.append(f"{path}?page={pick - (ends[i - 1] if i else 0) + 2}")
        classes[f"{kind} deep"] = chosen
    return classes


def worker_memory(app):
    """The resident memory of each gunicorn worker (the master's children), in MB."""
    children = Path(f"/proc/{app.pid}/task/{app.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sorted(sizes)


# --- a walk: each path once ---------------------------------------------------------------


def walk(port, paths, app, log_name=APP_LOG):
    """wrk over paths, each once (bench/walk.lua); the app's times for them, and the
    CPU each part of the stack (app, the gunicorn asked) spent a request."""
    if not paths:
        return None
    listing = CACHE / "walk.txt"
    listing.write_text("".join(f"{path}\n" for path in paths))
    etag = get(port, SPARE)[1].get("ETag")
    if not etag:
        raise RuntimeError(f"{SPARE} has no ETag: bench/walk.lua needs its 304")
    offset = log_offset(log_name)
    before = cpu.snapshot(app.pid)
    start = time.perf_counter()
    # One thread: wrk stops a thread with connections open, which would hold gunicorn's workers.
    process = subprocess.Popen(
        ["wrk", "-t1", f"-c{CONNECTIONS}", "-d86400s", "--timeout", "60s", "-s", str(WALK),
         f"http://127.0.0.1:{port}/", "--", str(listing), SPARE, etag],
        stdout=subprocess.PIPE, text=True,
    )
    stalled = threading.Event()

    def watch():
        size, since = -1, time.monotonic()
        while process.poll() is None:
            time.sleep(2)
            now = log_offset(log_name)
            if now != size:
                size, since = now, time.monotonic()
            elif time.monotonic() - since > STALL_SECONDS:
                stalled.set()
                process.send_signal(signal.SIGINT)
                return

    threading.Thread(target=watch, daemon=True).start()
    elapsed = None
    for line in process.stdout:
        if line.startswith("walk: done"):
            elapsed = time.perf_counter() - start
            process.send_signal(signal.SIGINT)  # wrk's main thread would sleep out -d
    process.wait()
    spent = cpu.per_request(before, cpu.snapshot(app.pid), len(paths))
    complete = elapsed is not None and not stalled.is_set()
    if elapsed is None:
        elapsed = time.perf_counter() - start
    times = server_times(request_lines(log_name, offset), paths)
    return {"requests": len(paths), "rate": times["answered"] / elapsed, "seconds": elapsed, "complete": complete,
            "cpu": spent, **times}


# --- nginx in front ----------------------------------------------------------------------------


def nginx_section(size, url, pages, rng):
    """A cached article through nginx beside a 20 KB static file; then readers of
    cached pages while the app restarts and while its database is away."""
    switch = DatabaseSwitch(url).start()
    app_port = stack.free_port()
    app_env = {"ANTD_TRUSTED_PROXIES": "127.0.0.1"}  # as README runs the app behind nginx
    app, _ = stack.gunicorn(size, False, url=switch.url, port=app_port, log_name=NGINX_APP_LOG, env=app_env)
    static = CACHE / "nginx-static"
    static.mkdir(exist_ok=True)
    bare = get(app_port, "/_bench/bare/")[2]
    (static / "bare-20k.html").write_bytes(bare)
    apps = [app]  # the one running: the outage run starts another
    proxy = None
    try:
        proxy = nginx_proxy(CACHE / "nginx", app_port, static, stack.ROOT / "var" / "media")
        page = pages[0]
        statuses = [get(proxy.port, page)[1].get("X-Cache-Status") for _ in range(2)]
        if statuses != ["MISS", "HIT"]:
            raise RuntimeError(f"nginx did not cache {page}: {statuses}")
        result = {
            "static": wrk_rate(proxy.port, "/static/bare-20k.html"), "static_bytes": len(bare),
            "page": wrk_rate(proxy.port, page), "page_bytes": len(get(proxy.port, page)[2]),
        }
        outage_pages = rng.sample(pages[1:], min(OUTAGE_PAGES, len(pages) - 1))
        result["outage"] = outage_run(proxy, apps, app_port, size, url, switch, outage_pages)
        return result
    finally:
        if proxy:
            proxy.stop()
        if apps[0].poll() is None:
            apps[0].send_signal(signal.SIGTERM)
            apps[0].wait(timeout=30)
        switch.stop()


def outage_run(proxy, apps, app_port, size, url, switch, pages):
    # Cached in groups, so that a group's copies expire during each event of the run.
    interval = OUTAGE_SECONDS / OUTAGE_GROUPS
    first = time.monotonic()
    for i in range(OUTAGE_GROUPS):
        _sleep_until(first + i * interval)
        for page in pages[i::OUTAGE_GROUPS]:
            get(proxy.port, page)
    _sleep_until(first + CDN_MAX_AGE + 1)

    script = CACHE / "outage.lua"
    script.write_text(stack.MIX_SCRIPT % ", ".join(f'"{page}"' for page in pages))
    offsets = (proxy.access_log.stat().st_size, log_offset(NGINX_APP_LOG), len(proxy.log()))
    process = subprocess.Popen(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{OUTAGE_SECONDS}s", "--timeout", "10s", "-s", str(script),
         f"http://127.0.0.1:{proxy.port}/"], stdout=subprocess.PIPE, text=True,
    )
    start = time.monotonic()
    events = []

    def at(fraction):
        _sleep_until(start + fraction * OUTAGE_SECONDS)

    def note(what):
        events.append((what, time.monotonic() - start))

    at(0.15)
    apps[0].send_signal(signal.SIGHUP)  # gunicorn: new workers, the old ones finish what they have
    note("gunicorn reloaded (HUP)")
    at(0.30)
    apps[0].send_signal(signal.SIGTERM)
    apps[0].wait(timeout=30)
    note("gunicorn stopped")
    at(0.45)
    apps[0] = stack.gunicorn(size, False, url=switch.url, port=app_port, log_name=NGINX_APP_LOG, append=True,
                             env={"ANTD_TRUSTED_PROXIES": "127.0.0.1"})[0]
    note("gunicorn started again and answering")
    at(0.60)
    switch.off()
    note("PostgreSQL cut off from the app")
    bump(url)  # as if an editor had published just before: the app must ask the database
    note("content version bumped")
    at(0.80)
    switch.on()
    note("PostgreSQL back")
    out = process.communicate()[0]

    summary = stack.wrk_summary(out)
    with proxy.access_log.open("rb") as log:
        log.seek(offsets[0])
        served = [line.split() for line in log.read().decode(errors="replace").splitlines()]
    app_lines = request_lines(NGINX_APP_LOG, offsets[1])
    return {
        "seconds": OUTAGE_SECONDS, "pages": len(pages), "events": events,
        "requests": summary["total"], "rate": summary["rate"],
        "non_2xx": summary["non_2xx"], "socket_errors": summary["socket_errors"],
        "nginx_status": Counter(fields[3] for fields in served if len(fields) >= 6),
        "nginx_cache": Counter(fields[5] for fields in served if len(fields) >= 6),
        "app_status": Counter(status for _, status, _ in app_lines),
        "unreachable": proxy.log()[offsets[2]:].count("connect() failed"),
        "switch_closed": switch.cuts,
    }


def _sleep_until(moment):
    time.sleep(max(0.0, moment - time.monotonic()))


# --- the run -------------------------------------------------------------------------------------


def measure(*, size=None, url=None, built=None):
    """All sections on the archive of `size` (bench/run.py's database) or at url."""
    url = url or stack.database_url(size)
    total, public = map(int, manage(url, (
        "from articles.models import Article; print(Article.objects.count(), Article.objects.published().count())"))[-2:])
    n = int(os.environ.get("BENCH_COLD_URLS") or max(1, total // 10))
    n_listings = int(os.environ.get("BENCH_COLD_LISTINGS") or max(len(LISTING_CLASSES), n // 5))
    seed = int(os.environ.get("BENCH_SEED") or time.time_ns() % 2**32)
    rng = random.Random(seed)
    CACHE.mkdir(exist_ok=True)
    production = {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "bench-" + "k3y-" * 15, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    stack.run([stack.PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=production)
    results = {"database": urllib.parse.urlsplit(url).path.strip("/"), "size": total, "public": public,
               "built": built, "seed": seed, "date": f"{date.today():%d/%m/%Y}", "workers": stack.WORKERS}

    app, port = stack.gunicorn(size, False, url=url, log_name=APP_LOG)
    try:
        results["bare"] = wrk_rate(port, "/_bench/bare/", app)
        stack.wrk(port, "/", seconds=2)  # warm-up
        offset = log_offset(APP_LOG)
        rate, total, bad = stack.wrk(port, "/")
        results["home"] = {"rate": rate, "total": total, **server_times(request_lines(APP_LOG, offset), ["/"])}
        bump(url)
        offset = log_offset(APP_LOG)
        get(port, "/")
        results["home first"] = server_times(request_lines(APP_LOG, offset), ["/"])
        results["memory before"] = worker_memory(app)

        articles, files = article_paths(port, n, rng)
        results["sitemap"] = files
        listings = listing_paths(url, n_listings, rng)
        bump(url)
        results["articles"] = walk(port, articles, app)
        results["listings"] = {}
        for name in LISTING_CLASSES:
            bump(url)
            results["listings"][name] = walk(port, listings[name], app)
        results["bare at the end"] = wrk_rate(port, "/_bench/bare/")
        results["memory after"] = worker_memory(app)
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)
    RESULTS.write_text(json.dumps(results, default=str))  # `bench/cold.py --write` renders it again
    try:
        results["nginx"] = nginx_section(size, url, articles, rng)
    finally:
        bump(url)  # and what this run kept goes
    RESULTS.write_text(json.dumps(results, default=str))
    write(results)
    return results


def write(r):
    ceiling = r["bare"]["rate"]
    built = f"built by make_archive in this run in {r['built'] / 60:.1f} min" if r["built"] else "built before this run"
    lines = [
        f"# Cold pages and nginx in front ({r['date']})", "",
        f"`make bench` (bench/cold.py), {os.cpu_count()} cores, on the archive in database `{r['database']}`: "
        f"{r['size']:,} articles ({r['public']:,} public), {built}. `make serve`'s stack: gunicorn with "
        f"{r.get('workers', 2)} sync workers, Redis, the whole-page cache off (ANTD_PAGE_CACHE_SECONDS=0); 16 connections. Ceilings measured in "
        f"the same run: the bare 20 KB Django endpoint {ceiling:,.0f} requests/s at the start, "
        f"{r['bare at the end']['rate']:,.0f} at the end (percentages are of the first).", "",
        f"wrk -t2 -c16 for {stack.WRK_SECONDS} s (bench/run.py's measurement) for the ceiling and the home page. "
        "Cold: each address requested once (bench/walk.lua, wrk -t1 -c16), right after the content version was bumped (what any "
        "publication does), so no page and no fragment of it is cached; the listings one class at a time, each "
        "after a bump. Requests/s by this script's clock, from wrk's start to its last answer. Server time: the "
        "app's own request line (`antd.request … 12.3ms`, its outermost middleware), p50 / p95 / p99 / max in ms.", "",
        "| section | requests | requests/s | % of bare ceiling | server p50 ms | p95 | p99 | max | non-2xx |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]

    def row(name, w):
        flag = "" if w.get("complete", True) and w["answered"] == w["requests"] else f" (only {w['answered']} answered)"
        return (f"| {name}{flag} | {w['requests']:,} | {w['rate']:,.0f} | {100 * w['rate'] / ceiling:.1f}% | "
                f"{w['p50']:.1f} | {w['p95']:.1f} | {w['p99']:.1f} | {w['max']:.1f} | {w['non_2xx']} |")

    sitemap = r["sitemap"]
    lines.append(row("random articles, cold", r["articles"]))
    listings = r["listings"]
    for name, w in listings.items():
        lines.append(row(f"listing, cold: {name}", w) if w else f"| listing, cold: {name} | 0 (none in this archive) |")
    every = [w for w in listings.values() if w]
    count = sum(w["requests"] for w in every)
    seconds = sum(w["seconds"] for w in every)
    lines.append(f"| listings, cold: all six classes | {count:,} | {count / seconds:,.0f} | "
                 f"{100 * count / seconds / ceiling:.1f}% | | | | | {sum(w['non_2xx'] for w in every)} |")
    home, first = r["home"], r["home first"]
    lines += [
        f"| home, page cache off (fragments warm), wrk {stack.WRK_SECONDS} s | {home['total']:,} | {home['rate']:,.0f} | "
        f"{100 * home['rate'] / ceiling:.1f}% | {home['p50']:.1f} | {home['p95']:.1f} | {home['p99']:.1f} | "
        f"{home['max']:.1f} | {home['non_2xx']} |",
        f"| home, the first reader after a bump | 1 | | | {first['p50']:.1f} | | | | {first['non_2xx']} |",
        "",
        f"Targets (issue 16): random articles cold p95 ≤ {TARGETS['articles p95 ms']} ms server time "
        f"(measured {r['articles']['p95']:.1f}) and ≥ {TARGETS['articles share']:.0%} of the bare ceiling "
        f"(measured {r['articles']['rate'] / ceiling:.0%}). The articles: a random {r['articles']['requests']:,} of "
        f"the {sitemap['addresses']:,} addresses in {sitemap['read']} of the {sitemap['files']} files of the articles "
        f"sitemap, read in random order. Random seed {r['seed']} (BENCH_SEED).",
    ]
    if r.get("memory after"):
        before, after = (", ".join(f"{mb:.0f}" for mb in r[k]) for k in ("memory before", "memory after"))
        lines += ["", f"Memory (resident, per gunicorn worker): {before} MB after the home page's runs; {after} MB "
                  f"after the cold articles and listings (target ≤ {TARGETS['worker MB']} MB)."]
    lines += cpu_lines(r)
    x = r["nginx"]
    share = x["page"]["rate"] / x["static"]["rate"]
    o = x["outage"]
    events = "; ".join(f"{what} at {when:.1f} s" for what, when in o["events"])
    lines += [
        "", "## nginx in front", "",
        "Debian's nginx (`make nginx`) with deploy/nginx.conf rendered by deploy/render.py (this run's ports and "
        "folders, X-Forwarded-Proto https), worker_processes auto, in front of the same stack (its database through "
        "bench/nginx.py's switch); wrk -t2 -c16, no compression asked for.", "",
        "| what | bytes | requests/s | % of the static file | non-2xx |",
        "| --- | --- | --- | --- | --- |",
        f"| 20 KB static file (the bare endpoint's bytes) | {x['static_bytes']:,} | {x['static']['rate']:,.0f} | 100% | "
        f"{x['static']['non_2xx']} |",
        f"| cached article page (HIT) | {x['page_bytes']:,} | {x['page']['rate']:,.0f} | {share:.0%} | {x['page']['non_2xx']} |",
        "", f"Target: the cached article page ≥ {TARGETS['nginx share']:.0%} of the static file (measured {share:.0%}).", "",
        f"Outage: wrk -t2 -c16 for {o['seconds']} s over {o['pages']} article pages cached by nginx (in groups "
        f"{OUTAGE_SECONDS / OUTAGE_GROUPS:.0f} s apart, so that copies expire all through the run and nginx asks "
        f"the app for them), while: {events}. Readers got {o['requests']:,} answers ({o['rate']:,.0f}/s): "
        f"**non-2xx {o['non_2xx']}**, socket errors {o['socket_errors']}. nginx's log: statuses "
        f"{_counts(o['nginx_status'])}; cache {_counts(o['nginx_cache'])}. The app answered "
        f"{_counts(o['app_status'])}; nginx found the app unreachable {o['unreachable']} times; the switch closed "
        f"{o['switch_closed']} database connections.",
    ]
    text = "\n".join(lines) + "\n"
    (stack.ROOT / "bench" / "cold.md").write_text(text)
    print(text)


def cpu_lines(r):
    """Where the CPU went (bench/cpu.py): the ceiling's run, the cold articles and each listing class."""
    runs = [("bare 20 KB endpoint (the ceiling)", r["bare"]), ("random articles, cold", r["articles"])]
    runs += [(f"listing, cold: {name}", w) for name, w in r["listings"].items() if w]
    runs = [(name, w) for name, w in runs if w.get("cpu")]
    if not runs:
        return []
    cores = os.cpu_count()
    budget = 1000 * cores / (TARGETS["articles share"] * r["bare"]["rate"])
    lines = [
        "", f"CPU a request, in ms, by part of the stack (bench/cpu.py: /proc before and after each run); "
        f"the last column is what the {cores} cores had to give a request at that run's rate (the rest of it idle). "
        f"At {TARGETS['articles share']:.0%} of this run's ceiling, a cold article would have {budget:.2f} ms of "
        "the cores in all.", "",
        "| run | app (gunicorn) | PostgreSQL | Redis | wrk | all | the cores' time a request |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, w in runs:
        c = w["cpu"]
        lines.append(f"| {name} | {c['app']:.2f} | {c['postgres']:.2f} | {c['redis']:.2f} | {c['wrk']:.2f} | "
                     f"{c['all']:.2f} | {1000 * cores / w['rate']:.2f} |")
    return lines


def _counts(counter):
    return ", ".join(f"{key} {n:,}" for key, n in sorted(dict(counter).items(), key=lambda item: -item[1])) or "none"


def main():
    if sys.argv[1:] == ["--write"]:  # bench/cold.md again from the last run's figures
        return write(json.loads(RESULTS.read_text()))
    url = os.environ.get("BENCH_COLD_DATABASE_URL")
    if url:  # an archive built elsewhere: read only, neither migrated nor grown
        measure(url=url)
    else:
        size = stack.SIZES[-1]
        measure(size=size, built=stack.ensure_archive(size))


if __name__ == "__main__":
    main()
