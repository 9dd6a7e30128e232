"""What the newsroom's screens share: the article screen's own pages as admin
views, the article they are about, and screens that only read."""
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.decorators.http import require_POST

from ..photos import uploads


def admin_view(model_admin, function, post_only=False):
    """function(model_admin, request, **kwargs) behind the admin's login and staff
    check, as Django's own admin pages are."""
    def view(request, **kwargs):
        return function(model_admin, request, **kwargs)

    return model_admin.admin_site.admin_view(require_POST(view) if post_only else view)


def article_or_404(model_admin, request, object_id):
    """The article (outside the trash) this user may at least read."""
    article = model_admin.get_object(request, object_id)
    if article is None:
        raise Http404("Không có bài viết này (có thể đã ở trong thùng rác).")
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    return article


class ReadOnly:
    """A screen to read: nothing is added, changed or deleted through it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RemovesUploadsOnFailure:
    """A screen that saves an uploaded picture (an author's photo, a thread's
    cover): the admin saves in one transaction, and a file written before a
    failure inside it goes with the rollback (photos/uploads.py)."""

    def changeform_view(self, request, *args, **kwargs):
        with uploads.files_removed_on_failure():
            return super().changeform_view(request, *args, **kwargs)
