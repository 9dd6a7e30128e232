"""The home page, categories and tags, and their indexes."""
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import queries
from ..models import Category, Tag
from .shared import CATEGORIES, TAGS, breadcrumbs, existing, requested_page


@require_safe
def home(request):
    page = existing(queries.latest(requested_page(request)))
    context = {"page": page, "lead_story": None, "latest": page.items}
    if page.number == 1 and page.items:
        # The lead story is the newest one with a picture to show.
        lead = next((card for card in page.items if card.picture), page.items[0])
        context.update(
            lead_story=lead, latest=[card for card in page.items if card is not lead],
            category_blocks=queries.category_blocks(),
        )
    return render(request, "articles/listings/home.html", context)


@require_safe
def category(request, slug):
    try:
        section = queries.category(slug)
    except Category.DoesNotExist:
        raise Http404("Không có chuyên mục này.") from None
    page = existing(queries.category_page(section.id, requested_page(request)))
    return render(request, "articles/listings/category.html", {
        "category": section, "page": page, "breadcrumbs": breadcrumbs(CATEGORIES, section.name),
    })


@require_safe
def tag(request, slug):
    try:
        section = queries.tag(slug)
    except Tag.DoesNotExist:
        raise Http404("Không có thẻ này.") from None
    page = existing(queries.tag_page(section.id, requested_page(request)))
    return render(request, "articles/listings/tag.html", {
        "tag": section, "page": page, "breadcrumbs": breadcrumbs(TAGS, section.name),
    })


@require_safe
def category_index(request):
    return render(request, "articles/listings/category_index.html", {
        "categories": queries.categories(), "breadcrumbs": breadcrumbs(CATEGORIES[0]),
    })


@require_safe
def tag_index(request):
    page = existing(queries.tag_index(requested_page(request)))
    return render(request, "articles/listings/tag_index.html", {"page": page, "breadcrumbs": breadcrumbs(TAGS[0])})
