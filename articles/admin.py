from django.contrib import admin, messages
from django.utils.html import format_html

from . import search
from .editing import EditTokenForm
from .models import Article, Category, Photo, Tag
from .photos import uploads

PUBLISH_PERMISSION = "articles.publish_article"


def thumbnail(photo, width):
    if not photo or not photo.image:
        return "—"
    return format_html('<img src="{}" alt="" width="{}" style="height:auto">', photo.url_for_width(width), width)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]


class PhotoInline(admin.StackedInline):
    model = Photo
    extra = 1
    fields = [("image", "preview"), "caption", ("credit", "alt_text"), "position"]
    readonly_fields = ["preview"]

    @admin.display(description="xem trước")
    def preview(self, photo):
        return thumbnail(photo, 160)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["list_thumbnail", "title", "status", "category", "published_at"]
    list_display_links = ["title"]
    list_filter = ["status", "category", "tags"]
    list_select_related = ["category"]
    date_hierarchy = "published_at"
    search_fields = ["title"]  # the box is shown; get_search_results does the work
    search_help_text = "Tìm như độc giả: không dấu vẫn được, “cụm từ”, -loại trừ, OR."
    autocomplete_fields = ["category", "tags"]
    form = EditTokenForm  # refuses to save over a colleague's newer version
    inlines = [PhotoInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lead", "body", "edit_token"]}),
        ("Xuất bản", {"fields": ["status", "published_at", "category", "tags", "author", "source"]}),
        ("Lịch sử", {"fields": ["created_at", "created_by", "updated_at", "updated_by"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("photos")

    def changeform_view(self, *args, **kwargs):
        # The admin saves the article and its photos in one transaction; files
        # written before a failure inside it must go with the rollback.
        with uploads.files_removed_on_failure():
            return super().changeform_view(*args, **kwargs)

    @admin.display(description="ảnh")
    def list_thumbnail(self, article):
        photos = [p for p in article.photos.all() if p.image]
        return thumbnail(photos[0] if photos else None, 80)

    def get_search_results(self, request, queryset, search_term):
        # The same engine as the public search, drafts included.
        query = search.clean_query(search_term)
        if not query:
            return queryset, False
        return search.articles_matching(query, queryset), False

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def has_change_permission(self, request, obj=None):
        # Reporters edit drafts; once an article is out, only editors touch it.
        if obj is not None and obj.status == Article.Status.PUBLISHED and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields.append("status")
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Xuất bản các bài đã chọn", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED, "Đã xuất bản {n} bài.")

    @admin.action(description="Gỡ xuất bản (chuyển về bản nháp)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT, "Đã gỡ {n} bài về bản nháp.")

    def _set_status(self, request, queryset, status, message):
        # save() rather than update(): publishing fills in the time and checks the slug.
        changed = 0
        for article in queryset.exclude(status=status):
            article.status = status
            article.updated_by = request.user
            article.save()
            changed += 1
        self.message_user(request, message.format(n=changed), messages.SUCCESS)
