"""An article's page. Readers see public articles; staff also see drafts,
scheduled ones and those taken down, at their address or by id (/xem-truoc/<id>/).
A taken-down article's address answers readers 410, as the trash's do."""
from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from .. import queries, seo, sharing, text
from ..caching import cached
from ..models import Article
from ..reads import ranking
from ..redirects import gone_page
from .shared import breadcrumbs


@require_safe
def article(request, year, month, day, slug):
    root = seo.site_root(request)
    try:
        when = date(year, month, day)
        if request.user.is_staff:
            story = queries.staff_story(when, slug)
            shown = (story, *story_parts(story.id, story.is_public, root))
        else:
            shown = public_page(when, slug, root)
    except ValueError:
        raise Http404("Không có bài viết này.") from None
    except Article.DoesNotExist:
        if _taken_down(when, slug):
            return gone_page(request)
        raise Http404("Không có bài viết này.") from None
    return _page(request, *shown)


def _taken_down(when, slug):
    try:
        queries.taken_down_at(when, slug)
    except Article.DoesNotExist:
        return False
    return True


@require_safe
def preview(request, pk):
    if not request.user.is_staff:
        raise Http404
    try:
        story = queries.staff_story_by_id(pk)
    except Article.DoesNotExist:
        raise Http404("Không có bài viết này.") from None
    return _page(request, story, *story_parts(story.id, story.is_public, seo.site_root(request)))


def _page(request, story, story_html, json_ld):
    section = [(story.category.name, story.category.url)] if story.category else []
    return render(request, "articles/article/detail.html", {
        "article": story, "summary": text.first_characters(story.lead, 300),
        "breadcrumbs": breadcrumbs(*section, story.title),
        "story_html": story_html, "json_ld": json_ld,
        **_most_read(request, story),
    })


def _most_read(request, story):
    """The "Đọc nhiều" block beside a public article, and whether its page counts
    a view (never staff's: the newsroom reading its own work is not readership)."""
    if not story.is_public:
        return {"most_read": None, "read_beacon": False}
    return {"most_read": ranking.most_read(), "read_beacon": not request.user.is_staff}


@cached
def public_page(day, slug, root):
    """What a reader's article page shows of the archive, kept for the content
    version as one value: (its Story, the story's HTML, its JSON-LD text), links
    under root (seo.site_root). Cold or from another worker, one read of the cache,
    where its story, the story's HTML and its body (for the JSON-LD) were three.
    Raises Article.DoesNotExist (not kept: made-up addresses cannot fill the cache)."""
    story, body = queries.public_story(day, slug)
    return (story, *_parts(story, body, True, root))


@cached
def story_parts(article_id, public, root):
    """The story's HTML and JSON-LD text (_parts) of any article, for staff, who
    also see drafts and scheduled ones (their pages are never kept whole)."""
    return _parts(*queries.full_story(article_id), public, root)


def _parts(story, body, public, root):
    """(The story itself: head, body with its photos, byline, tags and, when public,
    its share links, neighbours and related articles; then, when public, its
    NewsArticle JSON-LD text): the page's heavy part, made from what queries.py reads."""
    if not public:
        context = {"article": story, "body": body, "related": (), "neighbours": (None, None)}
        return render_to_string("articles/article/_story.html", context), ""
    share_url = seo.joined(root, story.url)
    html = render_to_string("articles/article/_story.html", {
        "article": story, "body": body, "share_url": share_url,
        "share_links": sharing.share_links(share_url, story.title),
        "related": body.related, "neighbours": body.neighbours,
    })
    return html, seo.news_article(root, story, body.text)
