"""The zero-config database path of antd_site.localdb, against real PostgreSQL.

Nothing here is mocked: PrivateCluster runs the machine's initdb and pg_ctl
(as the unprivileged user 'postgres' when the tests run as root) in a folder
made with tempfile.mkdtemp under <repo>/var, which that user can reach without
loosening the permissions of any system folder. Every cluster is stopped in
the fixture's teardown, even when a test fails, and its folder removed.
"""
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import dj_database_url
import psycopg2
import pytest

from antd_site import localdb

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var"


def _mkdtemp():
    VAR.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="test-localdb-", dir=VAR))


def _connect(host, port, dbname="postgres"):
    return psycopg2.connect(host=host, port=port, user="postgres", dbname=dbname, connect_timeout=5)


def _show(host, port, setting):
    conn = _connect(host, port)
    try:
        with conn.cursor() as cur:
            cur.execute(f"SHOW {setting}")
            return cur.fetchone()[0]
    finally:
        conn.close()


def _databases(host, port):
    conn = _connect(host, port)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT datname FROM pg_database ORDER BY datname")
            return [row[0] for row in cur.fetchall()]
    finally:
        conn.close()


def _ancestor_modes(path):
    return {str(p): stat.S_IMODE(p.stat().st_mode) for p in Path(path).parents if p != Path("/")}


@pytest.fixture
def cluster_root():
    root = _mkdtemp()
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def cluster(cluster_root):
    """A not yet started PrivateCluster in a fresh folder; always stopped afterwards."""
    # The mkdtemp folder itself is the cluster root: _prepare_dirs hands it to
    # 'postgres', and its ancestors (<repo>/var, <repo>, ...) are already 755.
    cluster = localdb.PrivateCluster(root=cluster_root)
    try:
        yield cluster
    finally:
        if cluster.initialised():
            try:
                cluster.stop()
            except subprocess.CalledProcessError:
                pass  # already stopped by the test
        # Removed by cluster_root's teardown, after the server is gone.


def test_private_cluster_starts_answers_creates_database_and_stops(cluster):
    modes_before = _ancestor_modes(cluster.root)
    assert not cluster.initialised()

    host, port = cluster.start()

    assert (host, port) == (str(cluster.socket_dir), 5432)
    assert cluster.initialised()
    assert (cluster.data / "PG_VERSION").is_file()
    assert (cluster.socket_dir / ".s.PGSQL.5432").is_socket()
    assert cluster.log.is_file()
    assert localdb.answers(host, port)
    assert cluster.running()
    if os.geteuid() == 0:
        # initdb refuses root: the data belongs to the unprivileged owner.
        assert cluster.data.stat().st_uid == localdb.PrivateCluster()._owner().pw_uid

    # _prepare_dirs left the ancestors of this folder (all inside the repo or
    # already traversable) alone.
    assert _ancestor_modes(cluster.root) == modes_before

    # ensure_database creates "antd"; a second call is harmless.
    assert "antd" not in _databases(host, port)
    localdb.ensure_database(host, port)
    assert "antd" in _databases(host, port)
    localdb.ensure_database(host, port)
    assert _databases(host, port).count("antd") == 1
    conn = _connect(host, port, dbname="antd")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'antd'")
            assert cur.fetchone()[0] == "UTF8"
    finally:
        conn.close()

    # start() on a running cluster is a no-op that returns the same address.
    assert cluster.start() == (host, port)

    cluster.stop()
    assert not localdb.answers(host, port)
    assert not cluster.running()
    assert not (cluster.socket_dir / ".s.PGSQL.5432").exists()


def test_private_cluster_listens_on_its_own_socket_only(cluster):
    """Port 5432 is safe next to the machine's server: no TCP, own socket dir."""
    host, port = cluster.start()

    assert _show(host, port, "listen_addresses") == ""
    assert _show(host, port, "unix_socket_directories") == str(cluster.socket_dir)
    assert _show(host, port, "port") == "5432"
    assert Path(_show(host, port, "data_directory")).resolve() == cluster.data

    # The machine's server, if any, is still a different server.
    system = localdb.find_system_server()
    if system is not None:
        assert Path(_show(*system, "data_directory")).resolve() != cluster.data


def test_discover_without_database_url_starts_the_private_cluster(cluster, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    url = localdb.discover(cluster=cluster, find_server=lambda: None)

    assert cluster.running()
    config = dj_database_url.parse(url)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["HOST"] == str(cluster.socket_dir)
    assert config["PORT"] == 5432
    assert config["NAME"] == "antd"
    assert config["USER"] == "postgres"

    conn = psycopg2.connect(
        host=config["HOST"], port=config["PORT"], user=config["USER"],
        password=config["PASSWORD"] or None, dbname=config["NAME"], connect_timeout=5,
    )
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
    finally:
        conn.close()

    # A second discover() finds the running cluster and gives the same URL.
    assert localdb.discover(cluster=cluster, find_server=lambda: pytest.fail("should not probe")) == url


def test_discover_returns_database_url_unchanged_without_starting_anything(cluster_root, monkeypatch):
    url = "postgres://someone:secret@db.example:6543/elsewhere?sslmode=require"
    monkeypatch.setenv("DATABASE_URL", url)
    cluster = localdb.PrivateCluster(root=cluster_root / "pg")

    def no_probe():
        pytest.fail("discover() probed for a server although DATABASE_URL is set")

    assert localdb.discover(cluster=cluster, find_server=no_probe) == url
    assert not cluster.root.exists()
    assert list(cluster_root.iterdir()) == []


def test_find_system_server_finds_one_that_answers():
    found = localdb.find_system_server()

    assert found is not None, "no PostgreSQL on /var/run/postgresql, /tmp or 127.0.0.1:5432"
    host, port = found
    assert host in (*localdb.SYSTEM_SOCKET_DIRS, "127.0.0.1")
    assert port == 5432
    assert localdb.answers(host, port)


def test_prepare_dirs_leaves_folders_outside_the_repository_alone():
    # A private folder of our own outside the repository (mode 700, like
    # /tmp/pytest-of-root or a home directory); no system folder is touched.
    outside = Path(tempfile.mkdtemp(prefix="test-localdb-outside-"))
    try:
        assert not str(outside).startswith(str(REPO))
        assert stat.S_IMODE(outside.stat().st_mode) == 0o700
        cluster = localdb.PrivateCluster(root=outside / "pg")

        # Root hands the cluster to 'postgres', who cannot enter this folder:
        # a clear refusal, not a loosened home or /tmp folder.
        with pytest.raises(RuntimeError, match="không vào được thư mục"):
            cluster._prepare_dirs()  # no initdb: only the folder preparation

        assert stat.S_IMODE(outside.stat().st_mode) == 0o700
    finally:
        shutil.rmtree(outside)
