"""What every model of the archive shares: text stored in NFC, names that are
their own identity, and the Hanoi calendar day of a timestamp."""
from django.core.exceptions import ValidationError
from django.db import models

from .. import text

VI_COLLATION = "vi-VN-x-icu"


class HanoiDate(models.Func):
    """The calendar day of a timestamp in Hanoi, the day an article's URL carries.

    Spelled out rather than TruncDate(tzinfo=...) so that migrations can
    serialise the unique constraint that uses it."""

    template = "((%(expressions)s AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)"
    output_field = models.DateField()


class NormalizedModel(models.Model):
    """Stores every text field in NFC, whatever form the browser or file sent."""

    class Meta:
        abstract = True

    def normalize_text(self):
        for field in self._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, text.normalized(value))

    def clean(self):
        self.normalize_text()

    def save(self, *args, **kwargs):
        self.normalize_text()
        super().save(*args, **kwargs)


class SluggedByName(NormalizedModel):
    """A name whose slug is its identity: "Thanh Hoá" and "Thanh Hóa" are one."""

    duplicate_message = "“{name}” trùng với “{other}” đã có."

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.slug = text.slugify(self.name)
        if not self.slug:
            raise ValidationError({"name": "Tên phải có ít nhất một chữ cái hoặc chữ số."})
        other = type(self).objects.filter(slug=self.slug).exclude(pk=self.pk).first()
        if other:
            raise ValidationError({"name": self.duplicate_message.format(name=self.name, other=other.name)})

    def save(self, *args, **kwargs):
        self.normalize_text()
        self.slug = text.slugify(self.slug or self.name)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.name
