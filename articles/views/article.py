"""An article's page. Readers see public articles; staff also see drafts and
scheduled ones, at their address or by id (/xem-truoc/<id>/)."""
from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from .. import queries, seo
from ..models import Article
from .shared import breadcrumbs


@require_safe
def article(request, year, month, day, slug):
    try:
        when = date(year, month, day)
        find = queries.staff_story if request.user.is_staff else queries.public_story
        story = find(when, slug)
    except (ValueError, Article.DoesNotExist):
        raise Http404("Không có bài viết này.") from None
    return _page(request, story)


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
    body = queries.body(story.id)
    section = [(story.category.name, story.category.url)] if story.category else []
    context = {
        "article": story, "body": body, "summary": Truncator(story.lead).chars(300),
        "breadcrumbs": breadcrumbs(*section, story.title), "related": (), "neighbours": (None, None),
    }
    if story.is_public:
        context.update(
            related=queries.related(story.id, body.tag_ids), neighbours=queries.neighbours(story.id, story.published_at),
            json_ld=seo.news_article(request, story, body.lead_picture),
        )
    return render(request, "articles/article/detail.html", context)
