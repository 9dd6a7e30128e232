"""Find a PostgreSQL server for development and tests, or start a private one.

Order: the machine's server over its unix socket, then 127.0.0.1:5432, then a
private cluster under var/postgres/ started with the machine's initdb/pg_ctl.
The chosen URL is written to var/database_url so that settings.py can read it
without probing the network on every start.

Run as `python -m antd_site.localdb [start|stop|status]`.
"""
import glob
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
URL_FILE = VAR_DIR / "database_url"
DB_NAME = "antd"
SYSTEM_SOCKET_DIRS = ("/var/run/postgresql", "/tmp")
# initdb refuses to run as root; these accounts exist on Debian-like machines.
UNPRIVILEGED_USERS = ("postgres", "nobody")


def url_for(host, port=5432, user="postgres", name=DB_NAME):
    # dj-database-url reads a percent-encoded path in the host part as a socket directory.
    return f"postgres://{user}@{quote(str(host), safe='')}:{port}/{name}"


def answers(host, port=5432, user="postgres"):
    import psycopg2

    try:
        psycopg2.connect(host=host, port=port, user=user, dbname="postgres", connect_timeout=2).close()
    except psycopg2.OperationalError:
        return False
    return True


def ensure_database(host, port=5432, user="postgres", name=DB_NAME):
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(host=host, port=port, user=user, dbname="postgres", connect_timeout=5)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(sql.Identifier(name)))
    finally:
        conn.close()


def find_system_server():
    """(host, port) of a server that answers without a password, or None."""
    candidates = [(d, 5432) for d in SYSTEM_SOCKET_DIRS if os.path.exists(f"{d}/.s.PGSQL.5432")]
    candidates.append(("127.0.0.1", 5432))
    for host, port in candidates:
        if answers(host, port):
            return host, port
    return None


def postgres_binary(name):
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not versions:
        raise RuntimeError(f"Không tìm thấy {name}: hãy cài PostgreSQL (apt-get install postgresql).")
    return versions[-1]


def postgres_bindir():
    """The folder of the server binaries initdb belongs to (/usr/local/bin/initdb may be a link into it)."""
    return Path(postgres_binary("initdb")).resolve().parent


class PrivateCluster:
    """A PostgreSQL cluster owned by this checkout, listening on a socket only.

    Tests make others with it: listen also names a TCP address, settings are more
    server settings (`-c name=value`), bindir pins the binaries of one version
    (a primary and its standby must share one), and follow() makes a cluster the
    hot standby of another (tests/test_streaming_replica.py)."""

    def __init__(self, root=VAR_DIR / "postgres", port=5432, listen="", settings=None, bindir=None):
        self.root = Path(root).resolve()
        self.data = self.root / "data"
        self.socket_dir = self.root / "run"
        self.log = self.root / "postgres.log"
        self.port = port
        self.listen = listen
        self.settings = dict(settings or {})
        self.bindir = Path(bindir) if bindir else None

    def binary(self, name):
        return str(self.bindir / name) if self.bindir else postgres_binary(name)

    @property
    def host(self):
        """Where clients connect: the TCP address when there is one, else the socket folder."""
        return self.listen or str(self.socket_dir)

    def _owner(self):
        if os.geteuid() != 0:
            return None
        for name in UNPRIVILEGED_USERS:
            try:
                return pwd.getpwnam(name)
            except KeyError:
                continue
        raise RuntimeError("initdb không chạy được bằng root và máy không có tài khoản 'postgres'.")

    def _run(self, *args):
        owner = self._owner()
        kwargs = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": [], "cwd": "/"} if owner else {}
        try:
            return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)
        except subprocess.CalledProcessError as error:
            raise RuntimeError(f"{Path(args[0]).name} thất bại: {error.stderr.strip() or error.stdout.strip()}") from None

    def _prepare_dirs(self):
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        owner = self._owner()
        if not owner:
            return
        for path in (self.root, self.socket_dir):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        # The server's unprivileged owner must be able to reach its folder. We
        # open up folders of this checkout only, never the user's or the system's.
        for parent in self.root.parents:
            if parent.stat().st_mode & 0o001:
                continue
            if parent != BASE_DIR and BASE_DIR not in parent.parents:
                raise RuntimeError(
                    f"Người dùng {owner.pw_name} không vào được thư mục {parent}: "
                    "hãy đặt DATABASE_URL hoặc chạy PostgreSQL của máy."
                )
            parent.chmod(parent.stat().st_mode | 0o001)

    def initialised(self):
        return (self.data / "PG_VERSION").exists()

    def running(self):
        return answers(str(self.socket_dir), self.port)

    def start(self):
        self._prepare_dirs()
        if not self.initialised():
            # --auth=trust also trusts replication connections: initdb's pg_hba.conf
            # has "local replication all" and "host replication all 127.0.0.1/32".
            self._run(self.binary("initdb"), "-D", str(self.data), "-U", "postgres",
                      "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")
        if not self.running():
            options = " ".join([
                f"-c listen_addresses='{self.listen}' -c unix_socket_directories='{self.socket_dir}' -p {self.port}",
                *(f"-c {name}={value}" for name, value in self.settings.items()),
            ])
            self._run(self.binary("pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                      "-o", options, "-w", "-t", "60", "start")
        return str(self.socket_dir), self.port

    def follow(self, primary):
        """Make this (not yet initialised) cluster a streaming standby of primary:
        its base backup, with the standby.signal and primary_conninfo that
        `pg_basebackup -R` writes. The primary needs wal_level=replica (the
        default) and a free WAL sender; start() then starts the standby."""
        self._prepare_dirs()
        self._run(self.binary("pg_basebackup"), "-D", str(self.data), "-h", primary.host, "-p", str(primary.port),
                  "-U", "postgres", "-X", "stream", "-R", "-c", "fast")

    def stop(self, mode="fast"):
        if (self.data / "postmaster.pid").exists():
            self._run(self.binary("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")


def discover(cluster=None, find_server=find_system_server):
    """Return a DATABASE_URL for development, starting a private cluster if needed."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    cluster = cluster or PrivateCluster()
    if cluster.initialised() and cluster.running():
        host, port = str(cluster.socket_dir), cluster.port
    else:
        host, port = find_server() or cluster.start()
    ensure_database(host, port)
    return url_for(host, port)


def main(argv):
    command = argv[1] if len(argv) > 1 else "start"
    cluster = PrivateCluster()
    if command == "stop":
        cluster.stop()
        URL_FILE.unlink(missing_ok=True)
        print("Đã dừng cụm PostgreSQL riêng trong var/postgres/.")
        return 0
    if command == "status":
        print("đang chạy" if cluster.running() else "không chạy")
        return 0
    url = discover(cluster)
    VAR_DIR.mkdir(exist_ok=True)
    if not os.environ.get("DATABASE_URL"):
        URL_FILE.write_text(url + "\n")
    print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
