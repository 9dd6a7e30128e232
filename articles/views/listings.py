"""The home page, categories, tags and authors, and the indexes of the first two."""
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import queries
from ..reads import ranking
from .shared import AUTHORS, CATEGORIES, TAGS, breadcrumbs, existing, requested_page


@require_safe
def home(request):
    page = existing(queries.latest(requested_page(request)))
    context = {"page": page, "lead_story": None, "latest": page.items}
    if page.number == 1 and page.items:
        # The lead story is the newest one with a picture to show.
        lead = next((card for card in page.items if card.picture), page.items[0])
        context.update(
            lead_story=lead, latest=[card for card in page.items if card is not lead],
            category_blocks=queries.category_blocks(), most_read=ranking.most_read(),
        )
    return render(request, "articles/listings/home.html", context)


# Categories, tags and authors are listed alike: (find by slug, a page of its
# articles, the (name, url) pairs of the trail above it).
SECTIONS = {
    "category": (queries.category, queries.category_page, (CATEGORIES,)),
    "tag": (queries.tag, queries.tag_page, (TAGS,)),
    "author": (queries.author, queries.author_page, AUTHORS),
}


@require_safe
def category(request, slug):
    return _section(request, "category", slug)


@require_safe
def tag(request, slug):
    return _section(request, "tag", slug)


@require_safe
def author(request, slug):
    return _section(request, "author", slug)


def _section(request, kind, slug):
    find, page_of, trail = SECTIONS[kind]
    try:
        section = find(slug)
    except ObjectDoesNotExist:
        raise Http404("Không có trang này.") from None
    page = existing(page_of(section.id, requested_page(request)))
    return render(request, f"articles/listings/{kind}.html", {
        kind: section, "page": page, "breadcrumbs": breadcrumbs(*trail, section.name),
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
