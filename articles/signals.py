"""Photo files live and die with their rows, but only once the transaction commits:
a rolled-back save must not lose a file that the database still points to."""
from django.db import transaction
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver

from .models import Photo


def _delete_after_commit(storage, name):
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=Photo)
def delete_photo_file(sender, instance, **kwargs):
    _delete_after_commit(instance.image.storage, instance.image.name)


@receiver(pre_save, sender=Photo)
def delete_replaced_file(sender, instance, **kwargs):
    if not instance.pk:
        return
    old = Photo.objects.filter(pk=instance.pk).values_list("image", flat=True).first()
    if old and old != instance.image.name:
        _delete_after_commit(instance.image.storage, old)
