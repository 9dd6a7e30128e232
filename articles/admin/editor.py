"""The body's rich-text editor in the article form (static/articles/admin/body-editor.js)
and the article search its link dialog asks.

Only django-prose-editor's static bundle is used: its own widget writes an inline
import map, which the admin's CSP (script-src 'self') refuses. Our module imports
the bundle by a relative URL instead."""
import json

from django import forms
from django.http import JsonResponse
from django.urls import path

from .. import dates, search
from .shared import admin_view

LINK_RESULTS = 10
THUMBNAIL_WIDTH = 160
LINK_SEARCH_URL_NAME = "articles_article_link_search"


class BodyEditor(forms.Textarea):
    """photos: the article's saved photos, or None for an article not saved yet
    (its photos have no ids to place)."""

    def __init__(self, attrs=None, photos=None, link_search_url=""):
        super().__init__(attrs)
        self.photos = photos
        self.link_search_url = link_search_url

    @property
    def media(self):
        return forms.Media(
            css={"all": [
                "django_prose_editor/material-icons.css",
                "django_prose_editor/editor.css",
                "django_prose_editor/overrides.css",
                "articles/admin/body-editor.css",
            ]},
            js=[forms.Script("articles/admin/body-editor.js", type="module")],
        )

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # The textarea is hidden behind the editor: a browser cannot point at a
        # hidden required field and would refuse the form without a word.
        attrs.pop("required", None)
        attrs["data-body-editor"] = ""
        attrs["data-link-search"] = self.link_search_url
        if self.photos is not None:
            attrs["data-photos"] = json.dumps(self.photos, ensure_ascii=False)
        return attrs


def photo_choices(article):
    """What the "Chèn ảnh" list shows of each saved photo."""
    if article is None or article.pk is None:
        return None
    return [
        {
            "id": photo.pk,
            "caption": photo.caption,
            "alt": photo.alt,
            "thumbnail": photo.url_for_width(THUMBNAIL_WIDTH) if photo.image else "",
        }
        for photo in article.photos.all()
    ]


def urls(model_admin):
    # Before the admin's own "<path:object_id>/", which would take it for an id.
    return [path("link-search/", admin_view(model_admin, link_search_view), name=LINK_SEARCH_URL_NAME)]


def link_search_view(model_admin, request):
    """Articles matching ?q= as the admin's search finds them, drafts included:
    a link is stored by article id, so it works once the draft is out."""
    if not model_admin.has_view_or_change_permission(request):
        return JsonResponse({"error": "Không có quyền."}, status=403)
    query = search.clean_query(request.GET.get("q", ""))
    if not query:
        return JsonResponse({"results": []})
    articles = model_admin.get_queryset(request)
    found = search.articles_matching(query, articles).order_by("-published_at", "-pk")[:LINK_RESULTS]
    return JsonResponse({"results": [
        {
            "id": article.pk,
            "title": article.title,
            "date": dates.news_date(article.published_at) if article.published_at else "",
            "url": article.get_absolute_url(),
            "public": article.is_public,
        }
        for article in found
    ]})
