"""Backups: one tar of the database dump, the media files and a manifest of checksums,
restored whole into a new empty database and an empty MEDIA_ROOT, or not at all.

The sample content is loaded and backed up once per module (loading it makes every
photo's renditions, the slow part). The data is committed, not wrapped in a test
transaction, since pg_dump reads it through its own connection; the tests that use the
database are transactional, so the test database is emptied again after them. What the
original database and MEDIA_ROOT held is captured before that, to compare the restore with.

Each restore goes into a database of its own, `antd_restore_<random>` on the same server,
created empty from template0 and dropped after the test whatever happened.
"""
import hashlib
import io
import json
import re
import shutil
import tarfile
import uuid
import warnings
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from psycopg2 import sql

from articles import backup as backup_module
from devtools import samples
from articles.backup import BackupError, backup, restore
from articles.models import Photo
from tests.conftest import media_files

transactional = pytest.mark.django_db(transaction=True)
ARCHIVE_NAME = re.compile(r"^antd-backup-\d{8}-\d{6}\.tar$")


# --- helpers -------------------------------------------------------------------------------


def pg_connect(database, dbname=None):
    params = {"dbname": dbname or database["NAME"]}
    for key, name in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host"), ("PORT", "port")):
        if database.get(key):
            params[name] = str(database[key])
    connection = psycopg2.connect(**params)
    connection.autocommit = True
    return connection


def query(database, statement, params=None):
    connection = pg_connect(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()
    finally:
        connection.close()


def table_count(database):
    return query(
        database,
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')",
    )[0][0]


ARTICLES = """
    SELECT a.id, a.title, a.lead, a.body, a.published_at, a.slug, a.status, a.author, a.source,
           a.external_id, a.created_at, a.updated_at, c.slug AS category,
           ARRAY(SELECT t.slug FROM articles_article_tags at JOIN articles_tag t ON t.id = at.tag_id
                 WHERE at.article_id = a.id ORDER BY t.slug) AS tags,
           a.search_vector::text
    FROM articles_article a LEFT JOIN articles_category c ON c.id = a.category_id
    ORDER BY a.id
"""
PHOTOS = """
    SELECT id, article_id, image, caption, credit, alt_text, width, height, renditions, source_digest
    FROM articles_photo ORDER BY id
"""


def database_contents(database):
    """Everything the comparison looks at, read with plain SQL so it works on any database."""
    connection = pg_connect(database)
    try:
        with connection.cursor() as cursor:
            def rows(statement, params=None):
                cursor.execute(statement, params)
                names = [column.name for column in cursor.description]
                return [dict(zip(names, row)) for row in cursor.fetchall()]

            tables = {}
            for (table,) in sorted(query(database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")):
                cursor.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(table)))
                tables[table] = sorted(cursor.fetchall(), key=repr)
            return {
                "articles": rows(ARTICLES),
                "photos": rows(PHOTOS),
                "tables": tables,
                "sequences": rows("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"),
                "extensions": sorted(r["extname"] for r in rows("SELECT extname FROM pg_extension")),
                # The search configuration, its unaccent dictionary and the triggers came back too.
                "search": rows(
                    "SELECT id FROM articles_article WHERE search_vector @@ plainto_tsquery('vietnamese', %s) ORDER BY id",
                    ["thi đua"],
                ),
                "triggers": sorted(r["tgname"] for r in rows("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")),
                "migrations": rows("SELECT app, name FROM django_migrations ORDER BY app, name"),
            }
    finally:
        connection.close()


def checksums(root):
    root = Path(root)
    return {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in media_files(root)}


@contextmanager
def configured(database, media_root):
    """settings.DATABASES['default'] and MEDIA_ROOT pointed elsewhere, as a restore on another
    machine would have them. Django's own connection keeps the test database."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Overriding setting DATABASES")
        with override_settings(DATABASES={**settings.DATABASES, "default": database}, MEDIA_ROOT=media_root):
            yield


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def original(django_db_setup, django_db_blocker, tmp_path_factory):
    """The sample archive backed up once: the archive, and what it was made from."""
    media_root = tmp_path_factory.mktemp("original") / "media"
    destination = tmp_path_factory.mktemp("backups")
    database = dict(settings.DATABASES["default"])
    assert database["NAME"].startswith("test_"), database["NAME"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        samples.load()
        for photo in Photo.objects.exclude(image=""):
            if not photo.renditions:
                photo.refresh_renditions()
        out = io.StringIO()
        call_command("backup", "--output", str(destination), stdout=out)
        contents = database_contents(database)
        files = checksums(media_root)
    archive = Path(out.getvalue().strip())
    return {"archive": archive, "database": database, "contents": contents, "media": files, "media_root": media_root}


@pytest.fixture
def empty_database(django_db_setup):
    """A new empty database on the same server, dropped after the test even when it fails."""
    server = dict(settings.DATABASES["default"])
    name = f"antd_restore_{uuid.uuid4().hex[:12]}"
    admin = pg_connect(server, dbname="postgres")
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(name)))
        yield {**server, "NAME": name}
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


def copy_of(archive, folder):
    copy = Path(folder) / archive.name
    shutil.copyfile(archive, copy)
    return copy


# --- the round trip ------------------------------------------------------------------------


@transactional
def test_backup_is_one_tar_with_dump_media_and_manifest(original):
    archive = original["archive"]
    assert ARCHIVE_NAME.match(archive.name)
    assert sorted(p.name for p in archive.parent.iterdir()) == [archive.name]  # no temporary left
    assert archive.stat().st_mode & 0o777 == 0o600  # the whole database: not for every reader

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        assert all(member.isreg() for member in tar.getmembers())
    media = {f"media/{name}" for name in original["media"]}
    assert sorted(names) == sorted({"database.dump", "manifest.json", *media})

    assert datetime.fromisoformat(manifest["created"]).tzinfo is not None
    assert manifest["counts"]["articles"] == len(original["contents"]["articles"]) == 14
    assert manifest["counts"]["photos"] == len(original["contents"]["photos"]) > 0
    latest = {}
    for row in original["contents"]["migrations"]:
        latest[row["app"]] = max(latest.get(row["app"], ""), row["name"])
    assert manifest["migrations"] == latest
    assert manifest["migrations"]["articles"].startswith("00")
    assert manifest["sha256"] == {
        **{f"media/{name}": digest for name, digest in original["media"].items()},
        "database.dump": manifest["sha256"]["database.dump"],
    }
    with tarfile.open(archive) as tar:
        dump = tar.extractfile("database.dump").read()
    assert dump.startswith(b"PGDMP")  # pg_dump's custom format
    assert hashlib.sha256(dump).hexdigest() == manifest["sha256"]["database.dump"]


@transactional
def test_restore_into_a_new_database_gives_back_everything(original, empty_database, tmp_path):
    contents = original["contents"]
    # What there is to compare: every photo has its file and renditions.
    assert len(contents["photos"]) >= 13
    assert all(photo["image"] and photo["renditions"] for photo in contents["photos"])
    assert contents["search"], "the sample content has articles about “thi đua”"

    restored_media = tmp_path / "restored-media"
    out = io.StringIO()
    with configured(empty_database, restored_media):
        call_command("restore", str(original["archive"]), stdout=out)
    assert "Đã khôi phục" in out.getvalue()

    restored = database_contents(empty_database)
    # Every article, field by field (tags and category by slug), then every photo.
    assert len(restored["articles"]) == len(contents["articles"]) == 14
    for before, after in zip(contents["articles"], restored["articles"]):
        assert after == before, before["slug"]
    assert restored["photos"] == contents["photos"]
    # And every row of every table, the sequences, extensions, search and triggers.
    assert restored["tables"].keys() == contents["tables"].keys()
    for table, rows in contents["tables"].items():
        assert restored["tables"][table] == rows, table
    assert restored["sequences"] == contents["sequences"]
    assert restored["extensions"] == contents["extensions"]
    assert restored["search"] == contents["search"]
    assert restored["triggers"] == contents["triggers"] and restored["triggers"]
    assert restored["migrations"] == contents["migrations"]

    # Every media file, byte for byte, and every file the photos name is there.
    assert checksums(restored_media) == original["media"]
    for photo in restored["photos"]:
        assert (restored_media / photo["image"]).is_file()
        for name in rendition_names_of(photo["renditions"]):
            assert (restored_media / name).is_file(), name
    assert not [p for p in restored_media.iterdir() if p.name.startswith(".")]  # no staging left


def rendition_names_of(renditions):
    from articles.photos.images import rendition_names

    names = rendition_names(renditions)
    assert names
    return names


# --- refusals ------------------------------------------------------------------------------


def tamper(archive, member_name=None):
    """Change one byte of a media file inside the tar, leaving the tar itself readable."""
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith("media/") and (member_name in (None, m.name)))
    with open(archive, "r+b") as handle:
        handle.seek(member.offset_data + member.size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))
    return member.name


@transactional
def test_a_tampered_archive_is_refused_and_nothing_is_restored(original, empty_database, tmp_path):
    archive = copy_of(original["archive"], tmp_path)
    name = tamper(archive)
    restored_media = tmp_path / "restored-media"
    with configured(empty_database, restored_media):
        with pytest.raises(BackupError, match="không khớp") as refused:
            restore(archive)
        assert name in str(refused.value)
        with pytest.raises(CommandError, match="Khôi phục thất bại: .*tổng kiểm tra SHA-256 .* không khớp"):
            call_command("restore", str(archive))
    assert table_count(empty_database) == 0
    assert media_files(restored_media) == []


@transactional
def test_a_tampered_dump_is_refused(original, empty_database, tmp_path):
    archive = copy_of(original["archive"], tmp_path)
    with tarfile.open(archive) as tar:
        member = tar.getmember("database.dump")
    with open(archive, "r+b") as handle:
        handle.seek(member.offset_data + member.size - 1)
        last = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([last[0] ^ 0x01]))
    with configured(empty_database, tmp_path / "restored-media"):
        with pytest.raises(BackupError, match="“database.dump” không khớp"):
            restore(archive)
    assert table_count(empty_database) == 0
    assert media_files(tmp_path / "restored-media") == []


@transactional
def test_restore_into_a_database_with_tables_is_refused(original, tmp_path):
    # The configured database is the test database: migrated, so it has tables.
    target = dict(settings.DATABASES["default"])
    tables_before = table_count(target)
    assert tables_before > 0
    restored_media = tmp_path / "restored-media"
    with override_settings(MEDIA_ROOT=restored_media):
        with pytest.raises(BackupError, match="không trống") as refused:
            restore(original["archive"])
        with pytest.raises(CommandError, match="không trống.*hãy tạo cơ sở dữ liệu mới"):
            call_command("restore", str(original["archive"]))
    assert "tạo cơ sở dữ liệu mới" in str(refused.value)
    assert table_count(target) == tables_before
    assert media_files(restored_media) == []


@transactional
def test_restore_into_a_media_root_with_files_is_refused(original, empty_database, tmp_path):
    restored_media = tmp_path / "restored-media"
    (restored_media / "photos").mkdir(parents=True)
    (restored_media / "photos" / "old.jpg").write_bytes(b"an older archive's photo")
    with configured(empty_database, restored_media):
        with pytest.raises(BackupError, match="MEDIA_ROOT .* đã có tệp"):
            restore(original["archive"])
    assert table_count(empty_database) == 0
    assert media_files(restored_media) == ["photos/old.jpg"]


@transactional
def test_a_failing_pg_restore_leaves_the_media_root_empty(original, empty_database, tmp_path, monkeypatch):
    script = tmp_path / "pg_restore"
    script.write_text("#!/bin/sh\necho 'pg_restore: error: could not execute query' >&2\nexit 1\n")
    script.chmod(0o755)
    monkeypatch.setattr(backup_module, "PG_RESTORE", str(script))
    restored_media = tmp_path / "restored-media"
    with configured(empty_database, restored_media):
        with pytest.raises(BackupError, match="pg_restore thất bại .*could not execute query"):
            restore(original["archive"])
    assert table_count(empty_database) == 0
    assert media_files(restored_media) == []


# --- failed backups leave no file ----------------------------------------------------------


@transactional
def test_backup_with_an_unreachable_database_fails_clearly_and_leaves_nothing(tmp_path):
    destination = tmp_path / "backups"
    unreachable = {**settings.DATABASES["default"], "HOST": str(tmp_path / "no-such-socket-dir")}
    with configured(unreachable, tmp_path / "media"):
        with pytest.raises(BackupError, match="Không kết nối được cơ sở dữ liệu"):
            backup(destination)
        with pytest.raises(CommandError, match="Sao lưu thất bại: Không kết nối được"):
            call_command("backup", "--output", str(destination))
    assert list(destination.iterdir()) == []


@transactional
def test_backup_when_pg_dump_fails_midway_leaves_nothing(tmp_path, monkeypatch, media_root):
    # A pg_dump that writes half a dump, then dies.
    script = tmp_path / "pg_dump"
    script.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do case "$arg" in --file=*) printf "PGDMP half a dump" > "${arg#--file=}";; esac; done\n'
        "echo 'pg_dump: error: connection to server lost' >&2\n"
        "exit 1\n"
    )
    script.chmod(0o755)
    monkeypatch.setattr(backup_module, "PG_DUMP", str(script))
    (media_root / "photos").mkdir(parents=True)
    (media_root / "photos" / "a.jpg").write_bytes(b"x" * 1000)
    destination = tmp_path / "backups"
    with pytest.raises(BackupError, match="pg_dump thất bại \\(mã 1\\): pg_dump: error: connection to server lost"):
        backup(destination)
    assert list(destination.iterdir()) == []


@transactional
def test_the_password_goes_through_the_environment_never_the_command_line(tmp_path, monkeypatch):
    # The server trusts local sockets, so the connection works whatever the password is;
    # a pg_dump stand-in records what it was given.
    record = tmp_path / "record"
    script = tmp_path / "pg_dump"
    script.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > "{record}.argv"\n'
        f'printf "%s|%s|%s" "$PGPASSWORD" "$PGHOST" "$PGUSER" > "{record}.env"\n'
        'for arg in "$@"; do case "$arg" in --file=*) printf "PGDMP" > "${arg#--file=}";; esac; done\n'
    )
    script.chmod(0o755)
    monkeypatch.setattr(backup_module, "PG_DUMP", str(script))
    database = {**settings.DATABASES["default"], "PASSWORD": "mật-khẩu-bí-mật"}
    with configured(database, tmp_path / "media"):
        archive = backup(tmp_path / "backups")
    argv = Path(f"{record}.argv").read_text().splitlines()
    assert "mật-khẩu-bí-mật" not in " ".join(argv)
    assert Path(f"{record}.env").read_text() == f"mật-khẩu-bí-mật|{database['HOST']}|{database['USER']}"
    assert argv[:3] == ["--format=custom", "--no-owner", "--no-privileges"]
    assert argv[-1] == f"--dbname=dbname='{database['NAME']}'"
    assert ARCHIVE_NAME.match(archive.name)


@transactional
def test_backup_refuses_a_destination_inside_media_root(media_root):
    with pytest.raises(BackupError, match="MEDIA_ROOT"):
        backup(media_root / "backups")
    assert media_files(media_root) == []


# --- archives that try to write outside MEDIA_ROOT -----------------------------------------


def craft(path, entries, manifest_files=None):
    """A tar of (name, kind, data_or_target) entries with a manifest of their checksums."""
    files = {}
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, kind, payload in entries:
            info = tarfile.TarInfo(name)
            if kind == "file":
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
                files[name] = hashlib.sha256(payload).hexdigest()
            else:
                info.type = {"symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE, "dir": tarfile.DIRTYPE}[kind]
                if kind != "dir":
                    info.linkname = payload
                tar.addfile(info)
        manifest = {"format": "antd-backup", "version": 1, "created": "2025-01-01T00:00:00+07:00",
                    "sha256": files if manifest_files is None else manifest_files}
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


DUMP = ("database.dump", "file", b"PGDMP not really")


@pytest.mark.parametrize(
    "entries, message",
    [
        ([DUMP, ("media/../../evil.txt", "file", b"evil")], "không hợp lệ"),
        ([DUMP, ("../evil.txt", "file", b"evil")], "không hợp lệ"),
        ([DUMP, ("/tmp/evil.txt", "file", b"evil")], "không hợp lệ"),
        ([DUMP, ("media/./photos/a.jpg", "file", b"evil")], "không hợp lệ"),
        ([DUMP, ("media/link.jpg", "symlink", "/etc/passwd")], "không phải tệp thường"),
        ([DUMP, ("media/hard.jpg", "hardlink", "database.dump")], "không phải tệp thường"),
        ([DUMP, ("media/photos", "dir", None)], "không phải tệp thường"),
        ([DUMP, ("evil.txt", "file", b"evil")], "ngoài media/"),
        ([DUMP, ("media/a.jpg", "file", b"one"), ("media/a.jpg", "file", b"two")], "hai tệp cùng tên"),
        ([("media/a.jpg", "file", b"photo")], "không có tổng kiểm tra của database.dump"),
    ],
    ids=["dotdot-in-media", "dotdot", "absolute", "dot", "symlink", "hardlink", "directory", "outside-media",
         "duplicate", "no-dump"],
)
def test_unsafe_members_are_refused_before_anything(tmp_path, entries, message, media_root):
    # No database mark: a refusal here must come before any database is touched.
    archive = craft(tmp_path / "antd-backup-20250101-000000.tar", entries)
    with pytest.raises(BackupError, match=message):
        restore(archive)
    assert media_files(media_root) == []
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_manifest_and_members_must_agree(tmp_path, media_root):
    missing = craft(tmp_path / "missing.tar", [DUMP], manifest_files={
        "database.dump": hashlib.sha256(DUMP[2]).hexdigest(), "media/gone.jpg": "0" * 64})
    with pytest.raises(BackupError, match="thiếu 1 tệp .*media/gone.jpg"):
        restore(missing)
    extra = craft(tmp_path / "extra.tar", [DUMP, ("media/extra.jpg", "file", b"x")], manifest_files={
        "database.dump": hashlib.sha256(DUMP[2]).hexdigest()})
    with pytest.raises(BackupError, match="không ghi trong manifest.json.*media/extra.jpg"):
        restore(extra)
    not_ours = tmp_path / "other.tar"
    with tarfile.open(not_ours, "w") as tar:
        info = tarfile.TarInfo("database.dump")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(BackupError, match="thiếu manifest.json"):
        restore(not_ours)
    with pytest.raises(BackupError, match="Không có tệp sao lưu"):
        restore(tmp_path / "nowhere.tar")
    assert media_files(media_root) == []
