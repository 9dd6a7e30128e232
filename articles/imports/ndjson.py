"""Articles exported from another CMS as NDJSON: one JSON object per line.

A line holds the sidecar's fields (importer.check_meta) plus id, title, sapo and
body, and is checked exactly as a plain-text file is. Lines that are only rows
(no photo, no caption, an id not yet imported) are written a batch at a time by
one INSERT … SELECT that computes each search vector once (migration 0007); the
others take the plain-text path, article by article. A batch is one transaction
and each line in it is all or nothing: a bad line is reported, never half written.
"""
import json
import queue
import threading
from dataclasses import dataclass, field

import psycopg2
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from .. import bylines, caching, publication, text
from ..models import Article, Author, Category, Tag
from ..newsroom import revisions
from ..photos import uploads
from ..richtext import convert, plain, sanitize
from .plaintext import (
    ImportFailed, ParsedArticle, author_names, check_fits, check_meta, check_storable, save_parsed, split_captions,
)
from .pgcopy import copy_rows

BATCH = 1000
# Computing search vectors is most of the cost, and PostgreSQL does it: one backend
# per core, each writing its own batches, while this process reads the next lines.
WORKERS = 2
ID_MAX_LENGTH = Article._meta.get_field("external_id").max_length
KNOWN_KEYS = {"id", "title", "sapo", "lead", "body", "body_html", "category", "tags", "published_at", "status", "author",
              "source", "photos"}


@dataclass
class Line:
    number: int
    key: str
    parsed: ParsedArticle
    meta: dict

    @property
    def is_plain(self):
        return not (self.parsed.captions or self.meta["photos"])


@dataclass
class Report:
    added: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # (line number, message)
    warnings: list = field(default_factory=list)  # (line number, message): imported all the same
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, added=0, updated=0, errors=(), warnings=()):
        with self.lock:
            self.added += added
            self.updated += updated
            self.errors.extend(errors)
            self.warnings.extend(warnings)


def parse_line(raw, folder):
    """(key, ParsedArticle, meta) of one line, or ImportFailed."""
    try:
        record = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFailed(f"không phải JSON hợp lệ: {error}.") from None
    if not isinstance(record, dict):
        raise ImportFailed("mỗi dòng phải là một đối tượng JSON.")
    unknown = sorted(set(record) - KNOWN_KEYS)
    if unknown:
        raise ImportFailed(f"trường không biết: {', '.join(unknown)}.")
    check_storable(record)
    key = record.get("id")
    if not isinstance(key, (str, int)) or isinstance(key, bool) or not str(key).strip():
        raise ImportFailed("thiếu id (mã bài ở hệ thống cũ, chuỗi hoặc số).")
    key = text.nfc(str(key).strip())
    if len(key) > ID_MAX_LENGTH:
        raise ImportFailed(f"id dài quá {ID_MAX_LENGTH} ký tự.")
    # A title is one line; a sapo keeps its line breaks, in the one form the site stores.
    parsed = ParsedArticle(title=text.collapse_spaces(text.normalized(_string(record, "title")).replace("\n", " ")))
    if not parsed.title:
        raise ImportFailed("thiếu tiêu đề (title).")
    parsed.lead = text.normalized(_string(record, "sapo") or _string(record, "lead"))
    if "body_html" in record:
        _parse_html(parsed, record)
    else:
        _parse_paragraphs(parsed, record.get("body"))
    fields = ("id", "title", "sapo", "lead", "body", "body_html")
    meta = check_meta({k: v for k, v in record.items() if k not in fields}, folder)
    check_fits(parsed, meta)
    return key, parsed, meta


def _parse_paragraphs(parsed, body):
    if isinstance(body, list) and all(isinstance(p, str) for p in body):
        body = text.join_paragraphs(body)
    if body is not None and not isinstance(body, str):
        raise ImportFailed("body phải là một chuỗi hoặc danh sách đoạn văn.")
    parsed.paragraphs, parsed.captions = split_captions(text.split_paragraphs(body or ""))


def _parse_html(parsed, record):
    """body_html, reduced to the allow-list; what was dropped is a warning, not a refusal.
    The photos of a line stand after its body: no placeholder of another site is kept."""
    if record.get("body") is not None:
        raise ImportFailed("chỉ dùng một trong hai: body hoặc body_html.")
    cleaned = sanitize.clean(text.normalized(_string(record, "body_html")), photos=())
    parsed.html, parsed.paragraphs = cleaned.html, plain.paragraphs(cleaned.html)
    parsed.warnings = tuple(f"body_html: đã bỏ {what}." for what in cleaned.dropped)


def _string(record, name):
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportFailed(f"{name} phải là một chuỗi.")
    return value


class Loader:
    """Writes checked lines. The categories and tags of plain lines are made by the
    reading thread (resolve) before their batch is handed out; those of other lines
    are made with their article, by _save_one, which retries if the other writer is
    making the same one."""

    def __init__(self):
        self.categories = {}  # name -> (id, stored name)
        self.tags = {}  # slug -> (id, stored name)
        self.authors = {}  # slug -> id
        self.report = Report()
        self.failure = None

    def work(self, batches):
        """A writer thread: load batches until None, on a connection of its own."""
        try:
            while (lines := batches.get()) is not None:
                if self.failure is None:
                    self.load(lines)
        except BaseException as error:  # handed to the reading thread, which raises it
            self.failure = error
            while batches.get() is not None:
                pass
        finally:
            connection.close()

    def load(self, lines):
        plain = [line for line in lines if line.is_plain]
        with uploads.files_removed_on_failure(), revisions.attributed(None, revisions.Kind.IMPORT):
            written = self._insert(plain) if plain else set()
            # Lines left over: not plain, or not written in bulk. If the bulk statement
            # itself failed, every line is retried alone, so one bad row fails alone.
            for line in lines:
                if line.key not in written:
                    self._save_one(line)
        caching.changed()  # written past the ORM's signals

    def _save_one(self, line, attempts=3):
        """The plain-text path for one line. The other writer may be saving the same
        slug, category or tag: the unique index then waits for its commit and
        refuses, and the next attempt sees what it wrote."""
        for attempt in range(attempts):
            try:
                with uploads.files_removed_on_failure(), revisions.attributed(None, revisions.Kind.IMPORT):
                    _, created = save_parsed(line.key, line.parsed, line.meta)
                break
            except ImportFailed as error:
                self.report.count(errors=[(line.number, str(error))])
                return
            except IntegrityError:
                if attempt == attempts - 1:
                    message = "không lưu được: trùng với dữ liệu đang được ghi cùng lúc; hãy nhập lại tệp."
                    self.report.count(errors=[(line.number, message)])
                    return
        self.report.count(added=int(created), updated=int(not created))

    def resolve(self, lines):
        """Category and tag ids of the plain lines, created when missing (committed at
        once, so that every batch after this one finds them). Other lines make their
        own with the article, so that a refused line leaves none behind."""
        lines = [line for line in lines if line.is_plain]
        for line in lines:
            name = line.meta.get("category")
            if name and name not in self.categories:
                category = Category.objects.for_name(name)
                self.categories[name] = (category.pk, category.name)
        wanted = {text.slugify(name): name for line in lines for name in line.meta.get("tags") or []}
        missing = [name for slug, name in wanted.items() if slug and slug not in self.tags]
        if missing:
            for tag in Tag.objects.for_names(missing):
                self.tags[tag.slug] = (tag.pk, tag.name)
        names = [name for line in lines for name in author_names(line.parsed, line.meta)]
        missing = [name for name in names if text.slugify(name) not in self.authors]
        for author in Author.objects.for_names(missing):
            self.authors[author.slug] = author.pk

    def _insert(self, lines):
        """The plain lines as rows, in one statement; returns the keys written. A key
        already imported, or a slug already taken that day, is left to _save_one."""
        now = timezone.now()
        rows = [[order, *map(self._row(line, now).get, STAGING_COLUMNS[1:])] for order, line in enumerate(lines)]
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                inserted = self._copy_and_insert(cursor, rows)
        except (DatabaseError, psycopg2.Error):
            # COPY raises the driver's own errors, not Django's.
            return set()
        self.report.count(added=len(inserted))
        return {key for _, key in inserted}

    @staticmethod
    def _copy_and_insert(cursor, rows):
        cursor.execute("SET LOCAL antd.bulk_load = on")
        cursor.execute(STAGING)
        copy_rows(cursor, "ndjson_batch", STAGING_COLUMNS, rows)
        cursor.execute(INSERT_ARTICLES)
        inserted = cursor.fetchall()
        cursor.execute(INSERT_TAGGINGS, [[pk for pk, _ in inserted]])
        cursor.execute(INSERT_AUTHORSHIPS, [[pk for pk, _ in inserted]])
        revisions.record_bulk(cursor, [pk for pk, _ in inserted])
        # The staging rows go at commit; the triggers come back for the slow path now.
        cursor.execute("SET LOCAL antd.bulk_load = off")
        return inserted

    def _row(self, line, now):
        parsed, meta = line.parsed, line.meta
        status, published_at = publication.publish_defaults(meta.get("status"), meta.get("published_at"), now)
        category_id, category = self.categories.get(meta.get("category"), (None, ""))
        names = author_names(parsed, meta)
        tags = {self.tags[slug] for slug in map(text.slugify, meta.get("tags") or []) if slug in self.tags}
        return {
            "external_id": line.key, "title": parsed.title, "slug": text.slugify(parsed.title) or "bai-viet",
            "lead": parsed.lead, "body": parsed.html or convert.from_paragraphs(parsed.paragraphs),
            "author": bylines.byline(names),
            "author_ids": "{" + ",".join(str(self.authors[text.slugify(name)]) for name in names) + "}",
            "source": text.normalized(meta.get("source") or parsed.source),
            "category_id": category_id, "category": category,
            "tags": " ".join(name for _, name in sorted(tags)),
            "tag_ids": "{" + ",".join(str(pk) for pk, _ in sorted(tags)) + "}",
            "status": status, "published_at": published_at.isoformat() if published_at else None,
        }


STAGING_COLUMNS = ["n", "external_id", "title", "slug", "lead", "body", "author", "author_ids", "source", "category_id",
                   "category", "tags", "tag_ids", "status", "published_at"]
STAGING = """
CREATE TEMP TABLE IF NOT EXISTS ndjson_batch (
    n int, external_id text, title text, slug text, lead text, body text, author text, author_ids bigint[], source text,
    category_id bigint, category text, tags text, tag_ids bigint[], status text, published_at timestamptz
) ON COMMIT DELETE ROWS
"""
INSERT_ARTICLES = """
INSERT INTO articles_article (external_id, title, slug, lead, body, author, source, category_id, status,
                              published_at, created_at, updated_at, search_vector)
SELECT external_id, title, slug, lead, body, author, source, category_id, status, published_at, now(), now(),
       articles_search_vector_of(title, tags, category, lead, body)
  FROM ndjson_batch ORDER BY n
ON CONFLICT DO NOTHING
RETURNING id, external_id
"""
# Each link carries the article's columns of the publication rule (the triggers
# that copy them stand aside in a bulk load).
INSERT_TAGGINGS = f"""
INSERT INTO articles_article_tags (article_id, tag_id, {", ".join(publication.COPIED_COLUMNS)})
SELECT a.id, t.tag_id, {", ".join(f"a.{column}" for column in publication.COPIED_COLUMNS)}
  FROM articles_article a JOIN ndjson_batch b ON b.external_id = a.external_id, unnest(b.tag_ids) AS t(tag_id)
 WHERE a.id = ANY(%s)
"""

# The byline's authors in its order (bylines.names_in, as the text path's authors.assign).
INSERT_AUTHORSHIPS = """
INSERT INTO articles_authorship (article_id, author_id, position)
SELECT a.id, w.author_id, w.n - 1
  FROM articles_article a JOIN ndjson_batch b ON b.external_id = a.external_id,
       unnest(b.author_ids) WITH ORDINALITY AS w(author_id, n)
 WHERE a.id = ANY(%s)
"""


def import_file(path, workers=WORKERS):
    """Import every line of an NDJSON file; returns a Report."""
    loader = Loader()
    batches = queue.Queue(maxsize=workers)
    writers = [threading.Thread(target=loader.work, args=(batches,)) for _ in range(workers)]
    for writer in writers:
        writer.start()
    try:
        for lines in _batches(path, loader.report):
            loader.resolve(lines)
            batches.put(lines)
    finally:
        for _ in writers:
            batches.put(None)
        for writer in writers:
            writer.join()
    if loader.failure:
        raise loader.failure
    loader.report.errors.sort()
    return loader.report


def _batches(path, report):
    """Checked lines, BATCH at a time; bad lines go to the report."""
    batch, seen = [], {}
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                key, parsed, meta = parse_line(raw, path.parent)
                if key in seen:
                    raise ImportFailed(f"id “{key}” trùng với dòng {seen[key]}.")
            except ImportFailed as error:
                report.count(errors=[(number, str(error))])
                continue
            seen[key] = number
            report.count(warnings=[(number, warning) for warning in parsed.warnings])
            batch.append(Line(number, key, parsed, meta))
            if len(batch) >= BATCH:
                yield batch
                batch = []
    if batch:
        yield batch
