"""The plain values pages are made of: what read functions return, what the cache
keeps and what templates get. No model instances here: a value holds only text,
numbers, dates and other values, so it pickles small and never queries."""
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.files.storage import default_storage

from . import publication
from .dates import local
from .paths import archive_path, article_url, author_path, category_path, feed_path
from .photos import addresses, markup
from .richtext import videos


@dataclass(frozen=True)
class Link:
    name: str
    url: str
    slug: str = ""


@dataclass(frozen=True)
class Person(Link):
    """An author as a byline names them: their page, and their photo's address for
    JSON-LD ("" when they have none)."""

    image: str = ""

    @classmethod
    def of_row(cls, row):
        """row: {"name", "slug", "photo"} (queries.author_rows)."""
        photo = row.get("photo")
        return cls(row["name"], author_path(row["slug"]), row["slug"], default_storage.url(photo) if photo else "")


@dataclass(frozen=True)
class Section:
    """A category, a tag, an author or an event thread, as its listing page shows it."""

    id: int
    name: str
    slug: str
    url: str
    description: str = ""
    picture: "Picture | None" = None  # an author's photo, a thread's cover

    @classmethod
    def of(cls, record, picture=None):
        """A Category or a Tag (which has no description), or an Author."""
        return cls(
            record.pk, record.name, record.slug, record.get_absolute_url(), getattr(record, "description", ""), picture,
        )

    @property
    def feed_url(self):
        return feed_path(self.url)

    @classmethod
    def of_row(cls, row, path):
        """A category's or a tag's plain values ({"id", "name", "slug"}, a category's
        "description"); path: its slug's address (paths.py)."""
        return cls(row["id"], row["name"], row["slug"], path(row["slug"]), row.get("description", ""))


@dataclass(frozen=True)
class Picture:
    """A photo as a page shows it: its file, renditions and words."""

    url: str  # the stored original
    width: int | None
    height: int | None
    alt: str
    caption: str
    credit: str
    fallback: str  # the rendition a browser without srcset loads (640 px)
    # format -> "url 320w, url 640w, …", one string each: cards fill the workers'
    # memory, and a (width, URL) pair per rendition made a card 1.5 times the size.
    srcsets: dict = field(default_factory=dict)

    @classmethod
    def of(cls, photo):
        if not photo.image:
            return cls("", None, None, photo.alt, photo.caption, photo.credit, "")
        return cls._of(photo, photo.alt, photo.caption, photo.credit, fallback_width=640)

    @classmethod
    def of_row(cls, row):
        """An article photo with a file, read as a row (models.photo.ROW_FIELDS), as
        of() makes it from the model (whose files are the default storage's): a
        card's lead photo, with no instance built."""
        return cls._stored(
            default_storage, row["image"], row["renditions"], (row["width"], row["height"]),
            markup.alt_of(row["alt_text"], row["caption"]), row["caption"], row["credit"], fallback_width=640,
        )

    @classmethod
    def portrait(cls, author):
        """An author's photo, its alt text their name; None when they have none."""
        if not author.photo:
            return None
        return cls._of(author, author.name, "", "", fallback_width=320)

    @classmethod
    def cover(cls, thread):
        """An event thread's own cover; None when it has none."""
        if not thread.cover:
            return None
        return cls._of(thread, thread.title, "", "", fallback_width=640)

    @classmethod
    def _of(cls, pictured, alt, caption, credit, fallback_width):
        """pictured: a record with a stored picture (models/pictured.py)."""
        file = pictured.picture_file
        return cls._stored(
            file.storage, file.name, pictured.picture_renditions, pictured.picture_size, alt, caption, credit,
            fallback_width,
        )

    @classmethod
    def _stored(cls, storage, name, renditions, size, alt, caption, credit, fallback_width):
        urls = addresses.rendition_urls(storage, renditions)  # made once for the srcsets and the fallback
        original = storage.url(name)
        return cls(
            original, *size, alt, caption, credit, addresses.for_width(urls, fallback_width) or original,
            {fmt: markup.srcset(urls[fmt]) for fmt in ("avif", "webp", "jpeg") if urls.get(fmt)},
        )

    @property
    def has_file(self):
        return bool(self.url)


@dataclass(frozen=True)
class Card:
    """An article in a list: home, listings, archives, related, search."""

    id: int
    url: str
    title: str
    lead: str
    published_at: datetime
    category: Link | None
    picture: Picture | None  # the first photo with a file

    @classmethod
    def of(cls, row, picture=None):
        """row: an article's values as queries.card_rows reads them; picture: its lead photo's."""
        return cls(
            row["id"], article_url(row["published_at"], row["slug"], row["id"]), row["title"], row["lead"],
            row["published_at"], _category_link(row["category__name"], row["category__slug"]), picture,
        )


@dataclass(frozen=True)
class Story:
    """An article as its page shows it."""

    id: int
    url: str
    title: str
    lead: str
    status: str
    published_at: datetime | None
    updated_at: datetime
    author: str
    source: str
    category: Link | None
    picture: Picture | None  # the lead photo (metadata, JSON-LD)
    modified_at: datetime | None = None  # a substantive update or a correction, not any save
    expires_at: datetime | None = None  # "Gỡ lúc"
    authors: tuple = ()  # Persons (Links to the authors' pages, with their photos), in byline order

    @classmethod
    def of(cls, row, picture=None):
        """row: an article's values as queries.STORY_FIELDS names them, its authors
        as author_rows ([{"name", "slug", "photo"}, …], queries.author_rows);
        picture: its lead photo's."""
        return cls(
            row["id"], article_url(row["published_at"], row["slug"], row["id"]), row["title"], row["lead"],
            row["status"], row["published_at"], row["updated_at"], row["author"], row["source"],
            _category_link(row["category__name"], row["category__slug"]), picture, row["modified_at"],
            row["expires_at"], tuple(Person.of_row(author) for author in row["author_rows"] or ()),
        )

    @property
    def is_public(self):
        return publication.is_public(self)

    @property
    def has_expired(self):
        return publication.has_expired(self)

    @property
    def date_modified(self):
        """What readers and search engines are told changed last (dateModified, lastmod):
        a typo fix moves updated_at, not this."""
        return self.modified_at or self.published_at

    @property
    def local_date(self):
        return local(self.published_at).date() if self.published_at else None

    @property
    def day_url(self):
        return archive_path(self.local_date) if self.published_at else ""


@dataclass(frozen=True)
class VideoCard:
    """A video link of the body as its card shows it: words and our own copy of the
    thumbnail, nothing from the video's host but the address the reader may follow."""

    url: str  # canonical (richtext/videos.py)
    title: str
    thumbnail_url: str  # our stored copy, or "" (not fetched, failed, or none given)
    host: str  # "YouTube" or "Facebook"
    width: int | None = None
    height: int | None = None

    @classmethod
    def of(cls, url, video=None):
        """video: its Video row, or None when nothing is known of it yet."""
        host = videos.HOST_LABELS.get(videos.host_of(url), "")
        title = (video.title if video else "") or f"Video trên {host}"
        if video is None or not video.thumbnail:
            return cls(url, title, "", host)
        return cls(url, title, video.thumbnail.url, host, video.thumbnail_width, video.thumbnail_height)


@dataclass(frozen=True)
class Block:
    """A piece of an article body in reading order: sanitised HTML, a figure or a video."""

    kind: str  # "html", "figure" or "video"
    html: str = ""
    picture: Picture | None = None
    first_figure: bool = False
    video: VideoCard | None = None


@dataclass(frozen=True)
class Body:
    """What the story shows below its sapo: the blocks and its tags, and around it
    the public articles before and after it and those sharing a tag with it."""

    blocks: tuple
    tags: tuple  # Links
    text: str = ""  # the words alone (JSON-LD articleBody)
    corrections: tuple = ()  # ((id, published_at, text), …), oldest first ("Đính chính")
    threads: tuple = ()  # ((thread Link, (newest other article Links, …)), …) ("Dòng sự kiện")
    neighbours: tuple = (None, None)  # (previous, next) article Links, None at the ends
    related: tuple = ()  # "Tin liên quan": Cards, newest first

    @property
    def last_corrected(self):
        return self.corrections[-1][1] if self.corrections else None


@dataclass(frozen=True)
class CorrectionCard:
    """A correction in the list of /dinh-chinh/ and its feed: its article's title
    and address, its date and its words."""

    id: int
    published_at: datetime
    text: str
    article: Link

    @property
    def url(self):
        return f"{self.article.url}#dinh-chinh-{self.id}"


@dataclass(frozen=True)
class Page:
    """One page of a listing. Nothing is counted: a page knows there is a next one
    by asking for one row more."""

    number: int
    items: tuple
    has_next: bool
    per_page: int

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous

    @property
    def start_index(self):
        return (self.number - 1) * self.per_page + 1 if self.items else 0


@dataclass(frozen=True)
class Period:
    """A year, month or day of the archive: its first day and its level."""

    kind: str  # "year", "month" or "day"
    start: date

    @property
    def url(self):
        return archive_path(self.start, self.kind)


def _category_link(name, slug):
    """A card's or a story's category (None: it has none)."""
    return Link(name, category_path(slug), slug) if slug else None


@dataclass(frozen=True)
class MostRead:
    """"Đọc nhiều": links to the most-read public articles of each window."""

    day: tuple  # of Link, the last 24 hours
    week: tuple  # of Link, the last 7 days

    def __bool__(self):
        return bool(self.week)


@dataclass(frozen=True)
class ThreadCard:
    """An event thread featured on the front page: its words, its cover and the
    links to its newest public articles."""

    title: str
    url: str
    introduction: str
    picture: Picture | None  # its own cover, else its newest article's photo
    articles: tuple  # Links, newest first


@dataclass(frozen=True)
class FrontPage:
    """The home page's first page, arranged (articles/frontpage.py)."""

    lead: Card | None
    secondary: tuple  # Cards, each with a photo
    latest: tuple  # Cards: the rest of the newest, in order
    threads: tuple  # ThreadCards
    blocks: tuple  # ((category Link, (Cards, the first with a photo when one has)), …)
    page: Page  # the newest articles as page 1, for the pager to page 2
