"""Where a measured run's CPU time went, part by part of the stack: the app's
gunicorn processes, PostgreSQL's, Redis's, and wrk's. Read from /proc (the
servers) and from this process's finished children (wrk, waited for) before and
after the run, and given per request: what each part costs a page, beside what
it costs the bare endpoint in the same run (bench/cold.py).

Only Linux's /proc; PostgreSQL's and Redis's processes are found by name, so a
busy neighbour's server on the same machine would count as ours.
"""
import os
import resource
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
PARTS = ("app", "postgres", "redis", "wrk")


def snapshot(app_pid):
    """CPU seconds spent so far by each part."""
    spent = dict.fromkeys(PARTS, 0.0)
    app = {app_pid, *map(int, Path(f"/proc/{app_pid}/task/{app_pid}/children").read_text().split())}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text().strip()
            seconds = _seconds(entry)
        except (FileNotFoundError, ProcessLookupError):  # ended meanwhile
            continue
        part = "app" if int(entry.name) in app else _server(name)
        if part:
            spent[part] += seconds
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent["wrk"] = children.ru_utime + children.ru_stime  # the only children waited for during a run
    return spent


def _server(name):
    if name == "postgres":
        return "postgres"
    return "redis" if name.startswith("redis") else None


def _seconds(entry):
    # Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def per_request(before, after, requests):
    """{part: milliseconds of CPU a request, ..., "all": their sum}."""
    each = {part: 1000 * (after[part] - before[part]) / requests for part in PARTS}
    return {**each, "all": sum(each.values())}
