"""The home page, categories, tags and authors, and their indexes."""
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import queries, seo
from ..reads import ranking
from .shared import AUTHORS, CATEGORIES, TAGS, breadcrumbs, existing, requested_page


@require_safe
def home(request):
    number = requested_page(request)
    if number > 1:
        return render(request, "articles/listings/latest.html", {"page": existing(queries.latest(number))})
    return render(request, "articles/listings/home.html", {
        "front": queries.front_page(), "most_read": ranking.most_read(),
    })


# Categories, tags and authors are listed alike: (find by slug, a page of its
# articles, the (name, url) pairs of the trail above it, its JSON-LD or None).
SECTIONS = {
    "category": (queries.category, queries.category_page, (CATEGORIES,), None),
    "tag": (queries.tag, queries.tag_page, (TAGS,), None),
    "author": (queries.author, queries.author_page, (AUTHORS,), seo.profile_page),
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
    find, page_of, trail, json_ld = SECTIONS[kind]
    try:
        section = find(slug)
    except ObjectDoesNotExist:
        raise Http404("Không có trang này.") from None
    page = existing(page_of(section.id, requested_page(request)))
    return render(request, f"articles/listings/{kind}.html", {
        kind: section, "page": page, "breadcrumbs": breadcrumbs(*trail, section.name),
        "json_ld": json_ld(request, section) if json_ld else "",
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


@require_safe
def author_index(request):
    page = existing(queries.author_index(requested_page(request)))
    return render(request, "articles/listings/author_index.html", {
        "page": page, "breadcrumbs": breadcrumbs(AUTHORS[0]),
    })
