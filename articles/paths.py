"""Addresses of archive periods, articles, sections and authors, written
directly rather than reverse()d: a sitemap file makes thousands of them, and a
page of cards one per card. tests/test_urls.py holds them in step with
articles/urls.py."""
from .dates import local


def archive_path(day, kind="day"):
    """/YYYY/, /YYYY/MM/ or /YYYY/MM/DD/, as articles:year, :month and :day (and
    the prefix of articles:article)."""
    return _ARCHIVE_PATHS[kind](day)


# Written from the day's fields: strftime, three of them a call, was most of a card's address.
_ARCHIVE_PATHS = {
    "year": lambda day: f"/{day.year:04d}/",
    "month": lambda day: f"/{day.year:04d}/{day.month:02d}/",
    "day": lambda day: f"/{day.year:04d}/{day.month:02d}/{day.day:02d}/",
}


def article_path(day, slug):
    return f"{archive_path(day)}{slug}/"


def article_path_at(published_at, slug):
    """article_path of an article published at this moment: its Hanoi day."""
    return article_path(local(published_at).date(), slug)


def article_url(published_at, slug, pk):
    """An article's address: its Hanoi day and slug once it has a publication
    time, its preview (staff only) until then."""
    if published_at is None:
        return preview_path(pk)
    return article_path_at(published_at, slug)


def preview_path(pk):
    """/xem-truoc/<pk>/, as articles:preview."""
    return f"/xem-truoc/{pk}/"


def author_path(slug):
    """/tac-gia/<slug>/, as articles:author."""
    return f"/tac-gia/{slug}/"


def category_path(slug):
    """/chuyen-muc/<slug>/, as articles:category."""
    return f"/chuyen-muc/{slug}/"


def tag_path(slug):
    """/tag/<slug>/, as articles:tag."""
    return f"/tag/{slug}/"


def thread_path(slug):
    """/dong-su-kien/<slug>/, as articles:thread."""
    return f"/dong-su-kien/{slug}/"


def feed_path(section_path):
    """The RSS feed of a category, a tag, an author or a thread at this path
    (…/rss/), as articles:category_feed, :tag_feed, :author_feed and :thread_feed."""
    return f"{section_path}rss/"
