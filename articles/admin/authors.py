"""Authors ("Tác giả"): the list, the search the article form's autocomplete
asks, the byline inline of the article form, and merging two records of one person."""
from django.contrib import admin, messages
from django.db.models import Count

from .. import authors
from ..models import Article, Author, Authorship


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]
    fields = ["name", "slug", "bio"]
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("authorships")).order_by("name")

    @admin.display(description="số bài", ordering="article_count")
    def article_count(self, author):
        return author.article_count

    @admin.action(description="Gộp các tác giả đã chọn thành một", permissions=["delete"])
    def merge(self, request, queryset):
        # The oldest record stays: its address is the one search engines know longest.
        chosen = sorted(queryset, key=lambda author: author.pk)
        if len(chosen) < 2:
            self.message_user(request, "Hãy chọn ít nhất hai tác giả để gộp.", messages.WARNING)
            return
        keep, others = chosen[0], chosen[1:]
        names = ", ".join(f"“{other.name}”" for other in others)
        moved = authors.merge(keep, others)
        self.message_user(
            request, f"Đã gộp {names} vào “{keep.name}”: {moved} bài viết nay ghi tác giả “{keep.name}”.",
            messages.SUCCESS,
        )


class AuthorshipInline(admin.TabularInline):
    """The article's authors in byline order: who may change the article may name them."""

    model = Authorship
    extra = 1
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    verbose_name = "tác giả"
    verbose_name_plural = "Tác giả (theo thứ tự trên dòng tác giả)"

    def _article_admin(self):
        return self.admin_site._registry[Article]

    def has_view_permission(self, request, obj=None):
        return self._article_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._article_admin().has_change_permission(request, obj) if obj else \
            self._article_admin().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)
