"""The home page, categories, tags and authors, and their indexes."""
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import queries, seo
from ..caching import cached
from ..reads import ranking
from .shared import AUTHORS, CATEGORIES, TAGS, breadcrumbs, existing, kept_listing, requested_page, shown


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
    _, _, trail, json_ld = SECTIONS[kind]
    try:
        section, page, listing = section_page(kind, slug, requested_page(request))
    except ObjectDoesNotExist:
        raise Http404("Không có trang này.") from None
    return render(request, f"articles/listings/{kind}.html", {
        kind: section, "page": existing(page), "listing": shown(listing),
        "breadcrumbs": breadcrumbs(*trail, section.name),
        "json_ld": json_ld(request, section) if json_ld else "",
    })


@cached
def section_page(kind, slug, number):
    """What a section's page shows of the archive, kept for the content version as
    one value: (its Section, then kept_listing's Page and HTML). Cold or from
    another worker, a page is one read of the cache, where its section, its cards
    and its listing's fragment were three. Raises the model's DoesNotExist (not
    kept: made-up slugs cannot fill the cache)."""
    find, page_of, _, _ = SECTIONS[kind]
    section = find(slug)
    return (section, *kept_listing(page_of(section.id, number), hide_category=kind == "category"))


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
