"""What every record with one uploaded picture shares (an article's Photo, an
author's portrait), written once: the upload stored from its decoded pixels,
never the bytes sent; the stored file remembered, so that a save that fails
removes it (photos/uploads.py); its renditions made after the commit
(signals.py) and read back as URLs."""
from contextlib import nullcontext

from ..photos import addresses, images, uploads


class Pictured:
    """A mixin for a model whose picture is the PhotoField named picture_field
    (with width_field and height_field) and whose renditions are the JSONField
    named renditions_field. Its save() calls store_picture() before saving."""

    picture_field = "image"
    renditions_field = "renditions"
    rendition_steps = images.WIDTHS
    # Whether a replaced or deleted picture's original file stays: an article's
    # photo keeps it while a revision names it; nothing else does.
    keeps_originals = False

    @property
    def picture_file(self):
        return getattr(self, self.picture_field)

    @property
    def picture_renditions(self):
        return getattr(self, self.renditions_field)

    @property
    def picture_size(self):
        field = self._meta.get_field(self.picture_field)
        return getattr(self, field.width_field), getattr(self, field.height_field)

    def store_picture(self):
        """Before the row is saved: an upload not yet stored is written again from
        its decoded pixels (photos.images.sanitized_upload), named for the format
        it really is. Returns the SHA-256 of the bytes as sent, or None when
        nothing new was stored. A new or cleared file drops the old renditions
        (signals.py deletes their files after the commit)."""
        file = self.picture_file
        if file and not file._committed:
            stem = file.name.rsplit(".", 1)[0]
            sent = images.digest(file.file)
            clean_file = images.sanitized_upload(file.file, stem)
            file.save(clean_file.name, clean_file, save=False)
            uploads.remember(file)
            setattr(self, self.renditions_field, {})
            return sent
        if not file:
            setattr(self, self.renditions_field, {})
        return None

    def refresh_renditions(self):
        """Make this picture's renditions and drop the previous ones (after commit only)."""
        file = self.picture_file
        old = images.rendition_names(self.picture_renditions)
        made = {}
        if file:
            with file.open("rb") as handle:
                made = images.make_renditions(handle.read(), owner=file.name, steps=self.rendition_steps)
        setattr(self, self.renditions_field, made)
        # A save, not an update(): its signal tells the cache that pages show a new srcset.
        with self.saving_renditions():
            self.save(update_fields=[self.renditions_field])
        for name in set(old) - set(images.rendition_names(made)):
            file.storage.delete(name)

    def saving_renditions(self):
        """What the save of its renditions, alone after the commit, is made within."""
        return nullcontext()

    def rendition_urls(self):
        """{format: [(width, URL), …]} of its renditions, narrowest first."""
        return addresses.rendition_urls(self.picture_file.storage, self.picture_renditions)

    def url_for_width(self, width, fmt="jpeg"):
        """The smallest rendition at least this wide (else the largest), or the original.
        (Pages' srcsets are values.Picture's.)"""
        return addresses.for_width(self.rendition_urls(), width, fmt) or self.picture_file.url
