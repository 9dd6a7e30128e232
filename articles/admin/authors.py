"""Authors ("Tác giả"): the list, the form with the author's photo, the search the
article form's autocomplete asks, the byline inline of the article form, and
merging several records of one person after a confirmation page."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from .. import authors
from ..models import Article, Author, Authorship
from .shared import RemovesUploadsOnFailure

# More is a slip of "select all", not one person under many spellings.
MAX_MERGED = 20
TOO_FEW = "Hãy chọn ít nhất hai tác giả để gộp."
TOO_MANY = f"Mỗi lần chỉ gộp được tối đa {MAX_MERGED} tác giả."
PICK_ONE = "Hãy chọn tác giả được giữ lại, một trong các tác giả dưới đây."
GONE = "Tác giả được giữ lại vừa bị xóa hoặc gộp ở nơi khác; hãy chọn lại."


@admin.register(Author)
class AuthorAdmin(RemovesUploadsOnFailure, admin.ModelAdmin):
    list_display = ["name", "list_photo", "slug", "article_count"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]
    fields = ["name", "slug", "bio", "photo"]
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("authorships")).order_by("name")

    @admin.display(description="số bài", ordering="article_count")
    def article_count(self, author):
        return author.article_count

    @admin.display(description="ảnh")
    def list_photo(self, author):
        if not author.photo:
            return "—"
        return format_html('<img src="{}" alt="" width="48" height="48" style="border-radius:50%;object-fit:cover">',
                           author.url_for_width(160))

    def get_urls(self):
        merge = self.admin_site.admin_view(self.merge_view)
        return [path("gop/", merge, name="articles_author_merge"), *super().get_urls()]

    @admin.action(description="Gộp các tác giả đã chọn thành một", permissions=["delete"])
    def merge(self, request, queryset):
        """To the confirmation page, which names the chosen records by their ids."""
        ids = sorted(queryset.values_list("pk", flat=True))
        problem = _count_problem(len(ids))
        if problem:
            self.message_user(request, problem, messages.WARNING)
            return None
        return HttpResponseRedirect(f"{reverse('admin:articles_author_merge')}?ids={','.join(map(str, ids))}")

    def merge_view(self, request):
        """GET: the records, which one stays, how many articles follow. POST (the
        admin's CSRF token): the merge, in one transaction (authors.merge)."""
        return require_http_methods(["GET", "POST"])(self._merge_view)(request)

    def _merge_view(self, request):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        chosen = list(self.get_queryset(request).filter(pk__in=_ids(data.get("ids", ""))).order_by("pk"))
        problem = _count_problem(len(chosen))
        if problem:
            self.message_user(request, problem, messages.WARNING)
            return HttpResponseRedirect(reverse("admin:articles_author_changelist"))
        if request.method == "GET":
            return self._confirmation(request, chosen)
        keep = next((author for author in chosen if str(author.pk) == data.get("keep")), None)
        if keep is None:
            return self._confirmation(request, chosen, error=PICK_ONE)
        others = [author for author in chosen if author is not keep]
        try:
            moved = authors.merge(keep, others)
        except Author.DoesNotExist:
            self.message_user(request, GONE, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_author_changelist"))
        names = ", ".join(f"“{other.name}”" for other in others)
        self.message_user(
            request, f"Đã gộp {names} vào “{keep.name}”: {moved} bài viết nay ghi tác giả “{keep.name}”.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_author_changelist"))

    def _confirmation(self, request, chosen, error=""):
        # The oldest record is offered first: its address is the one search engines know longest.
        keep = request.POST.get("keep") or str(chosen[0].pk)
        options = [
            (author, _articles_following([other for other in chosen if other is not author]), str(author.pk) == keep)
            for author in chosen
        ]
        return TemplateResponse(request, "admin/articles/author/merge_confirmation.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": "Gộp tác giả",
            "options": options, "ids": ",".join(str(author.pk) for author in chosen), "error": error,
        })


def _ids(raw):
    """The ids of "1,5,9"; what is not an id (a bigint) is left out."""
    parts = (part.strip() for part in raw.split(","))
    return [int(part) for part in parts if part.isascii() and part.isdigit() and len(part) <= 18][:MAX_MERGED + 1]


def _count_problem(count):
    if count < 2:
        return TOO_FEW
    if count > MAX_MERGED:
        return TOO_MANY
    return ""


def _articles_following(others):
    """How many articles would name the kept author instead of these."""
    return Authorship.objects.filter(author__in=others).values("article").distinct().count()


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
