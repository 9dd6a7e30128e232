"""nginx in front of gunicorn for bench/cold.py, and a switch that cuts the app off
from PostgreSQL.

proxy(): Debian's nginx as deploy/local.py runs it (the same runner as
tests/test_nginx.py) under bench/cache/nginx/, with X-Forwarded-Proto "https" as
a TLS terminator in front would send it (the app runs with the production
settings), and worker processes and connections as Debian's own nginx.conf has
them (auto, 768).

DatabaseSwitch: a TCP relay between the app and PostgreSQL, run in a thread of
this process. While it is cut, every connection the app holds is closed and new
ones are closed on arrival: to the app, PostgreSQL is away.
"""
import asyncio
import sys
import threading
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.local import TIMEOUT, Nginx, free_port  # noqa: E402


def proxy(root, app_port, static, media):
    """nginx started in front of app_port, as a newspaper's machine would run it."""
    return Nginx(root, app_port, static, media, workers="auto", connections=768, forwarded_proto="https").start()


class DatabaseSwitch:
    """A relay to the PostgreSQL of database_url; `url` is the same database through it."""

    def __init__(self, database_url):
        parts = urllib.parse.urlsplit(database_url)
        host = urllib.parse.unquote(parts.hostname or "")
        self.upstream_port = parts.port or 5432
        self.upstream_socket = f"{host}/.s.PGSQL.{self.upstream_port}" if host.startswith("/") else None
        self.upstream_host = host or "127.0.0.1"
        self.port = free_port()
        userinfo = parts.netloc.rpartition("@")[0]
        userinfo = f"{userinfo}@" if userinfo else ""
        self.url = urllib.parse.urlunsplit((parts.scheme, f"{userinfo}127.0.0.1:{self.port}", parts.path, parts.query, ""))
        self.cut = False
        self.cuts = 0  # app connections closed by the switch
        self._pairs = set()  # (the app's side, PostgreSQL's side) of each open connection
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self):
        self._thread.start()
        self._ready.wait(TIMEOUT)
        return self

    def stop(self):
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(TIMEOUT)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(TIMEOUT)

    async def _shutdown(self):
        """Closed both ways, each relay ends by itself."""
        self._close_all()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        if tasks:
            await asyncio.wait(tasks, timeout=TIMEOUT)

    def off(self):
        """PostgreSQL away: close what the app holds, refuse what it opens."""
        self.cut = True
        self._loop.call_soon_threadsafe(self._close_all)

    def on(self):
        self.cut = False

    def _close_all(self):
        for pair in list(self._pairs):
            for writer in pair:
                writer.close()
            self.cuts += 1
        self._pairs.clear()

    def _serve(self):
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._relay, "127.0.0.1", self.port))
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()

    async def _relay(self, reader, writer):
        if self.cut:
            writer.close()
            self.cuts += 1
            return
        try:
            if self.upstream_socket:
                up_reader, up_writer = await asyncio.open_unix_connection(self.upstream_socket)
            else:
                up_reader, up_writer = await asyncio.open_connection(self.upstream_host, self.upstream_port)
        except OSError:
            writer.close()
            return
        pair = (writer, up_writer)
        self._pairs.add(pair)

        async def pipe(source, sink):
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._pairs.discard(pair)
