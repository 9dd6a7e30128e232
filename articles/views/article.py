"""An article's page. Readers see public articles; staff also see drafts,
scheduled ones and those taken down, at their address or by id (/xem-truoc/<id>/).
A taken-down article's address answers readers 410, as the trash's do."""
from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from .. import queries, seo, sharing
from ..caching import cached
from ..models import Article
from ..reads import ranking
from ..redirects import gone_page
from .shared import breadcrumbs


@require_safe
def article(request, year, month, day, slug):
    try:
        when = date(year, month, day)
        find = queries.staff_story if request.user.is_staff else queries.public_story
        story = find(when, slug)
    except ValueError:
        raise Http404("Không có bài viết này.") from None
    except Article.DoesNotExist:
        if _taken_down(when, slug):
            return gone_page(request)
        raise Http404("Không có bài viết này.") from None
    return _page(request, story)


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
    return _page(request, story)


def _page(request, story):
    section = [(story.category.name, story.category.url)] if story.category else []
    return render(request, "articles/article/detail.html", {
        "article": story, "summary": Truncator(story.lead).chars(300),
        "breadcrumbs": breadcrumbs(*section, story.title),
        "story_html": story_html(story.id, story.is_public, seo.absolute(request, story.url) if story.is_public else ""),
        "json_ld": seo.news_article(request, story, queries.full_story(story.id)[1].text) if story.is_public else "",
        **_most_read(request, story),
    })


def _most_read(request, story):
    """The "Đọc nhiều" block beside a public article, and whether its page counts
    a view (never staff's: the newsroom reading its own work is not readership)."""
    if not story.is_public:
        return {"most_read": None, "read_beacon": False}
    return {"most_read": ranking.most_read(), "read_beacon": not request.user.is_staff}


@cached
def story_html(article_id, public, share_url=""):
    """The story itself (head, body with its photos, byline, tags) and, when public,
    its share links (to share_url, its absolute address), neighbours and related
    articles: the page's heavy part, rendered once per content version from what
    queries.py reads."""
    story, body = queries.full_story(article_id)
    context = {"article": story, "body": body, "related": (), "neighbours": (None, None)}
    if public:
        context.update(
            share_url=share_url, share_links=sharing.share_links(share_url, story.title),
            related=queries.related(body.related_ids), neighbours=body.neighbours,
        )
    return render_to_string("articles/article/_story.html", context)
