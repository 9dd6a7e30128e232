"""Where uploaded files go: ASCII names in date-sharded folders."""
import os
import uuid

from django.utils import timezone

from .text import slugify


def photo_upload_to(instance, filename):
    stem, ext = os.path.splitext(os.path.basename(filename))
    name = slugify(stem, max_length=60) or "anh"
    ext = slugify(ext, max_length=5) or "jpg"
    return timezone.localdate().strftime(f"photos/%Y/%m/%d/{name}-{uuid.uuid4().hex[:8]}.{ext}")
