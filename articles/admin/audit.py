"""The audit log ("Nhật ký tòa soạn"): who published, unpublished, deleted,
restored or purged what, and when. Read only.

Publishing and unpublishing are written by the database (migration 0010,
articles_record_revision), whatever made them; the trash's entries by
newsroom/trash.py, a revision's restore by newsroom/revisions.py."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .. import dates, text
from ..models import AuditEntry
from .shared import ReadOnly


@admin.register(AuditEntry)
class AuditAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["when", "who", "action", "article_title", "note"]
    list_filter = ["action"]
    list_select_related = ["user", "article"]
    search_fields = ["title"]
    list_per_page = 50
    # The change list's own count of every entry is skipped: the log only grows.
    show_full_result_count = False

    def get_queryset(self, request):
        # Only whether the article is in the trash is read of it, never its text.
        return super().get_queryset(request).defer("article__lead", "article__body", "article__search_vector")

    @admin.display(description="lúc", ordering="at")
    def when(self, entry):
        return dates.newsroom_stamp(entry.at)

    @admin.display(description="người làm")
    def who(self, entry):
        return text.person_name(entry.user, nobody="Hệ thống")

    @admin.display(description="bài viết", ordering="title")
    def article_title(self, entry):
        # A link only where the article can still be opened: not purged, not in the trash.
        article = entry.article
        if article is None or article.deleted_at is not None:
            return entry.title
        url = reverse(f"{self.admin_site.name}:articles_article_change", args=[article.pk])
        return format_html('<a href="{}">{}</a>', url, entry.title)
