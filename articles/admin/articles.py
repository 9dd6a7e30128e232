"""Articles and their photos in the admin: the form with its edit token, publish
and unpublish, search as readers do, history, the trash and the live notices."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import authors, search
from ..models import Article, Correction, EditorialNote, Photo
from ..newsroom import desk as newsroom_desk
from ..newsroom import revisions
from ..newsroom.editing import EditTokenForm
from ..photos import uploads
from ..richtext import layout, plain, sanitize, videos
from . import desk, editor, history, live
from .authors import AuthorshipInline
from .trash import DeleteIntoTrash, delete_selected

PUBLISH_PERMISSION = "articles.publish_article"


def thumbnail(photo, width):
    if not photo or not photo.image:
        return "—"
    return format_html('<img src="{}" alt="" width="{}" style="height:auto">', photo.url_for_width(width), width)


class ArticleForm(EditTokenForm):
    """The article's form: the edit token, the body's allow-list and the desk's moves."""

    content_updated = forms.BooleanField(
        label="Cập nhật nội dung", required=False,
        help_text="Đánh dấu khi sửa nội dung đáng kể: bài hiện “Cập nhật lúc …”. Sửa lỗi chính tả thì để trống.",
    )
    desk_note = forms.CharField(label="Lý do trả lại", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    desk_user = None  # set per request by ArticleAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        published_at, expires_at = cleaned.get("published_at"), cleaned.get("expires_at")
        if expires_at and published_at and expires_at <= published_at:
            self.add_error("expires_at", "Thời điểm gỡ bài phải sau thời điểm xuất bản.")
        move = desk.move_asked(self.data)
        for field, message in desk.check_move(move, self.desk_user, self.instance, cleaned.get("desk_note")).items():
            self.add_error(field, message)
        return cleaned

    def clean_body(self):
        """The body reduced to the allow-list here, so that the editor hears what went;
        a placeholder may name only this article's own photos."""
        own = set(self.instance.photos.values_list("pk", flat=True)) if self.instance.pk else set()
        cleaned = sanitize.clean(self.cleaned_data["body"], photos=own)
        placed = layout.placed_ids(cleaned.html) or videos.placed(cleaned.html)
        if not plain.to_text(cleaned.html) and not placed:
            raise ValidationError("Nội dung bài đang trống.")
        self.body_dropped = cleaned.dropped
        return cleaned.html


class PhotoInline(admin.StackedInline):
    model = Photo
    extra = 1
    fields = [("image", "preview"), "caption", ("credit", "alt_text")]
    readonly_fields = ["preview"]

    @admin.display(description="xem trước")
    def preview(self, photo):
        return thumbnail(photo, 160)


@admin.register(Article)
class ArticleAdmin(DeleteIntoTrash, admin.ModelAdmin):
    list_display = ["list_thumbnail", "title", "desk_state", "category", "published_at"]
    list_display_links = ["title"]
    list_filter = ["status", "category", "tags"]
    list_select_related = ["category"]
    date_hierarchy = "published_at"
    search_fields = ["title"]  # the box is shown; get_search_results does the work
    search_help_text = "Tìm như độc giả: không dấu vẫn được, “cụm từ”, -loại trừ, OR."
    autocomplete_fields = ["category", "tags"]
    form = ArticleForm  # refuses to save over a colleague's newer version
    inlines = [AuthorshipInline, PhotoInline, desk.CorrectionInline, desk.EditorialNoteInline]
    actions = ["publish", "unpublish", delete_selected]  # deleting moves to the trash
    fieldsets = [
        (None, {"fields": ["title", "slug", "lead", "body", "edit_token"]}),
        ("Xuất bản", {"fields": ["status", "published_at", "expires_at", "content_updated", "category", "tags",
                                 "source"]}),
        ("Lịch sử", {"fields": ["created_at", "created_by", "updated_at", "updated_by"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by"]

    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    delete_confirmation_template = "admin/articles/article/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/articles/article/delete_selected_confirmation.html"

    class Media:
        css = {"all": ["articles/admin/newsroom.css"]}
        js = ["articles/admin/newsroom.js"]

    def get_queryset(self, request):
        return newsroom_desk.with_last_move(super().get_queryset(request).outside_trash().prefetch_related("photos"))

    def get_fieldsets(self, request, obj=None):
        # Who may only read the article reads its body as readers do, not as markup.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [(name, {**options, "fields": ["body_shown" if field == "body" else field for field in options["fields"]]})
                for name, options in fieldsets]

    @admin.display(description="nội dung")
    def body_shown(self, article):
        return mark_safe(sanitize.safe(article.body))  # placed photos show as empty figures

    def get_urls(self):
        return [*editor.urls(self), *desk.urls(self), *history.urls(self), *live.urls(self), *super().get_urls()]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The body's editor lists this article's saved photos, to place them in the text.
        body = editor.BodyEditor(
            photos=editor.photo_choices(obj),
            link_search_url=reverse(f"{self.admin_site.name}:{editor.LINK_SEARCH_URL_NAME}"),
        )
        kwargs["widgets"] = {**kwargs.get("widgets", {}), "body": body}
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"desk_user": request.user})

    def changeform_view(self, request, *args, **kwargs):
        # The admin saves the article and its photos in one transaction; files
        # written before a failure inside it must go with the rollback, and the
        # revision it makes names the editor.
        with uploads.files_removed_on_failure(), revisions.attributed(request.user, revisions.Kind.EDIT):
            return super().changeform_view(request, *args, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(live.context(request, obj), **desk.form_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        return history.history_view(self, request, object_id)

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
        # Reporters edit drafts; once an article is sent for review or out, only editors touch it.
        if obj is not None and not newsroom_desk.may_change(request.user, obj.status):
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description="trạng thái", ordering="status")
    def desk_state(self, article):
        """"Chờ duyệt", or a returned draft with the editor's reason, in the reporter's list."""
        if article.status == Article.Status.DRAFT and article.last_move == "return":
            return format_html("{}<br><strong>Bị trả lại:</strong> {}", article.get_status_display(), article.last_note)
        return article.get_status_display()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields.append("status")
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        if form.cleaned_data.get("content_updated"):
            obj.modified_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model in (Correction, EditorialNote):
            desk.save_inline(request, formset, form.instance)
        else:
            super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        authors.refresh_bylines([form.instance.pk])  # the byline text follows the inline
        live.saved(request, form.instance)  # the editor's autosaved copy is now the article
        self._body_notices(request, form)
        move = desk.move_asked(request.POST)
        if move:
            desk.perform(request, form.instance, move, form.cleaned_data.get("desk_note"))

    def _body_notices(self, request, form):
        for what in getattr(form, "body_dropped", ()):
            self.message_user(request, f"Nội dung đã được làm sạch: đã bỏ {what}.", messages.WARNING)
        unplaced = layout.unplaced(form.instance.body, form.instance.photos.all())
        if unplaced:
            names = ", ".join(f"“{photo}”" for photo in unplaced)
            self.message_user(
                request, f"Ảnh chưa đặt vào nội dung: {names}. Độc giả thấy ảnh này sau nội dung bài.", messages.INFO,
            )

    @admin.action(description="Xuất bản các bài đã chọn", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED, revisions.Kind.PUBLISH, "Đã xuất bản {n} bài.")

    @admin.action(description="Gỡ xuất bản (chuyển về bản nháp)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT, revisions.Kind.UNPUBLISH, "Đã gỡ {n} bài về bản nháp.")

    def _set_status(self, request, queryset, status, kind, message):
        # save() rather than update(): publishing fills in the time and checks the
        # slug. The rows are locked as a form's save locks them (editing.py), and
        # the new version refuses a form opened before it.
        with revisions.attributed(request.user, kind):
            articles = list(queryset.exclude(status=status).select_for_update(of=("self",)))
            for article in articles:
                article.status = status
                article.updated_by = request.user
                article.save()
        self.message_user(request, message.format(n=len(articles)), messages.SUCCESS)
