"""A realistic archive of any size, for benchmarks: `manage.py make_archive`.

Vocabulary comes from what ships with the project and its packages: the
sample articles in articles/content/ and Faker's vi_VN word, name and place
lists. Articles are written in chunks, on every core (_chunk, in worker
processes): each article draws from a generator seeded by the seed and its
number, so the same N and seed make the same archive however many processes
write it. Rows go in through PostgreSQL COPY into an unlogged staging table, then
one INSERT … SELECT writes the articles and one more their authorships. Bylines
come from a pool of a few hundred names, whose authors (articles/bylines.py: one
per normalized name) are worked out once before the articles are written.
Parsing text into search vectors is the slow part of a load, so each sentence of
the pool is parsed once and an article's vector is the concatenation of its
sentences' vectors, as to_tsvector of the whole text would give; the vectors are
made on every core (_compute_vectors). Indexes are dropped during the load and
built once.
"""
import itertools
import json
import multiprocessing
import os
import random
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from faker.providers.address.vi_VN import Provider as Places
from faker.providers.lorem.vi_VN import Provider as Lorem
from faker.providers.person.vi_VN import Provider as People

from articles import bylines, publication, search, text
from articles.imports import pgcopy
from articles.models import HANOI, Article, Author, Category, Photo, Tag
from articles.newsroom import revisions
from articles.richtext import convert

from .samples import CONTENT_DIR, illustration

START, END = datetime(2005, 1, 1, tzinfo=HANOI), datetime(2026, 11, 1, tzinfo=HANOI)
CATEGORIES = [
    "Thời sự", "Chính trị - Xã hội", "An ninh trật tự", "Hình sự", "Giao thông", "Pháp luật",
    "Bạn đọc", "Điều tra", "Phóng sự", "Kinh tế", "Tài chính", "Bất động sản", "Quốc tế",
    "Văn hóa - Giải trí", "Thể thao", "Sức khỏe", "Giáo dục", "Công nghệ", "Môi trường",
    "Đời sống", "Hà Nội", "Phòng cháy chữa cháy", "Chống buôn lậu", "Ma túy", "Tòa án",
    "Xây dựng lực lượng", "Thi đua", "Tư vấn pháp luật", "Cảnh giác", "Ảnh",
]
SENTENCE_POOL = 40_000
CHUNK = 20_000
# How many photos an article has, each equally likely.
PHOTO_COUNTS = (0, 1, 1, 2, 2, 3, 4)


def vocabulary():
    words = set(Lorem.word_list)
    for path in CONTENT_DIR.glob("*.txt"):
        words.update(w.lower() for w in re.findall(r"\w+", path.read_text(encoding="utf-8")) if not w.isdigit())
    return sorted(words)


def names(rng, count):
    first = list(People.first_names)
    middle = list(People.middle_names)
    return [f"{rng.choice(People.last_names)} {rng.choice(middle)} {rng.choice(first)}" for _ in range(count)]


def places():
    return list(Places.provinces) + list(getattr(Places, "cities", [])) + list(getattr(Places, "communes", []))


class Writer:
    """The vocabulary, names and sentences of a seed's archive, from one seeded
    generator. An archive's articles draw from their own (article_rng), given to
    title, paragraph and byline; export_lines draws from the writer's."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.words = vocabulary()
        self.places = places()
        self.people = names(self.rng, 400)
        self.sentences = [self.sentence() for _ in range(SENTENCE_POOL)]

    def byline(self, rng):
        """ANTD's byline: a name in capitals, one in ten times two ("HẢI NAM - THU HÀ")."""
        people = [rng.choice(self.people)]
        if rng.random() < 0.1:
            people.append(rng.choice(self.people))
        return " - ".join(people).upper()

    def sentence(self, low=8, high=22):
        rng = self.rng
        parts = rng.choices(self.words, k=rng.randint(low, high))
        if rng.random() < 0.3:
            parts.insert(rng.randrange(len(parts)), rng.choice(self.places))
        if rng.random() < 0.2:
            parts.insert(rng.randrange(len(parts)), rng.choice(self.people))
        first = parts[0]
        return f"{first[:1].upper()}{first[1:]} {' '.join(parts[1:])}."

    def paragraph(self, rng=None):
        """A paragraph as the ids of its sentences in the pool."""
        rng = rng or self.rng
        return rng.choices(range(len(self.sentences)), k=rng.randint(2, 4))

    def words_of(self, paragraph):
        return " ".join(self.sentences[i] for i in paragraph)

    def title(self, rng=None):
        rng = rng or self.rng
        parts = rng.choices(self.words, k=rng.randint(6, 11))
        parts.insert(rng.randrange(len(parts)), rng.choice(self.places))
        first = parts[0]
        return f"{first[:1].upper()}{first[1:]} {' '.join(parts[1:])}"

    def tag_names(self, count):
        """Distinct tag names: places, people, then word pairs; a long tail of rare ones."""
        found, seen = [], set()
        candidates = iter(self.places + self.people)
        while len(found) < count:
            name = next(candidates, None) or " ".join(self.rng.choices(self.words, k=self.rng.randint(1, 3)))
            slug = text.slugify(name)
            if slug and slug not in seen:
                seen.add(slug)
                found.append((name, slug))
        return found


def article_rng(seed, number):
    """The generator of one article's draws: the same whatever process writes it."""
    return random.Random(f"{seed}-{number}")


class Authors:
    """The archive's authors, one per normalized name (bylines.names_in, text.slugify),
    the records already there included. Every name the writer's bylines can hold has
    its id before the articles are written, so that chunks written in different
    processes name the same records; only the ones a byline names are created."""

    BYLINE_LENGTH = Article._meta.get_field("author").max_length

    def __init__(self, cursor, people):
        cursor.execute("SELECT slug, id, name FROM articles_author")
        self.known = {slug: (pk, name) for slug, pk, name in cursor.fetchall()}
        self.existing = set(self.known)
        cursor.execute("SELECT coalesce(max(id), 0) FROM articles_author")
        ids = itertools.count(cursor.fetchone()[0] + 1)
        for person in people:
            for name in bylines.names_in(person.upper()):
                slug = text.slugify(name)
                if slug not in self.known:
                    self.known[slug] = (next(ids), name)
        self.lines = {}

    def of(self, raw):
        """(byline text, author ids as an array literal, their slugs) of a raw byline:
        the text is the records' names, as authors.refresh_bylines writes it."""
        found = self.lines.get(raw)
        if found is None:
            slugs = [text.slugify(name) for name in bylines.names_in(raw)]
            people = [self.known[slug] for slug in slugs]
            found = self.lines[raw] = (
                bylines.byline([name for _, name in people])[:self.BYLINE_LENGTH],
                "{" + ",".join(str(pk) for pk, _ in people) + "}",
                slugs,
            )
        return found

    def created(self, used):
        """The records to create: the new names among these slugs, in the order of their ids."""
        new = sorted((self.known[slug][0], self.known[slug][1], slug) for slug in set(used) - self.existing)
        return [Author(id=pk, name=name, slug=slug) for pk, name, slug in new]


@dataclass(frozen=True)
class Archive:
    """What every chunk of a build shares, set before the worker processes start
    (they inherit it: nothing large is sent to them)."""

    writer: Writer
    seed: int
    first_id: int
    categories: list  # (pk, name)
    tags: list  # (pk, name), in id order
    pool: list  # photo_pool()
    authors: Authors
    now: datetime


_archive = None  # the build's Archive, for _chunk in the worker processes


@dataclass(frozen=True)
class Chunk:
    """Articles start to stop (numbers from 0) of a build, and what was drawn for them in order."""

    start: int  # the first article's number (0 for the build's first)
    stop: int
    first_photo_id: int
    moments: list  # each article's place in time, 0 to 1
    photo_counts: list


def _chunk(chunk):
    """A chunk's articles as COPY's lines for the staging tables, in UTF-8:
    (articles, their tags, their photos, the author slugs their bylines name)."""
    archive, writer = _archive, _archive.writer
    articles, taggings, photos, used = [], [], [], set()
    photo_ids = itertools.count(chunk.first_photo_id)
    span = (END - START).total_seconds()
    for number, moment, photo_count in zip(range(chunk.start, chunk.stop), chunk.moments, chunk.photo_counts):
        article_id = archive.first_id + number
        rng = article_rng(archive.seed, number)
        roll = rng.random()
        if roll < 0.02:
            status, when = "draft", None
        elif roll < 0.021:
            status, when = "published", archive.now + timedelta(days=rng.randint(1, 30))
        else:
            status, when = "published", START + timedelta(seconds=moment * span)
        title = writer.title(rng)
        paragraphs = [writer.paragraph(rng) for _ in range(rng.randint(5, 15))]
        lead = writer.paragraph(rng)
        category_id, category = rng.choice(archive.categories)
        chosen = {archive.tags[int(len(archive.tags) * rng.random() ** 3)] for _ in range(rng.randint(1, 5))}
        byline, author_ids, slugs = archive.authors.of(writer.byline(rng))
        used.update(slugs)
        placed = []
        for _ in range(photo_count):
            image, width, height, renditions = rng.choice(archive.pool)
            placed.append((rng.randint(0, len(paragraphs)), next(photo_ids)))
            photos.append((
                article_id, image, width, height, rng.choice(writer.sentences)[:-1], "Ảnh minh họa", "",
                placed[-1][1], renditions, "",
            ))
        articles.append((
            article_id, title, f"{text.slugify(title, 150)}-{article_id}", writer.words_of(lead),
            convert.from_paragraphs(list(map(writer.words_of, paragraphs)), placed), category_id, category,
            " ".join(n for _, n in sorted(chosen)), status, when.isoformat() if when else None,
            byline, "ANTD.VN",
            "{" + ",".join(map(str, lead)) + "}", "{" + ",".join(str(i) for p in paragraphs for i in p) + "}",
            author_ids,
        ))
        taggings.extend((article_id, tag_id) for tag_id, _ in chosen)
    return (
        pgcopy.lines(articles).encode(), pgcopy.lines(taggings).encode(), pgcopy.lines(photos).encode(), used,
    )


def _chunks(count, seed, first_photo_id, moments, has_photos):
    """The build's chunks, each with its first photo id: how many photos each article
    has is drawn here, from a generator of its own, so that ids follow articles."""
    counts = random.Random(f"{seed}-photos")
    photo_id = first_photo_id
    for start in range(0, count, CHUNK):
        stop = min(count, start + CHUNK)
        photo_counts = [counts.choice(PHOTO_COUNTS) if has_photos else 0 for _ in range(start, stop)]
        yield Chunk(start, stop, photo_id, moments[start:stop], photo_counts)
        photo_id += sum(photo_counts)


@contextmanager
def _writing(workers):
    """A function giving each chunk's _chunk in order: from worker processes when
    there are several. They are forked here, before the build opens its connection
    again, so that none of them holds it; they inherit _archive."""
    if workers < 2:
        yield lambda chunks: map(_chunk, chunks)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield lambda chunks: pool.imap(_chunk, chunks)


def _secondary_indexes(cursor, tables):
    """(name, definition) of the tables' indexes that no constraint owns: dropped
    for the load and built once after it. Unique ones among them (an article's slug
    per day) check every row again as they are built."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
          JOIN pg_class c ON c.relname = i.indexname
          JOIN pg_index x ON x.indexrelid = c.oid
         WHERE i.tablename = ANY(%s) AND NOT x.indisprimary
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
        """,
        [list(tables)],
    )
    return cursor.fetchall()


def _stage(cursor, articles, taggings, photos):
    """A chunk's lines (_chunk) into the staging tables."""
    pgcopy.copy_lines(cursor, "archive_staging", [
        "id", "title", "slug", "lead", "body", "category_id", "category", "tags", "status",
        "published_at", "author", "source", "lead_ids", "body_ids", "author_ids",
    ], articles)
    pgcopy.copy_lines(cursor, "archive_staging_tags", ["article_id", "tag_id"], taggings)
    pgcopy.copy_lines(cursor, "archive_staging_photos", [
        "article_id", "image", "width", "height", "caption", "credit", "alt_text", "id",
        "renditions", "source_digest",
    ], photos)


def _compute_vectors(cursor):
    """Each staged article's search vector into archive_vectors, on every core.

    INSERT … SELECT runs in one process; CREATE TABLE … AS may run in parallel, so
    the vectors are made by it and the articles then read them. The aggregate and the
    function that reads the sentences are declared parallel safe for that.
    """
    cursor.execute(
        "CREATE OR REPLACE AGGREGATE archive_tsvector_agg(tsvector) "
        "(SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '', PARALLEL = SAFE)"
    )
    cursor.execute(
        """CREATE OR REPLACE FUNCTION archive_sentences_vector(ids int[]) RETURNS tsvector
           LANGUAGE sql STABLE PARALLEL SAFE AS $$
           SELECT coalesce(archive_tsvector_agg(s.v ORDER BY u.n), '')
             FROM unnest(ids) WITH ORDINALITY AS u(id, n) JOIN archive_sentences s ON s.id = u.id
           $$"""
    )
    cursor.execute("SET LOCAL max_parallel_workers_per_gather = %s", [max(1, (os.cpu_count() or 1) - 1)])
    cursor.execute("ANALYZE archive_staging")
    cursor.execute("DROP TABLE IF EXISTS archive_vectors")
    cursor.execute(
        """CREATE UNLOGGED TABLE archive_vectors AS
           SELECT id, setweight(to_tsvector('vietnamese', title), 'A')
                   || setweight(to_tsvector('vietnamese', tags || ' ' || category), 'B')
                   || setweight(archive_sentences_vector(lead_ids), 'C')
                   || setweight(archive_sentences_vector(body_ids), 'D') AS vector
             FROM archive_staging"""
    )
    cursor.execute("SET LOCAL max_parallel_workers_per_gather TO DEFAULT")
    cursor.execute("ANALYZE archive_vectors")


def build(count, seed=2017, stdout=None, photo_pool=None, workers=None):
    """Add `count` synthetic articles; returns how many were added. workers: the
    processes that write the articles' text (by default one per core)."""
    global _archive
    started = time.perf_counter()

    def say(message):
        if stdout:
            stdout.write(f"[{time.perf_counter() - started:6.1f}s] {message}")

    writer = Writer(seed)
    categories = [Category.objects.get_or_create(slug=text.slugify(n), defaults={"name": n})[0] for n in CATEGORIES]
    tag_target = min(20_000, max(200, count // 50))
    existing = set(Tag.objects.values_list("slug", flat=True))
    new_tags = [(n, s) for n, s in writer.tag_names(tag_target) if s not in existing]
    with connection.cursor() as cursor:
        pgcopy.copy_rows(cursor, "articles_tag", ["name", "slug"], new_tags)
        cursor.execute("SELECT coalesce(max(id), 0) FROM articles_article")
        first_id = cursor.fetchone()[0] + 1
        # Photo ids are chosen here, so that each body can name its photos where they stand.
        cursor.execute("SELECT coalesce(max(id), 0) FROM articles_photo")
        first_photo_id = cursor.fetchone()[0] + 1
        authors = Authors(cursor, writer.people)
    tags = list(Tag.objects.order_by("id").values_list("id", "name"))
    pool = photo_pool or []
    say(f"{len(categories)} chuyên mục, {len(tags)} thẻ; đang tạo {count} bài…")
    # A newsroom writes its articles in the order they come out: ids, and rows on
    # disk, follow publication time, as in any archive that grew day by day.
    moments = sorted(writer.rng.random() for _ in range(count))
    chunks = list(_chunks(count, seed, first_photo_id, moments, bool(pool)))
    _archive = Archive(writer, seed, first_id, [(c.pk, c.name) for c in categories], tags, pool, authors,
                       timezone.now())
    if not connection.in_atomic_block:
        connection.close()  # reopened below, after the worker processes are forked
    used = set()

    with (
        _writing(min(workers or os.cpu_count() or 1, len(chunks))) as written,
        revisions.attributed(None, revisions.Kind.IMPORT),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # The staged rows are joined to their vectors and the links to their articles:
        # in memory, not in the dozens of batches on disk that 4 MB would cut them into.
        cursor.execute("SET LOCAL work_mem = '512MB'")
        # As migration 0023 sets for the article's columns: staged text too is written fast.
        cursor.execute("SET LOCAL default_toast_compression = lz4")
        # Foreign keys checked row by row as the final inserts go in, not queued to
        # the commit (a queue that would also forbid re-enabling triggers).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # The photos keep the index on their article: the first revisions, recorded
        # before the others are built again, read each article's photos through it
        # (view articles_revision_content). Without it each article scanned the whole
        # photo table and the load grew with the square of its size.
        dropped = _secondary_indexes(cursor, ["articles_article", "articles_article_tags", "articles_authorship"])
        for name, _ in dropped:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            """CREATE UNLOGGED TABLE IF NOT EXISTS archive_staging (
                id bigint, title text, slug text, lead text, body text, category_id bigint, category text,
                tags text, status varchar(10), published_at timestamptz, author text, source text,
                lead_ids int[], body_ids int[], author_ids bigint[])"""
        )
        cursor.execute("CREATE UNLOGGED TABLE IF NOT EXISTS archive_sentences (id int PRIMARY KEY, v tsvector)")
        cursor.execute("TRUNCATE archive_sentences")
        cursor.execute(
            "INSERT INTO archive_sentences SELECT n - 1, to_tsvector('vietnamese', s) "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS t(s, n)",
            [writer.sentences],
        )
        cursor.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS archive_staging_tags (article_id bigint, tag_id bigint)"
        )
        cursor.execute(
            """CREATE UNLOGGED TABLE IF NOT EXISTS archive_staging_photos (
                article_id bigint, image text, width int, height int, caption text, credit text,
                alt_text text, id bigint, renditions jsonb, source_digest text)"""
        )
        cursor.execute("TRUNCATE archive_staging, archive_staging_tags, archive_staging_photos")
        for table in ("articles_article", "articles_article_tags", "articles_photo"):
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        for chunk, (articles, taggings, photos, slugs) in zip(chunks, written(chunks)):
            _stage(cursor, articles, taggings, photos)
            used.update(slugs)
            say(f"  {chunk.stop}/{count}")
        say("Tính vector tìm kiếm…")
        _compute_vectors(cursor)
        say("Ghi bài…")
        # Each card's photo as migration 0028's triggers (disabled here) would find it:
        # the article's first photo with a file, in the shape articles_photo_card gives.
        cursor.execute(
            """
            INSERT INTO articles_article (id, title, slug, lead, body, category_id, status, published_at,
                author, source, created_at, updated_at, search_vector, card_photo)
            SELECT s.id, s.title, s.slug, s.lead, s.body, s.category_id, s.status, s.published_at, s.author, s.source,
                   coalesce(s.published_at, now()), coalesce(s.published_at, now()), v.vector,
                   articles_photo_card(p.id, p.image, p.width, p.height, p.caption, p.credit, p.alt_text,
                                       p.renditions)
              FROM archive_staging s JOIN archive_vectors v USING (id)
              LEFT JOIN (SELECT article_id, min(id) AS id FROM archive_staging_photos WHERE image <> ''
                          GROUP BY article_id) lead ON lead.article_id = s.id
              LEFT JOIN archive_staging_photos p ON p.id = lead.id
            """
        )
        # Each link carries its article's columns of the publication rule, as the
        # triggers (disabled during the load) would have copied them.
        copied = publication.COPIED_COLUMNS
        cursor.execute(
            f"INSERT INTO articles_article_tags (article_id, tag_id, {', '.join(copied)}) "
            f"SELECT t.article_id, t.tag_id, {', '.join(f'a.{column}' for column in copied)} "
            "FROM archive_staging_tags t JOIN articles_article a ON a.id = t.article_id"
        )
        photo_columns = "id, article_id, image, width, height, caption, credit, alt_text, renditions, source_digest"
        cursor.execute(f"INSERT INTO articles_photo ({photo_columns}) SELECT {photo_columns} FROM archive_staging_photos")
        new_authors = authors.created(used)
        say(f"Tác giả ({len(new_authors)} mới) và dòng tác giả của mỗi bài…")
        # A few hundred records at most: through the ORM, so that every column gets its default.
        Author.objects.bulk_create(new_authors)
        # Each byline's authors in its order, as the NDJSON import writes them.
        cursor.execute(
            "INSERT INTO articles_authorship (article_id, author_id, position) "
            "SELECT s.id, w.author_id, w.n - 1 "
            "FROM archive_staging s, unnest(s.author_ids) WITH ORDINALITY AS w(author_id, n)"
        )
        cursor.execute(
            "DROP TABLE archive_staging, archive_staging_tags, archive_staging_photos, archive_sentences, archive_vectors"
        )
        cursor.execute("DROP FUNCTION archive_sentences_vector(int[]); DROP AGGREGATE archive_tsvector_agg(tsvector)")
        for table in ("articles_article", "articles_article_tags", "articles_photo"):
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        say("Phiên bản đầu của mỗi bài…")
        cursor.execute("ANALYZE articles_photo")  # so that the planner takes that index
        revisions.record_bulk(cursor, range(first_id, first_id + count))
        say("Dựng lại chỉ mục…")
        for _, definition in dropped:
            cursor.execute(definition)
        for table in ("articles_article", "articles_tag", "articles_photo", "articles_article_tags", "articles_author",
                      "articles_authorship"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
            )
    _archive = None
    with connection.cursor() as cursor:
        say("VACUUM ANALYZE…")
        for table in ("articles_article", "articles_article_tags", "articles_photo", "articles_tag", "articles_author",
                      "articles_authorship"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    say("Từ vựng gợi ý tìm kiếm…")
    search.refresh_terms()
    say("Xong.")
    return count


def export_lines(count, seed=2017):
    """`count` articles as NDJSON lines, the export of another CMS (for import_articles
    --format ndjson and its benchmark). Nothing is written to the database."""
    writer = Writer(seed)
    rng = writer.rng
    tags = [name for name, _ in writer.tag_names(min(20_000, max(200, count // 50)))]
    span = (END - START).total_seconds()
    for number in range(count):
        paragraphs = [writer.words_of(writer.paragraph()) for _ in range(rng.randint(5, 15))]
        yield json.dumps({
            "id": f"cms-{seed}-{number}", "title": writer.title(), "sapo": writer.words_of(writer.paragraph()),
            "body": paragraphs, "category": rng.choice(CATEGORIES),
            "tags": sorted({tags[int(len(tags) * rng.random() ** 3)] for _ in range(rng.randint(1, 5))}),
            "published_at": (START + timedelta(seconds=rng.random() * span)).isoformat(),
            "author": rng.choice(writer.people).upper(), "source": "ANTD.VN",
        }, ensure_ascii=False) + "\n"


def photo_pool(size=6):
    """A handful of real image files, with their renditions, shared by the archive's photos."""
    article = Article.objects.filter(external_id="synthetic-photo-pool").first()
    if article is None:
        article = Article.objects.create(
            external_id="synthetic-photo-pool", title="Kho ảnh mẫu", lead="Ảnh dùng chung cho kho bài tổng hợp.",
            body="<p>Ảnh minh họa.</p>", status=Article.Status.DRAFT,
        )
    photos = list(article.photos.all())
    while len(photos) < size:
        photo = Photo(article=article, caption="Ảnh minh họa", credit="Ảnh minh họa")
        photo.image = ContentFile(illustration(len(photos)), name=f"kho-anh-{len(photos) + 1}.jpg")
        photo.save()
        photo.refresh_renditions()
        photos.append(photo)
    return [(p.image.name, p.width, p.height, json.dumps(p.renditions)) for p in photos]
