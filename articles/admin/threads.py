""""Dòng sự kiện": an editor picks the articles of one ongoing story by hand, and its cover."""
from django.contrib import admin

from ..models import EventThread
from .shared import RemovesUploadsOnFailure


@admin.register(EventThread)
class EventThreadAdmin(RemovesUploadsOnFailure, admin.ModelAdmin):
    list_display = ["title", "slug", "featured", "created_at"]
    list_filter = ["featured"]
    search_fields = ["title", "slug"]
    readonly_fields = ["slug"]  # made from the title on save (text.slugify)
    autocomplete_fields = ["articles"]
    fields = ["title", "slug", "introduction", "cover", "featured", "articles"]
