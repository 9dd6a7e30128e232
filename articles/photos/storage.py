"""Where photo files live: the local disk, as Django's FileSystemStorage keeps it.

One difference: url() joins MEDIA_URL and the name as strings. Django's urljoin
costs about 10 µs a call, and a cold page asks it for every width of every
photo on it (a hundred times or more). The names are the storage's own,
which never hold ".." or a scheme, and MEDIA_URL ends with "/" (Django checks),
so the plain join gives the same address. An S3-compatible storage replaces
this class in STORAGES whole.
"""
from django.core.files.storage import FileSystemStorage
from django.utils.encoding import filepath_to_uri


class MediaStorage(FileSystemStorage):
    def url(self, name):
        if self.base_url is None:
            return super().url(name)  # Django's own error
        return self.base_url + filepath_to_uri(name).lstrip("/")
