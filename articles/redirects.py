"""A published article that moves (new slug or date) keeps answering at its old
address, through django.contrib.redirects."""
from django.conf import settings
from django.contrib.redirects.models import Redirect


def record_move(old_path, new_path):
    """Make old_path answer 301 to new_path, keeping earlier moves one hop long."""
    site_id = settings.SITE_ID
    Redirect.objects.filter(site_id=site_id, old_path=new_path).delete()
    Redirect.objects.filter(site_id=site_id, new_path=old_path).update(new_path=new_path)
    Redirect.objects.update_or_create(site_id=site_id, old_path=old_path, defaults={"new_path": new_path})
