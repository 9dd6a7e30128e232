"""Where uploaded files go, and making sure a failed save leaves none behind."""
import contextvars
import os
import uuid
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from ..text import slugify

_written = contextvars.ContextVar("written_files", default=None)


def photo_upload_to(instance, filename):
    """photos/YYYY/MM/DD/<ascii-name>-<random>.<ext>, whatever the name was."""
    stem, ext = os.path.splitext(os.path.basename(filename))
    name = slugify(stem, max_length=60) or "anh"
    ext = slugify(ext, max_length=5) or "jpg"
    return timezone.localdate().strftime(f"photos/%Y/%m/%d/{name}-{uuid.uuid4().hex[:8]}.{ext}")


def remember(field_file):
    """Note a file just written, so that a failure around it can remove it."""
    written = _written.get()
    if written is not None:
        written.append((field_file.storage, field_file.name))


@contextmanager
def files_removed_on_failure():
    """Files written inside are deleted if an exception escapes: the database
    rolled back, so nothing may point to them."""
    written = []
    outer = _written.get()
    token = _written.set(written)
    try:
        yield written
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    else:
        # Nested: the enclosing transaction can still roll these back.
        if outer is not None:
            outer.extend(written)
    finally:
        _written.reset(token)


def delete_after_commit(storage, names):
    """Delete these files once the transaction commits (never if it rolls back)."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _named(folder, filename, fallback):
    """<folder>/<ascii-name>-<random>.<ext>, whatever the name was."""
    stem, ext = os.path.splitext(os.path.basename(filename))
    name = slugify(stem, max_length=60) or fallback
    ext = slugify(ext, max_length=5) or "jpg"
    return f"{folder}/{name}-{uuid.uuid4().hex[:8]}.{ext}"


def portrait_upload_to(instance, filename):
    """An author's photo."""
    return _named("authors", filename, "tac-gia")


def cover_upload_to(instance, filename):
    """An event thread's cover."""
    return _named("threads", filename, "dong-su-kien")


def video_thumbnail_to(instance, filename):
    """A video's thumbnail, as our own file."""
    return _named("videos", filename, "video")
