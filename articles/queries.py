"""What readers' pages read, as plain values (values.py), each kept for the
content version by caching.cached: a view that calls one of these runs its
queries only the first time in a version, and never gets a model instance.
(A category's, tag's or author's section and pages are kept by their view, one
value with the page's HTML: views/listings.section_page.)

Raw SQL is used where the ORM cannot say "the newest few of each": it is built
from publication.public_sql(), the same rule the ORM filters with, and each
statement is a short range of the index named beside it. The statements a
reader's cold page makes (an article at its address, cards by id, a listing's
page) are the ORM's, prepared once per connection, the content version's
moment one of their parameters (prepared.py).
"""
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, router
from django.db.models import BigIntegerField, Count, Exists, Func, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject, TruncMonth
from psycopg2.extensions import AsIs

from . import frontpage, pagination, precompiled, prepared, publication
from .caching import cached, content_version
from .models import (
    HANOI, Article, Author, Authorship, Category, Correction, EventThread, Tag, Tagging, Video, photo_rows,
    photos_from_rows,
)
from .pagination import offset_of, window
from .richtext import layout, plain
from .paths import article_path_at, category_path, tag_path, thread_path
from .values import Body, Card, CorrectionCard, Link, Page, Period, Picture, Section, Story, ThreadCard

PER_PAGE = settings.ANTD["ARTICLES_PER_PAGE"]
# The header's menu: the first eight in its strip, all of them (up to this) behind "Mục lục".
NAV_CATEGORIES = 40
TAG_INDEX_PAGE = 200
AUTHOR_INDEX_PAGE = 200


# Raw SQL ------------------------------------------------------------------

def _rows(sql, params):
    with connections[router.db_for_read(Article)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _ids(sql, params):
    return [row[0] for row in _rows(sql, params)]


def _category_blocks_ids(per_category):
    """The newest public articles of each category, category by category in menu
    order: a LIMIT on article_public_by_category each, never a scan of the archive."""
    public, params = publication.public_sql("a")
    return _ids(f"""
        SELECT newest.id FROM articles_category c
        CROSS JOIN LATERAL (
            SELECT a.id, a.published_at FROM articles_article a
             WHERE a.category_id = c.id AND {public}
             ORDER BY a.published_at DESC, a.id DESC LIMIT %s
        ) newest
        ORDER BY c.position, c.name, c.id, newest.published_at DESC, newest.id DESC
    """, [*params, per_category])


def _publication_days():
    """Every Hanoi day with a public article, newest first: from each day, one step
    down article_public_by_date to the day before it that has one. As many steps
    as days (about 8,000 in twenty years), however many articles each day holds."""
    public, params = publication.public_sql("a")
    return _ids(f"""
        WITH RECURSIVE day(d) AS (
            SELECT (max(a.published_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date FROM articles_article a
             WHERE {public}
            UNION ALL
            SELECT (SELECT (a.published_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date FROM articles_article a
                     WHERE {public} AND a.published_at < (day.d::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
                     ORDER BY a.published_at DESC LIMIT 1)
              FROM day WHERE day.d IS NOT NULL
        )
        SELECT d FROM day WHERE d IS NOT NULL
    """, [*params, *params])


# Rows into values ---------------------------------------------------------

# What a card shows of an article (values.Card.of), read as plain values.
CARD_FIELDS = ("id", "slug", "title", "lead", "published_at", "category__name", "category__slug", "card_photo")


def card_rows(articles, *extra):
    """These articles as the values a card is made of (card_of), and the extra
    annotations named, in one statement: the category joined, the lead photo (the
    only one a card shows) the row's own card_photo, no model instance built."""
    return articles.values(*CARD_FIELDS, *extra)


def card_of(row):
    """The Card of a card_rows row, its photo (Article.card_photo) made a Picture
    with no model instance."""
    lead = row["card_photo"]
    return Card.of(row, Picture.of_row(lead) if lead else None)


def with_ids(ids):
    """These articles, their ids one array parameter: the same statement for any
    number of them, so that it can be prepared."""
    return Article.objects.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (list(ids),)))


def cards_statement(name, **columns):
    """The prepared statement (as the story's) of cards by id, with more columns
    ({name: expression}): read with card_rows_by_id."""
    return prepared.Statement(name, lambda ids: card_rows(with_ids(ids).annotate(**columns), *columns), ids=prepared.IDS)


def card_rows_by_id(statement, ids):
    """The card_rows of these articles (public or not: callers choose ids), in no order."""
    return statement.rows(Article, ids=list(ids))


# Cards by id (the front page, its blocks and threads; "Tin liên quan" reads its own in the story).
_CARDS = cards_statement("cards")


def _cards_by_id(ids):
    """{id: Card} of these articles."""
    return {row["id"]: card_of(row) for row in card_rows_by_id(_CARDS, ids)}


def in_order(found, ids):
    """The values of found ({id: value}) in the order of ids, those it lacks left out."""
    return tuple(found[pk] for pk in ids if pk in found)


# A listing's (ids, tiebreak) by its statement's name: what its anchors are read from.
_LISTED = {}


def _listing(name, ids, tiebreak="pk", **samples):
    """The statement of a listing's pages (prepared.py), in one statement each: its
    cards' rows, their ids a window of ids(**slots) (a values_list of article ids
    read from the listing's index, newest first, ties by `tiebreak`) from a page's
    key (pagination.start) and offset, one more than a page to know there is a next."""
    def rows(offset, until, until_id, **slots):
        window = _from_key(ids(**slots), tiebreak, until, until_id)[offset:offset + PER_PAGE + 1]
        within = Article.objects.filter(pk__in=window)
        return card_rows(within.order_by("-published_at", "-id"))  # every listing is newest first

    _LISTED[name] = ids, tiebreak
    return prepared.Statement(name, rows, offset=prepared.OFFSET, until=prepared.UNTIL, until_id=prepared.UNTIL_ID,
                              **samples)


def _page(listing, number, **slots):
    """Page `number` of a listing (_listing), its slots these values; a deep page
    from its anchor (pagination.start)."""
    slot_pairs = tuple(sorted(slots.items()))
    (until, until_id), skip = pagination.start(
        offset_of(number, PER_PAGE), lambda reach: _anchors(listing.name, slot_pairs, reach))
    rows = listing.rows(Article, offset=skip, until=until, until_id=until_id, **slots)
    return Page(number, tuple(map(card_of, rows[:PER_PAGE])), len(rows) > PER_PAGE, PER_PAGE)


def _from_key(ids, tiebreak, until, until_id):
    """A listing's ids from a key on: published at or before `until`, and at that
    time, of `until_id` or less by its tie-break (pagination.start)."""
    # published_at <= until bounds the index's range; the rest only sorts out ties.
    at_or_before = Q(published_at__lt=until) | Q(published_at=until, **{f"{tiebreak}__lte": until_id})
    return ids.filter(at_or_before, published_at__lte=until)


@cached
def _anchors(name, slot_pairs, reach):
    """A listing's anchors among its first `reach` entries (pagination.py): the
    key of its STRIDE-th entry, then of the STRIDE-th after each anchor, each one
    step along the listing's index from the one before (_ANCHOR_STEPS), in one
    statement that stops at `reach`. Numbering every entry with a row_number()
    window read the same entries in twice the time (a category's 32,584 at 1M:
    13.7 ms, the steps 7.3-8.0; EXPLAIN ANALYZE: 17 against 4.8)."""
    ids, tiebreak = _LISTED[name]
    ids = ids(**dict(slot_pairs))
    keys = ids.order_by("-published_at", f"-{tiebreak}").values_list("published_at", tiebreak)
    first, first_params = _anchor_step(keys, tiebreak, pagination.FIRST, pagination.STRIDE - 1)
    after, after_params = _anchor_step(keys, tiebreak, _ANCHOR_KEY, pagination.STRIDE)
    with connections[ids.db].cursor() as cursor:
        cursor.execute(_ANCHOR_STEPS.format(first=first, after=after),
                       [*first_params, *after_params, reach // pagination.STRIDE])
        return tuple(cursor.fetchall())


# The previous anchor's key, where a step names it (_anchor_step's samples stand for it).
_ANCHOR_KEY = (AsIs("anchor.until"), AsIs("anchor.until_id"))
# The first anchor from the listing's start, each next one from the one before,
# the ORM's own statements (_anchor_step): a recursive query, since each step
# starts where the one before ended.
_ANCHOR_STEPS = """
    WITH RECURSIVE anchor(until, until_id, n) AS (
        SELECT first.*, 1 FROM ({first}) AS first
        UNION ALL
        SELECT after.*, anchor.n + 1 FROM anchor CROSS JOIN LATERAL ({after}) AS after
         WHERE anchor.n < %s
    )
    SELECT until, until_id FROM anchor ORDER BY n
"""


def _anchor_step(keys, tiebreak, key, skipped):
    """(SQL, params) of the key `skipped` entries on from `key` (keys: a listing's
    (published_at, tie-break) newest first): the ORM's statement, the key's two
    values put in where their samples stand, so that they may name columns."""
    query = _from_key(keys, tiebreak, prepared.UNTIL, prepared.UNTIL_ID)[skipped:skipped + 1].query
    sql, params = query.get_compiler(keys.db).as_sql()
    samples = ((prepared.UNTIL, key[0]), (prepared.UNTIL_ID, key[1]))
    return sql, [next((value for sample, value in samples if prepared.stands_for(param, sample)), param)
                 for param in params]


def _at_slug(model, path, *fields):
    """(model, the statement of its section at a slug, its path function) for a
    category or a tag: prepared as a listing's page is, since a cold listing reads both."""
    def at(slug):
        return model.objects.filter(slug=slug).values("id", "name", "slug", *fields)

    statement = prepared.Statement(f"section_{model._meta.model_name}", at, slug=prepared.TEXT)
    return model, statement, path


def _section(at_slug, slug):
    """The Section at this slug, from its row's plain values. Raises the model's DoesNotExist."""
    model, statement, path = at_slug
    rows = statement.rows(model, slug=slug)
    if not rows:
        raise model.DoesNotExist(slug)
    return Section.of_row(rows[0], path)


# Site-wide ----------------------------------------------------------------

@cached
def menu():
    """The categories of every page's header."""
    return tuple(Link(c.name, c.get_absolute_url()) for c in Category.objects.all()[:NAV_CATEGORIES])


@cached
def categories():
    return tuple(Section.of(c) for c in Category.objects.all())


# Listings -----------------------------------------------------------------

_LATEST = _listing("latest", lambda: Article.objects.published().values_list("pk", flat=True))


@cached
def latest(number):
    return _page(_LATEST, number)


@cached
def front_page():
    """The home page's first page: the newest articles, the category blocks and
    the featured threads, their cards read together (frontpage.py arranges them)."""
    newest = window(Article.objects.published().values_list("pk", flat=True), 1, PER_PAGE)
    block_ids = _category_blocks_ids(frontpage.BLOCK_CANDIDATES)
    threads = _featured_threads()
    read = _cards_by_id([*newest[:PER_PAGE], *block_ids, *(i for t in threads for i in t.newest)])
    page = Page(1, in_order(read, newest[:PER_PAGE]), len(newest) > PER_PAGE, PER_PAGE)
    blocks = {}
    for card in in_order(read, block_ids):
        blocks.setdefault(card.category, []).append(card)
    return frontpage.arrange(page, tuple(blocks.items()), _thread_cards(threads, read))


def _featured_threads():
    """The threads an editor features, newest first, each with the ids of its
    newest public articles (`newest`); threads with none are left out."""
    newest = (
        Article.objects.published().filter(threads=OuterRef("pk"))
        .order_by("-published_at", "-id").values("pk")[:frontpage.THREAD_ARTICLES]
    )
    threads = (
        EventThread.objects.filter(featured=True).annotate(newest=ArraySubquery(newest))
        .order_by("-created_at", "-id")[:frontpage.FEATURED_THREADS]
    )
    return [thread for thread in threads if thread.newest]


def _thread_cards(threads, read):
    made = []
    for thread in threads:
        members = in_order(read, thread.newest)
        picture = Picture.cover(thread) or next((card.picture for card in members if card.picture), None)
        made.append(ThreadCard(
            thread.title, thread.get_absolute_url(), thread.introduction, picture,
            tuple(Link(card.title, card.url) for card in members),
        ))
    return tuple(made)


_CATEGORY_AT = _at_slug(Category, category_path, "description")


def category(slug):
    """Raises Category.DoesNotExist. A section and its pages are kept by the view,
    with the page's HTML (views/listings.section_page)."""
    return _section(_CATEGORY_AT, slug)


def _in_category(category_id):
    """The ids of a category's public articles, newest first (article_public_by_category)."""
    return Article.objects.published().filter(category=category_id).values_list("pk", flat=True)


_CATEGORY = _listing("category", _in_category, category_id=prepared.ID)


def category_page(category_id, number):
    return _page(_CATEGORY, number, category_id=category_id)


_TAG_AT = _at_slug(Tag, tag_path)


def tag(slug):
    """Raises Tag.DoesNotExist (kept as category's is)."""
    return _section(_TAG_AT, slug)


def _tagged(tag_id):
    """The ids of a tag's public articles, newest first: the tag's own index
    (tagging_public_by_date), not a join through every article of the tag."""
    return (
        Tagging.objects.published().filter(tag=tag_id)
        .order_by("-published_at", "-article_id").values_list("article_id", flat=True)
    )


_TAG = _listing("tag", _tagged, tiebreak="article_id", tag_id=prepared.ID)


def tag_page(tag_id, number):
    return _page(_TAG, number, tag_id=tag_id)


@cached
def thread(slug):
    """Raises EventThread.DoesNotExist (not kept)."""
    found = EventThread.objects.filter(slug=slug).first()
    if found is None:
        raise EventThread.DoesNotExist(slug)
    return Section(found.pk, found.title, found.slug, found.get_absolute_url(), found.introduction, Picture.cover(found))


_THREAD = _listing("thread", lambda thread_id: _newest_public(threads=thread_id), thread_id=prepared.ID)


@cached
def thread_page(thread_id, number):
    return _page(_THREAD, number, thread_id=thread_id)


def author(slug):
    """The author with their photo (Section.picture). Raises Author.DoesNotExist
    (kept as category's is)."""
    found = Author.objects.filter(slug=slug).first()
    if found is None:
        raise Author.DoesNotExist(slug)
    return Section.of(found, Picture.portrait(found))


# Through the author's links (authorship_by_author), then the public rule on each article.
_AUTHOR = _listing("author", lambda author_id: _newest_public(authorships__author=author_id), author_id=prepared.ID)


def author_page(author_id, number):
    return _page(_AUTHOR, number, author_id=author_id)


def _newest_public(**related):
    """The ids of the public articles so related, newest first."""
    return (
        Article.objects.published().filter(**related)
        .order_by("-published_at", "-id").values_list("pk", flat=True)
    )


@cached
def tag_index(number):
    """Tags with public articles, in Vietnamese order, with their counts: a Page of
    (Link, count)."""
    public = Tagging.objects.published().filter(tag=OuterRef("pk"))
    tags = list(window(Tag.objects.filter(Exists(public)).order_by("name"), number, TAG_INDEX_PAGE))
    shown = tags[:TAG_INDEX_PAGE]
    counts = dict(
        Tagging.objects.published().filter(tag__in=shown).values_list("tag").annotate(n=Count("*")).order_by()
    )
    items = tuple((Link(t.name, t.get_absolute_url()), counts.get(t.pk, 0)) for t in shown)
    return Page(number, items, len(tags) > TAG_INDEX_PAGE, TAG_INDEX_PAGE)


@cached
def author_index(number):
    """Authors with public articles, in Vietnamese order (the name's collation,
    walked along author_by_name; a name is unique, being its slug), with their
    counts: a Page of (Link, count)."""
    public = Authorship.objects.filter(publication.public_q("article__"))
    authors = list(window(
        Author.objects.filter(Exists(public.filter(author=OuterRef("pk")))).order_by("name").only("name", "slug"),
        number, AUTHOR_INDEX_PAGE,
    ))
    shown = authors[:AUTHOR_INDEX_PAGE]
    counts = dict(public.filter(author__in=shown).values_list("author").annotate(n=Count("*")).order_by())
    items = tuple((Link(a.name, a.get_absolute_url(), a.slug), counts.get(a.pk, 0)) for a in shown)
    return Page(number, items, len(authors) > AUTHOR_INDEX_PAGE, AUTHOR_INDEX_PAGE)


# Date archives ------------------------------------------------------------

def period_end(period):
    start = period.start
    if period.kind == "year":
        return start.replace(year=start.year + 1)
    if period.kind == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def _moment(day):
    return datetime.combine(day, time.min, tzinfo=HANOI)


def _in_period(period):
    return _published_between(*_period_bounds(period))


def _period_bounds(period):
    """The moments it starts and ends (the next period's start), in Hanoi."""
    return _moment(period.start), _moment(period_end(period))


def _published_between(start, end):
    return Article.objects.published().filter(published_at__gte=start, published_at__lt=end)


def _period_of(kind, moment):
    day = moment.astimezone(HANOI).date()
    return Period(kind, {"year": day.replace(month=1, day=1), "month": day.replace(day=1), "day": day}[kind])


def _period_ids(start, end):
    """The ids of a period's public articles, newest first (article_public_by_date)."""
    return _published_between(start, end).values_list("pk", flat=True)


_PERIOD = _listing("period", _period_ids, start=prepared.MOMENT, end=prepared.LATER_MOMENT)


def period_page(kind, start, number):
    """Page `number` of a period's public articles (kept by views/archives.period_view)."""
    begin, end = _period_bounds(Period(kind, start))
    return _page(_PERIOD, number, start=begin, end=end)


def _around(start, end):
    """The last public moment before start and the first from end: one statement,
    a step along article_public_by_date each way."""
    public = Article.objects.published()
    before = public.filter(published_at__lt=start).order_by("-published_at").values("published_at")[:1]
    after = public.filter(published_at__gte=end).order_by("published_at").values("published_at")[:1]
    return before.union(after, all=True)


_AROUND = prepared.Statement("around", _around, start=prepared.MOMENT, end=prepared.LATER_MOMENT)


def adjacent_periods(kind, start):
    """(the period before, the period after) that have public articles, or None."""
    begin, end = _period_bounds(Period(kind, start))
    moments = [row["published_at"] for row in _AROUND.rows(Article, start=begin, end=end)]
    before = next((moment for moment in moments if moment < begin), None)
    after = next((moment for moment in moments if moment >= end), None)
    return tuple(_period_of(kind, moment) if moment else None for moment in (before, after))


@cached
def months_of(year):
    """((first day of the month, number of articles), …) of a year's public articles."""
    rows = (
        _in_period(Period("year", date(year, 1, 1))).order_by().annotate(month=TruncMonth("published_at", tzinfo=HANOI))
        .values("month").annotate(count=Count("id")).order_by("month")
    )
    return tuple((row["month"].date() if isinstance(row["month"], datetime) else row["month"], row["count"]) for row in rows)


@cached
def publication_days():
    return tuple(_publication_days())


# An article's page --------------------------------------------------------

def author_rows():
    """An article's authors in byline order, as one JSON array column of its own
    row (values.Story.of): the page stays within its queries."""
    rows = Authorship.objects.filter(article=OuterRef("pk")).order_by("position", "id")
    return ArraySubquery(rows.values(json=JSONObject(name="author__name", slug="author__slug", photo="author__photo")))


def _at_address(articles, slug, start, end):
    """The articles at /day/slug/: that slug, published from start to end, the
    bounds of a Hanoi day (_day_bounds)."""
    return articles.filter(slug=slug, published_at__gte=start, published_at__lt=end)


def _day_bounds(day):
    return _period_bounds(Period("day", day))


def _story_of(rows, asked):
    """The Story of the article of these story rows (_story_rows: one, or none),
    read with its Body in one statement: full_story of its id is kept with it, so
    that its page reads the article once."""
    if not rows:
        raise Article.DoesNotExist(asked)
    told = _told(rows[0])
    full_story.keep((told[0].id,), told)
    return told[0]


# A public article's page, the page readers ask for most, cold, in a statement
# prepared once per connection (prepared.py).
_PUBLIC_AT_ADDRESS = prepared.Statement(
    "story", lambda slug, start, end: _story_rows(_at_address(Article.objects.published(), slug, start, end))[:1],
    slug=prepared.TEXT, start=prepared.MOMENT, end=prepared.LATER_MOMENT,
)


def public_story(day, slug):
    """(Story, Body) of the public article at this address, in one statement (its
    page, views/article.public_page, keeps what it makes of them). Raises
    Article.DoesNotExist."""
    start, end = _day_bounds(day)
    rows = _PUBLIC_AT_ADDRESS.rows(Article, slug=slug, start=start, end=end)
    if not rows:
        raise Article.DoesNotExist(slug)
    return _told(rows[0])


@cached
def taken_down_at(day, slug):
    """When the article at this address was taken down by its "Gỡ lúc" (its address
    answers 410). Raises Article.DoesNotExist when none was (not kept: made-up
    addresses cannot fill the cache)."""
    found = _at_address(Article.objects.outside_trash(), slug, *_day_bounds(day)).only("status", "expires_at").first()
    if found is None or not publication.has_expired(found):
        raise Article.DoesNotExist(slug)
    return found.expires_at


def staff_story(day, slug):
    """Any article at this address, drafts and scheduled ones too (staff only), but
    not one in the trash: its address answers 410 for staff as for readers."""
    return _staff_story_of(_at_address(Article.objects.outside_trash(), slug, *_day_bounds(day)), slug)


def staff_story_by_id(pk):
    return _staff_story_of(Article.objects.outside_trash().filter(pk=pk), pk)


def _staff_story_of(articles, asked):
    """Through the ORM: staff are few, and read what readers do not (drafts)."""
    return _story_of(list(_story_rows(articles, _kept_columns(content_version()))[:1]), asked)


def _corrections_of_article():
    """The article's corrections, oldest first, as one JSON array column of the
    article's own row: the page stays within its queries (tests/test_query_counts.py)."""
    rows = Correction.objects.filter(article=OuterRef("pk")).order_by("published_at", "id")
    return ArraySubquery(rows.values(json=JSONObject(id="id", at="published_at", text="text")))


def _correction_tuples(rows):
    # JSON carries the time as ISO 8601 text.
    return tuple((row["id"], datetime.fromisoformat(row["at"]), row["text"]) for row in rows)


THREAD_OTHERS = 3


def _threads_of_article():
    """The article's event threads, each with its newest other public articles, as
    one JSON array column of the article's own row (the page's queries are counted)."""
    others = (
        Article.objects.published().filter(threads=OuterRef("pk")).exclude(pk=OuterRef(OuterRef("pk")))
        .order_by("-published_at", "-id").values(json=JSONObject(title="title", slug="slug", at="published_at"))
    )[:THREAD_OTHERS]
    threads = EventThread.objects.filter(articles=OuterRef("pk")).order_by("-created_at", "-id")
    return ArraySubquery(threads.values(json=JSONObject(title="title", slug="slug", others=ArraySubquery(others))))


def _thread_tuples(rows):
    return tuple(
        (Link(row["title"], thread_path(row["slug"]), row["slug"]),
         tuple(_article_link(other) for other in row["others"] or ()))
        for row in rows or ()
    )


# What an article's page shows of its own row (values.Story.of, _told), beside its
# JSON columns (_story_columns).
STORY_FIELDS = (
    "id", "slug", "title", "lead", "body", "status", "published_at", "updated_at", "modified_at", "expires_at",
    "author", "source", "category__name", "category__slug",
)


def _story_rows(articles, columns=None):
    """Everything an article's page shows of it, in its own row, as plain values:
    category joined; photos, tags, authors, corrections and threads as JSON
    columns (_story_columns, or those columns compiled already)."""
    return articles.values(*STORY_FIELDS, **(columns or _story_columns()))


def _story_columns():
    return {
        "photo_rows": photo_rows(), "tag_rows": _tags_of_article(), "author_rows": author_rows(),
        "correction_rows": _corrections_of_article(), "thread_rows": _threads_of_article(),
        "previous_row": _neighbour(before=True), "next_row": _neighbour(before=False),
        "related_rows": _related_of_article(),
    }


RELATED = 5


def _tags_of_article():
    """The article's tags by name, as one JSON array column of its row."""
    tags = Tag.objects.filter(articles=OuterRef("pk")).order_by("name", "id")
    return ArraySubquery(tags.values(json=JSONObject(id="id", name="name", slug="slug")))


def _related_of_article():
    """"Tin liên quan": the cards (card_rows' values) of the newest public articles
    sharing a tag with this one, newest first, as one JSON array column of its row:
    a cold article page reads them in its one statement, where a second statement
    and the cache's round trips took a tenth of the page."""
    cards = (
        Article.objects.filter(pk__in=_SharingATag(OuterRef("pk")))
        .order_by("-published_at", "-id").values(json=JSONObject(**{name: name for name in CARD_FIELDS}))
    )
    return ArraySubquery(cards)


class _SharingATag(Func):
    """The ids of the RELATED newest public articles sharing a tag with an article
    (its id, the expression), a subquery for __in. Each tag gives its newest, one
    more than shown (the article itself may be among them), a few steps along its
    own index (tagging_public_by_date, which holds their times: no row is read),
    and only the five kept are read from the article table, where picking them by
    the articles' own times read each tag's six."""

    output_field = BigIntegerField()

    def __init__(self, article_id):
        super().__init__(article_id)
        # The rule's moment is taken when the expression is made, as public_q's is
        # (a prepared statement's sample moment, publication.asked_at).
        self.public = publication.public_sql("n")

    def as_sql(self, compiler, connection):
        article, article_params = compiler.compile(self.source_expressions[0])
        public, params = self.public
        tagging = Tagging._meta.db_table
        return f"""(
            SELECT newest.article_id FROM {tagging} t
            CROSS JOIN LATERAL (
                SELECT n.article_id, n.published_at FROM {tagging} n
                 WHERE n.tag_id = t.tag_id AND {public}
                 ORDER BY n.published_at DESC, n.article_id DESC LIMIT %s
            ) newest
            WHERE t.article_id = {article} AND newest.article_id <> {article}
            GROUP BY newest.article_id
            ORDER BY max(newest.published_at) DESC, newest.article_id DESC LIMIT %s
        )""", (*params, RELATED + 1, *article_params, *article_params, RELATED)


def _neighbour(before):
    """The public article just before (or after) this one in time, as a JSON column
    of its row: one step along article_public_by_date from the article's moment,
    an article of the same moment placed by its id."""
    moment, pk = OuterRef("published_at"), OuterRef("pk")
    if before:
        found = Article.objects.published().filter(published_at__lte=moment).exclude(published_at=moment, pk__gte=pk)
        found = found.order_by("-published_at", "-id")
    else:
        found = Article.objects.published().filter(published_at__gte=moment).exclude(published_at=moment, pk__lte=pk)
        found = found.order_by("published_at", "id")
    return Subquery(found.values(json=JSONObject(title="title", slug="slug", at="published_at"))[:1])


def _told(row):
    """(Story, Body) of an article's row read by _story_rows."""
    photos = photos_from_rows(row["photo_rows"])
    lead = Article.lead_of(photos)
    tags = row["tag_rows"] or ()
    body = Body(
        layout.compose(row["body"], photos, Video.objects.placed_in(row["body"])),
        tuple(Link(t["name"], tag_path(t["slug"])) for t in tags),
        plain.to_text(row["body"]), _correction_tuples(row["correction_rows"]),
        _thread_tuples(row["thread_rows"]), _neighbour_links(row), _related_cards(row["related_rows"]),
    )
    return Story.of(row, Picture.of(lead) if lead else None), body


@lru_cache(maxsize=2)
def _compiled_columns(version):
    return precompiled.columns(Article, _story_columns())


def _kept_columns(version):
    """_story_columns compiled once per content version and process (precompiled.py):
    compiling its JSON subqueries costs Python more than PostgreSQL takes to run
    the query. The moment the threads' public rule was compiled with stands for
    any moment of the version, since a version ends where the public set changes
    (next_change)."""
    return _story_columns() if version is None else _compiled_columns(version)


@cached
def full_story(article_id):
    """(Story, Body): the article with its body, photos where they stand, tags and
    corrections, whatever its status (its page decides who may see it)."""
    rows = _story_rows(Article.objects.filter(pk=article_id), _kept_columns(content_version()))
    return _told(rows.get())


def _related_cards(rows):
    """The Cards of an article's related_rows (JSON carries their times as ISO 8601 text)."""
    return tuple(card_of({**row, "published_at": datetime.fromisoformat(row["published_at"])}) for row in rows or ())


def _neighbour_links(row):
    """(previous, next) public articles as Links (its page shows them when it is public)."""
    return _article_link(row["previous_row"]), _article_link(row["next_row"])


def _article_link(row):
    """A Link to a public article from its JSON row ({"title", "slug", "at"}: the
    neighbours', a thread's others), or None."""
    if row is None:
        return None
    # JSON carries the time as ISO 8601 text.
    return Link(row["title"], article_path_at(datetime.fromisoformat(row["at"]), row["slug"]))


# Corrections ("Đính chính") -------------------------------------------------

# What a CorrectionCard reads: not the article's body.
CORRECTION_CARD = ("published_at", "text", "article__title", "article__slug", "article__published_at")


def public_corrections():
    """Corrections of public articles, newest first (correction_by_time)."""
    return Correction.objects.filter(publication.public_q("article__")).order_by("-published_at", "-id")


@cached
def corrections_page(number):
    """Page `number` of /dinh-chinh/: a Page of CorrectionCards."""
    ids = window(public_corrections().values_list("pk", flat=True), number, PER_PAGE)
    rows = Correction.objects.filter(pk__in=ids[:PER_PAGE]).select_related("article").only(*CORRECTION_CARD)
    found = {c.pk: c for c in rows}
    items = tuple(correction_card(found[pk]) for pk in ids[:PER_PAGE] if pk in found)
    return Page(number, items, len(ids) > PER_PAGE, PER_PAGE)


def correction_card(correction):
    """correction: with its article fetched."""
    article = correction.article
    return CorrectionCard(correction.pk, correction.published_at, correction.text,
                          Link(article.title, article.get_absolute_url()))
