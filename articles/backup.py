"""Backups of the whole archive in one file, and their restore.

A backup is `antd-backup-YYYYmmdd-HHMMSS.tar` holding

* `database.dump`: `pg_dump --format=custom --no-owner --no-privileges` of the
  configured database;
* `media/…`: every file under MEDIA_ROOT;
* `manifest.json`: when it was made, the latest applied migration of every app,
  the number of articles and photos, and the SHA-256 of every other member.

The migrations, counts and dump are read from one exported snapshot, so the
manifest describes exactly what the dump holds. The archive is written under a
hidden temporary name and renamed only once complete: a failed backup leaves
no file behind.

`restore` checks every checksum and every member name before it touches
anything, then restores only into an empty database and an empty MEDIA_ROOT:
it never merges into or overwrites an archive that is in use.

Connection parameters come from settings.DATABASES['default'] (HOST may be a
socket folder); the password reaches pg_dump and pg_restore through PGPASSWORD,
never on a command line.
"""
import hashlib
import json
import os
import shutil
import stat
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

import psycopg2
from django.conf import settings
from django.utils import timezone

from .models import Article, Photo

PG_DUMP = "pg_dump"
PG_RESTORE = "pg_restore"

ARCHIVE_PREFIX = "antd-backup-"
MANIFEST = "manifest.json"
DATABASE_DUMP = "database.dump"
MEDIA_DIR = "media"
FORMAT = "antd-backup"
VERSION = 1
CHUNK = 1024 * 1024

# OPTIONS of a Django PostgreSQL database that are Django's own, not libpq's.
DJANGO_OPTIONS = {"isolation_level", "server_side_binding", "assume_role", "pool"}
# libpq options that pg_dump and pg_restore read from the environment.
LIBPQ_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "sslpassword": None,  # never put on a command line or an environment we do not own
    "channel_binding": "PGCHANNELBINDING",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "gssencmode": "PGGSSENCMODE",
}


class BackupError(Exception):
    """A backup or restore that could not be done; the message is for the operator (Vietnamese)."""


def default_destination():
    return Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var")) / "backups"


# --- the configured database ---------------------------------------------------------------


def _database():
    database = settings.DATABASES["default"]
    if "postgresql" not in database.get("ENGINE", ""):
        raise BackupError(f"Sao lưu chỉ hỗ trợ PostgreSQL, cơ sở dữ liệu đang cấu hình dùng {database.get('ENGINE')}.")
    if not database.get("NAME"):
        raise BackupError("Chưa cấu hình tên cơ sở dữ liệu (DATABASES['default']['NAME']).")
    return database


def _connect(database):
    params = {k: v for k, v in (database.get("OPTIONS") or {}).items() if k not in DJANGO_OPTIONS}
    params["dbname"] = database["NAME"]
    for key, name in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host"), ("PORT", "port")):
        if database.get(key):
            params[name] = str(database[key])
    try:
        return psycopg2.connect(**params)
    except psycopg2.Error as error:
        raise BackupError(
            f"Không kết nối được cơ sở dữ liệu “{database['NAME']}” "
            f"(máy chủ {database.get('HOST') or 'mặc định'}): {str(error).strip()}"
        ) from error


def _pg_environment(database):
    """The environment of pg_dump / pg_restore: every connection parameter but the database name."""
    env = dict(os.environ)
    for key, name in (("USER", "PGUSER"), ("HOST", "PGHOST"), ("PORT", "PGPORT"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[name] = str(database[key])
    for option, value in (database.get("OPTIONS") or {}).items():
        if LIBPQ_ENVIRONMENT.get(option) and value is not None:
            env[LIBPQ_ENVIRONMENT[option]] = str(value)
    return env


def _dbname_argument(name):
    """--dbname as a conninfo string, so that a name with "=" is never read as one."""
    return "--dbname=dbname='" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _run(command, database, what):
    try:
        result = subprocess.run(
            command, env=_pg_environment(database), capture_output=True, encoding="utf-8", errors="replace"
        )
    except FileNotFoundError as error:
        raise BackupError(f"Không tìm thấy chương trình {command[0]}: cần cài PostgreSQL client (gói postgresql-client).") from error
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or "không có thông báo lỗi"
        raise BackupError(f"{what} thất bại (mã {result.returncode}): {detail}")
    return result


# --- files ---------------------------------------------------------------------------------


def _copy_hashed(source, out=None):
    """The SHA-256 of everything read from source, also written to out when given.

    A restore hashes the bytes it writes, not a second reading: the archive may
    have changed since verify()."""
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        if out is not None:
            out.write(chunk)
    return digest.hexdigest()


def _make_dir(path, label):
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Không tạo được {label} {path}: {error}") from error


class _HashingReader:
    """Hands tarfile the bytes of a file and hashes exactly the bytes it hands."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _media_files(root):
    """(archive name, path) of every regular file under root, in a stable order."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            try:
                if stat.S_ISREG(path.stat().st_mode):
                    found.append((PurePosixPath(MEDIA_DIR, path.relative_to(root).as_posix()).as_posix(), path))
            except FileNotFoundError:
                continue  # deleted while we walked
    return found


def _has_files(root):
    root = Path(root)
    return root.exists() and any(not p.is_dir() for p in root.rglob("*"))


def _fsync_dir(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- backup --------------------------------------------------------------------------------


def _snapshot_state(cursor):
    cursor.execute(
        "SELECT DISTINCT ON (app) app, name FROM django_migrations ORDER BY app, applied DESC, id DESC"
    )
    migrations = dict(cursor.fetchall())
    counts = {}
    for key, model in (("articles", Article), ("photos", Photo)):
        cursor.execute(f'SELECT count(*) FROM "{model._meta.db_table}"')
        counts[key] = cursor.fetchone()[0]
    return migrations, counts


def backup(destination_dir=None):
    """Write a backup of the configured database and MEDIA_ROOT; return its path."""
    database = _database()
    destination = Path(destination_dir) if destination_dir else default_destination()
    destination = destination.resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if destination == media_root or media_root in destination.parents:
        raise BackupError(
            f"Không lưu bản sao lưu trong MEDIA_ROOT ({media_root}): mọi tệp ở đó đều công khai qua /media/. "
            "Hãy chọn thư mục khác."
        )
    _make_dir(destination, "thư mục sao lưu")

    created = timezone.localtime()
    final = destination / f"{ARCHIVE_PREFIX}{created:%Y%m%d-%H%M%S}.tar"
    if final.exists():
        raise BackupError(f"Đã có tệp {final}: chờ một giây rồi sao lưu lại.")

    fd, partial_name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".partial", dir=destination)
    os.close(fd)
    partial = Path(partial_name)
    try:
        with tempfile.TemporaryDirectory(prefix=".antd-dump-", dir=destination) as work:
            dump = Path(work) / DATABASE_DUMP
            connection = _connect(database)
            try:
                # One snapshot for the manifest and the dump: they describe the same data.
                connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot = cursor.fetchone()[0]
                    migrations, counts = _snapshot_state(cursor)
                    _run(
                        [PG_DUMP, "--format=custom", "--no-owner", "--no-privileges",
                         f"--snapshot={snapshot}", f"--file={dump}", _dbname_argument(database["NAME"])],
                        database, "pg_dump",
                    )
                connection.rollback()
            except psycopg2.Error as error:
                raise BackupError(f"Không đọc được trạng thái cơ sở dữ liệu: {str(error).strip()}") from error
            finally:
                connection.close()
            if not dump.is_file() or dump.stat().st_size == 0:
                raise BackupError("pg_dump không tạo ra tệp sao lưu cơ sở dữ liệu.")

            files = {}
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
                files[DATABASE_DUMP] = _add(tar, DATABASE_DUMP, dump)
                for name, path in _media_files(media_root):
                    try:
                        files[name] = _add(tar, name, path)
                    except FileNotFoundError:
                        continue  # deleted since the walk; the dump was taken before
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created": created.isoformat(),
                    "database": database["NAME"],
                    "migrations": migrations,
                    "counts": {**counts, "media_files": len(files) - 1},
                    "sha256": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(created.timestamp()), 0o644
                tar.addfile(info, _BytesReader(data))
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        # A link, not a rename: never replaces a backup made in the same second.
        try:
            os.link(partial, final)
        except FileExistsError as error:
            raise BackupError(f"Đã có tệp {final}: chờ một giây rồi sao lưu lại.") from error
        partial.unlink()
        _fsync_dir(destination)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise BackupError(f"Không ghi được bản sao lưu vào {destination}: {error}") from error
        raise
    return final


class _BytesReader:
    def __init__(self, data):
        self.data, self.offset = data, 0

    def read(self, size=-1):
        end = len(self.data) if size is None or size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset:end], min(end, len(self.data))
        return chunk


def _add(tar, name, path):
    with open(path, "rb") as handle:
        info = tar.gettarinfo(fileobj=handle, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o644
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return reader.digest.hexdigest()


# --- restore -------------------------------------------------------------------------------


def _check_member(member):
    name = member.name
    parts = PurePosixPath(name).parts
    if name.startswith("/") or "\\" in name or not parts or any(p in ("", ".", "..") for p in parts) or name != "/".join(parts):
        raise BackupError(f"Bản sao lưu có tên tệp không hợp lệ “{name}” (đường dẫn tuyệt đối hoặc có “..”). Không khôi phục gì.")
    if not member.isreg():
        raise BackupError(f"Bản sao lưu có mục “{name}” không phải tệp thường (liên kết, thư mục hoặc thiết bị). Không khôi phục gì.")
    if name not in (MANIFEST, DATABASE_DUMP) and (parts[0] != MEDIA_DIR or len(parts) < 2):
        raise BackupError(f"Bản sao lưu có tệp “{name}” nằm ngoài media/. Không khôi phục gì.")


def _read_manifest(tar):
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read().decode())
    except KeyError as error:
        raise BackupError("Tệp này không phải bản sao lưu ANTD: thiếu manifest.json.") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"manifest.json của bản sao lưu không đọc được: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("sha256"), dict):
        raise BackupError("Tệp này không phải bản sao lưu ANTD: manifest.json không đúng định dạng.")
    if manifest.get("version") != VERSION:
        raise BackupError(f"Bản sao lưu định dạng phiên bản {manifest.get('version')}, chương trình này chỉ đọc phiên bản {VERSION}.")
    return manifest


def verify(archive_path):
    """Check an archive's member names and every checksum without restoring anything.

    Returns its manifest, or raises BackupError."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"Không có tệp sao lưu {archive_path}.")
    try:
        with tarfile.open(archive_path, "r:") as tar:
            members = tar.getmembers()
            seen = {}
            for member in members:
                _check_member(member)
                if member.name in seen:
                    raise BackupError(f"Bản sao lưu có hai tệp cùng tên “{member.name}”. Không khôi phục gì.")
                seen[member.name] = member
            manifest = _read_manifest(tar)
            expected = manifest["sha256"]
            if DATABASE_DUMP not in expected:
                raise BackupError("manifest.json không có tổng kiểm tra của database.dump. Không khôi phục gì.")
            present = set(seen) - {MANIFEST}
            if missing := sorted(set(expected) - present):
                raise BackupError(f"Bản sao lưu thiếu {len(missing)} tệp ghi trong manifest.json, ví dụ “{missing[0]}”. Không khôi phục gì.")
            if extra := sorted(present - set(expected)):
                raise BackupError(f"Bản sao lưu có {len(extra)} tệp không ghi trong manifest.json, ví dụ “{extra[0]}”. Không khôi phục gì.")
            for name in sorted(expected):
                if _copy_hashed(tar.extractfile(seen[name])) != expected[name]:
                    raise BackupError(
                        f"Bản sao lưu bị hỏng hoặc đã bị sửa: tổng kiểm tra SHA-256 của “{name}” không khớp với "
                        "manifest.json. Không khôi phục gì."
                    )
    except tarfile.TarError as error:
        raise BackupError(f"Không đọc được tệp sao lưu {archive_path}: {error}") from error
    return manifest


def _check_empty_database(database):
    connection = _connect(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
            )
            tables = cursor.fetchone()[0]
    finally:
        connection.close()
    if tables:
        raise BackupError(
            f"Cơ sở dữ liệu “{database['NAME']}” không trống (đã có {tables} bảng trong schema public). "
            "Chỉ khôi phục vào một cơ sở dữ liệu trống: hãy tạo cơ sở dữ liệu mới "
            f"(ví dụ: createdb {database['NAME']}_khoiphuc) rồi trỏ DATABASE_URL vào đó. Không khôi phục gì."
        )


def _stage_media(archive_path, expected, staging):
    """Write every media file of the archive under staging, checking each checksum again."""
    with tarfile.open(archive_path, "r:") as tar:
        for member in tar:
            if not member.name.startswith(MEDIA_DIR + "/"):
                continue
            _check_member(member)  # the archive may have changed since verify()
            target = staging.joinpath(*PurePosixPath(member.name).parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
            with os.fdopen(fd, "wb") as out:
                digest = _copy_hashed(source, out)
            if digest != expected.get(member.name):
                raise BackupError(f"Tệp sao lưu đã thay đổi trong lúc khôi phục (“{member.name}”). Không khôi phục gì.")
            os.utime(target, (member.mtime, member.mtime))


def _extract_dump(archive_path, expected, target):
    with tarfile.open(archive_path, "r:") as tar:
        member = tar.getmember(DATABASE_DUMP)
        _check_member(member)
        source = tar.extractfile(member)
        with open(target, "wb") as out:
            digest = _copy_hashed(source, out)
    if digest != expected[DATABASE_DUMP]:
        raise BackupError("Tệp sao lưu đã thay đổi trong lúc khôi phục (“database.dump”). Không khôi phục gì.")


def _move_into(staging, media_root):
    for path in sorted(staging.rglob("*")):
        if path.is_dir():
            continue
        target = media_root / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)


def restore(archive_path):
    """Restore a backup into the configured (empty) database and (empty) MEDIA_ROOT.

    Returns the archive's manifest. Raises BackupError, having changed nothing,
    when a checksum or member name is wrong, the database has tables or
    MEDIA_ROOT has files."""
    archive_path = Path(archive_path)
    manifest = verify(archive_path)
    database = _database()
    _check_empty_database(database)
    media_root = Path(settings.MEDIA_ROOT)
    if _has_files(media_root):
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) đã có tệp. Chỉ khôi phục vào một thư mục ảnh trống: "
            "hãy trỏ MEDIA_ROOT vào một thư mục mới. Không khôi phục gì."
        )
    _make_dir(media_root, "MEDIA_ROOT")

    expected = manifest["sha256"]
    # Media are written first beside their place (same file system), so that a full disk
    # or an unreadable archive fails before the database is touched.
    staging = Path(tempfile.mkdtemp(prefix=".antd-restore-", dir=media_root))
    try:
        with tempfile.TemporaryDirectory(prefix="antd-restore-") as work:
            dump = Path(work) / DATABASE_DUMP
            _extract_dump(archive_path, expected, dump)
            _stage_media(archive_path, expected, staging)
            _run(
                [PG_RESTORE, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                 _dbname_argument(database["NAME"]), str(dump)],
                database, "pg_restore",
            )
        _move_into(staging, media_root)
    except OSError as error:
        raise BackupError(f"Không ghi được tệp khi khôi phục: {error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest
