"""Debian's nginx run here with deploy/nginx.conf, for tests/test_nginx.py and
`make bench` (bench/nginx.py): /usr/sbin/nginx in the foreground with a private
prefix under `root`, reading the site file as render.py renders it with this
run's ports and folders. Nothing is installed or left behind outside root.
"""
import shutil
import socket
import subprocess
import time
from pathlib import Path

from . import render

TIMEOUT = 10


class NginxError(RuntimeError):
    """nginx is missing, would not start, or did not listen: its log says why."""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Nginx:
    """start() returns self, listening on self.port in front of app_port;
    access_log and log() (its error output) are there to read."""

    def __init__(self, root, app_port, static, media, *, workers=1, connections=64, forwarded_proto=None):
        self.root, self.app_port, self.static, self.media = Path(root), app_port, static, media
        self.workers, self.connections, self.forwarded_proto = workers, connections, forwarded_proto
        self.access_log = self.root / "access.log"
        self.error_log = self.root / "nginx.stderr"
        self.process = None
        self.port = None

    def start(self):
        missing = render.missing()
        if missing:
            raise NginxError(f"Debian's nginx is needed (`make nginx`); missing: {', '.join(missing)}")
        shutil.rmtree(self.root, ignore_errors=True)
        (self.root / "temp").mkdir(parents=True)
        (self.root / "nginx.conf").write_text(
            render.main_config(self.root, workers=self.workers, connections=self.connections))
        for _ in range(3):  # a free port may be taken before nginx binds it
            self.port = free_port()
            (self.root / "antd.conf").write_text(render.render_site(
                port=self.port, app_port=self.app_port, cache=self.root / "cache", access_log=self.access_log,
                static=self.static, media=self.media, forwarded_proto=self.forwarded_proto,
            ))
            if self._run():
                return self
        raise NginxError(f"nginx could not bind a port:\n{self.log()}")

    def _run(self):
        with open(self.error_log, "wb") as stderr:
            self.process = subprocess.Popen(
                [render.NGINX, "-p", f"{self.root}/", "-c", str(self.root / "nginx.conf"), "-e", "stderr"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
            )
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if "Address already in use" in self.log():
                    return False
                raise NginxError(f"nginx exited with {self.process.returncode}:\n{self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return True
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise NginxError(f"nginx did not listen within {TIMEOUT} s:\n{self.log()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self):
        return self.error_log.read_text(errors="replace") if self.error_log.exists() else ""
