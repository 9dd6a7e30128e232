"""The plain values pages are made of: what read functions return, what the cache
keeps and what templates get. No model instances here: a value holds only text,
numbers, dates and other values, so it pickles small and never queries."""
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from . import publication
from .paths import archive_path


@dataclass(frozen=True)
class Link:
    name: str
    url: str
    slug: str = ""


@dataclass(frozen=True)
class Section:
    """A category or a tag, as its listing page shows it."""

    id: int
    name: str
    slug: str
    url: str
    description: str = ""

    @classmethod
    def of(cls, record):
        """A Category or a Tag (which has no description)."""
        return cls(record.pk, record.name, record.slug, record.get_absolute_url(), getattr(record, "description", ""))


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
    srcsets: dict = field(default_factory=dict)  # format -> "url 320w, url 640w, …"

    @classmethod
    def of(cls, photo):
        if not photo.image:
            return cls("", None, None, photo.alt, photo.caption, photo.credit, "")
        srcsets = {fmt: photo.srcset(fmt) for fmt in ("avif", "webp", "jpeg")}
        return cls(
            photo.image.url, photo.width, photo.height, photo.alt, photo.caption, photo.credit,
            photo.url_for_width(640), {fmt: value for fmt, value in srcsets.items() if value},
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
    def of(cls, article):
        photo = article.lead_photo
        return cls(
            article.pk, article.get_absolute_url(), article.title, article.lead, article.published_at,
            _category_link(article), Picture.of(photo) if photo else None,
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

    @classmethod
    def of(cls, article):
        """article: with its category and photos fetched."""
        photo = article.lead_photo
        return cls(
            article.pk, article.get_absolute_url(), article.title, article.lead, article.status,
            article.published_at, article.updated_at, article.author, article.source, _category_link(article),
            Picture.of(photo) if photo else None,
        )

    @property
    def is_public(self):
        return publication.is_public(self)

    @property
    def local_date(self):
        return timezone.localtime(self.published_at).date() if self.published_at else None

    @property
    def day_url(self):
        return archive_path(timezone.localtime(self.published_at).date()) if self.published_at else ""


@dataclass(frozen=True)
class Block:
    """A piece of an article body in reading order: sanitised HTML, or a figure."""

    kind: str  # "html" or "figure"
    html: str = ""
    picture: Picture | None = None
    first_figure: bool = False


@dataclass(frozen=True)
class Body:
    """What the story shows below its sapo: the blocks and its tags."""

    blocks: tuple
    tags: tuple  # Links
    tag_ids: tuple
    text: str = ""  # the words alone (JSON-LD articleBody)


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


def _category_link(article):
    category = article.category
    return Link(category.name, category.get_absolute_url(), category.slug) if category else None
