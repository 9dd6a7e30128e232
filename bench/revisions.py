"""`make bench-revisions`: what keeping every revision costs.

1. The NDJSON import with revisions against the same import without them: the
   code of BENCH_BASELINE (a commit from before revisions, checked out in a git
   worktree) and this checkout, importing the same synthetic export into empty
   databases, in turn, BENCH_ROUNDS times. The figure is this checkout's rate as a
   share of the baseline's, each round against the run beside it.
2. Bytes per revision: the revision table (rows, TOAST, index) over its rows,
   after that import, and what a 1,000,000-article archive with one revision each
   costs at that rate; beside it, the article table's own bytes per article.

Writes bench/revisions.md.
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
LINES = int(os.environ.get("BENCH_IMPORT_LINES", "20000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
BASELINE = os.environ.get("BENCH_BASELINE", "d458ffc")
HOST = os.environ.get("BENCH_PGHOST", "%2Fvar%2Frun%2Fpostgresql")
ARCHIVE = 1_000_000


def run(args, cwd=ROOT, env=None):
    return subprocess.run(args, cwd=cwd, env={**os.environ, **(env or {})}, check=True, text=True,
                          capture_output=True).stdout


def psql(database, sql):
    return run(["psql", "-h", "/var/run/postgresql", "-U", "postgres", "-d", database, "-Atc", sql]).strip()


def fresh(name, tree):
    psql("postgres", f"DROP DATABASE IF EXISTS {name}")
    psql("postgres", f"CREATE DATABASE {name}")
    url = f"postgres://postgres@{HOST}:5432/{name}"
    run([PY, "manage.py", "migrate", "-v0"], cwd=tree, env={"DATABASE_URL": url})
    return url


def import_rate(tree, name, export):
    url = fresh(name, tree)
    out = run([PY, "manage.py", "import_articles", "--format", "ndjson", str(export)], cwd=tree,
              env={"DATABASE_URL": url})
    return float(re.search(r"\((\d+) bài/giây\)", out).group(1))


def sizes(name):
    row = psql(name, """
        SELECT (SELECT count(*) FROM articles_revision), pg_total_relation_size('articles_revision'),
               (SELECT avg(pg_column_size(content)) FROM articles_revision),
               (SELECT count(*) FROM articles_article), pg_total_relation_size('articles_article')
    """)
    revisions, revision_bytes, content_bytes, articles, article_bytes = row.split("|")
    return {
        "revisions": int(revisions), "per_revision": int(revision_bytes) / int(revisions),
        "content": float(content_bytes), "articles": int(articles), "per_article": int(article_bytes) / int(articles),
    }


def main():
    export = ROOT / "bench" / "cache" / f"export-{LINES}.ndjson"
    if not export.exists():
        export.parent.mkdir(exist_ok=True)
        run([PY, "manage.py", "make_archive", "--articles", str(LINES), "--ndjson", str(export)])
    with tempfile.TemporaryDirectory() as folder:
        baseline = Path(folder) / "baseline"
        run(["git", "worktree", "add", "--detach", str(baseline), BASELINE])
        try:
            rounds = []
            for _ in range(ROUNDS):
                before = import_rate(baseline, "antd_bench_rev_before", export)
                after = import_rate(ROOT, "antd_bench_rev_after", export)
                rounds.append((before, after))
                print(f"without revisions {before:.0f}/s, with {after:.0f}/s", flush=True)
        finally:
            run(["git", "worktree", "remove", "--force", str(baseline)])
    measured = sizes("antd_bench_rev_after")
    ratios = [after / before for before, after in rounds]
    per_million = measured["per_revision"] * ARCHIVE / 2**30
    text = "\n".join([
        "# What revisions cost",
        "",
        f"`import_articles --format ndjson` of {LINES:,} synthetic articles into an empty database, the code of "
        f"{BASELINE} (no revisions) and this checkout (one revision per article) in turn, {ROUNDS} rounds "
        f"({time.strftime('%d/%m/%Y')}, {os.cpu_count()} cores):",
        "",
        "| round | without revisions (articles/s) | with revisions | ratio |",
        "| --- | --- | --- | --- |",
        *(f"| {n} | {before:.0f} | {after:.0f} | {after / before:.0%} |" for n, (before, after) in enumerate(rounds, 1)),
        f"| median | {statistics.median(b for b, _ in rounds):.0f} | {statistics.median(a for _, a in rounds):.0f} "
        f"| {statistics.median(ratios):.0%} |",
        "",
        f"Storage after that import: {measured['revisions']:,} revisions, {measured['per_revision']:,.0f} bytes each "
        f"on disk (table, TOAST and index; the content alone {measured['content']:,.0f} bytes, compressed), against "
        f"{measured['per_article']:,.0f} bytes per article for the article table with its indexes and search vector. "
        f"A {ARCHIVE:,}-article archive with one revision each: {per_million:.2f} GiB of revisions.",
        "",
    ])
    (ROOT / "bench" / "revisions.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
