"""The trash ("Thùng rác"): deleted articles, restorable until purged, and the
article screen's delete, which moves there (DeleteIntoTrash).

Whoever may delete an article (editors: articles.delete_article) may see the
trash and restore from it. Nothing is edited or deleted here: an article is
read as it was, and purging is the purge_trash command's."""
from django.contrib import admin, messages
from django.contrib.admin import actions
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from .. import dates, text
from ..models import TrashedArticle
from ..newsroom import trash
from .shared import ReadOnly

DELETE_PERMISSION = "articles.delete_article"


@admin.register(TrashedArticle)
class TrashAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "trashed_at", "trashed_by", "days_left"]
    list_select_related = ["deleted_by"]
    search_fields = ["title"]
    ordering = ["-deleted_at", "-id"]
    actions = ["restore"]
    view_on_site = False  # its address answers 410 until it is restored
    fields = [
        "title", "lead", "body", "status", "published_at", "category", "tags", "author", "source",
        "photo_count", "trashed_at", "trashed_by", "days_left",
    ]
    readonly_fields = ["photo_count", "trashed_at", "trashed_by", "days_left"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(deleted_at__isnull=False)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # purging is the command's, after TRASH_DAYS
        return actions

    def has_view_permission(self, request, obj=None):
        return self.has_restore_permission(request) or super().has_view_permission(request, obj)

    def has_restore_permission(self, request):
        return request.user.has_perm(DELETE_PERMISSION)

    @admin.action(description="Khôi phục các bài đã chọn", permissions=["restore"])
    def restore(self, request, queryset):
        restored = trash.restore_from_trash(queryset, request.user)
        self.message_user(request, f"Đã khôi phục {len(restored)} bài.", messages.SUCCESS)

    @admin.display(description="chuyển vào thùng rác lúc", ordering="deleted_at")
    def trashed_at(self, article):
        return dates.newsroom_stamp(article.deleted_at)

    @admin.display(description="người xóa")
    def trashed_by(self, article):
        return text.person_name(article.deleted_by, nobody="—")

    @admin.display(description="còn lại trước khi xóa hẳn")
    def days_left(self, article):
        return f"{trash.days_left(article)} ngày"

    @admin.display(description="ảnh")
    def photo_count(self, article):
        return f"{article.photos.count()} ảnh, khôi phục cùng bài"


@admin.action(permissions=["delete"], description="Xóa các bài viết đã chọn")
def delete_selected(model_admin, request, queryset):
    """Django's bulk delete, whose confirmation it keeps, saying where the articles
    went rather than "deleted" (its own message)."""
    if not request.POST.get("post"):
        return actions.delete_selected(model_admin, request, queryset)
    moved = trash.move_to_trash(queryset, request.user)
    model_admin.message_user(request, trash.trashed_message(f"{len(moved)} bài"), messages.SUCCESS)
    return None


class DeleteIntoTrash:
    """For the article screen: deleting, one or several, moves to the trash."""

    def delete_model(self, request, obj):
        trash.move_to_trash([obj], request.user)

    def delete_queryset(self, request, queryset):
        trash.move_to_trash(queryset, request.user)

    def get_deleted_objects(self, objs, request):
        """What ModelAdmin.get_deleted_objects returns, for a delete that only trashes:
        (the articles, their count by name, permissions lacking, protected objects).
        Nothing related is deleted, so only the article's own permission counts."""
        objs = list(objs)
        opts = self.model._meta
        listed = [self._linked(article) for article in objs]
        perms_needed = set() if self.has_delete_permission(request) else {opts.verbose_name}
        return listed, {opts.verbose_name_plural: len(objs)}, perms_needed, []

    def _linked(self, article):
        url = reverse(f"{self.admin_site.name}:articles_article_change", args=[article.pk])
        return format_html('Bài viết: <a href="{}">{}</a>', url, article.title)

    def response_delete(self, request, obj_display, obj_id):
        """Back to the list of articles, saying where the article went."""
        self.message_user(request, trash.trashed_message(f"bài “{obj_display}”"), messages.SUCCESS)
        url = reverse(f"{self.admin_site.name}:articles_article_changelist")
        preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": self.model._meta}
        return HttpResponseRedirect(add_preserved_filters(preserved, url))
