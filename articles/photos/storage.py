"""Where photo files live: the local disk, as Django's FileSystemStorage keeps it.

One difference: url() joins MEDIA_URL and the name as strings. Django's urljoin
costs about 10 µs a call, and a cold page asks it for every width of every
photo on it (a hundred times or more). The names are the storage's own,
which never hold ".." or a scheme, and MEDIA_URL ends with "/" (Django checks),
so the plain join gives the same address. An S3-compatible storage replaces
this class in STORAGES whole.
"""
import re

from django.core.files.storage import FileSystemStorage
from django.utils.encoding import filepath_to_uri

# What filepath_to_uri leaves as it is: a name made only of these needs no quoting
# (renditions' names always are; checking costs a tenth of quoting).
_AS_IS = re.compile(r"[A-Za-z0-9_.\-~!*()'/]*")


class MediaStorage(FileSystemStorage):
    def url(self, name):
        if self.base_url is None:
            return super().url(name)  # Django's own error
        path = name if _AS_IS.fullmatch(name) else filepath_to_uri(name)
        return self.base_url + path.lstrip("/")
