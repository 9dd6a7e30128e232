"""RSS 2.0 feeds: the whole site, each category and each tag."""
import copy
import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.html import escape
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed

from .models import Article, Category, Tag
from .seo import absolute

SITE_NAME = settings.ANTD["SITE_NAME"]
ITEMS = 50


class ArticleFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "vi"

    def __call__(self, request, *args, **kwargs):
        # Enclosure URLs must be absolute and only the request knows the scheme;
        # a copy per request keeps the shared view instance thread-safe.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return self.articles(obj).for_listing().prefetch_related("tags")[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers take <description> as HTML: the sapo is text, so say it as such.
        return escape(item.lead)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        names = [item.category.name] if item.category else []
        return names + [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item):
        photo = item.lead_photo
        if photo is None:
            return []
        try:
            size = photo.image.size
        except OSError:
            return []  # the file is lost: a feed without this enclosure beats no feed
        mime_type = mimetypes.guess_type(photo.image.name)[0] or "image/jpeg"
        return [Enclosure(absolute(self.request, photo.image.url), str(size), mime_type)]


class LatestFeed(ArticleFeed):
    title = f"{SITE_NAME} – Tin mới nhất"
    description = f"Tin bài mới nhất của {SITE_NAME}."
    link = "/"


class CategoryFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def articles(self, category):
        return super().articles(category).filter(category=category)

    def title(self, category):
        return f"{SITE_NAME} – {category.name}"

    def description(self, category):
        return category.description or f"Tin bài chuyên mục {category.name}."

    def link(self, category):
        return category.get_absolute_url()


class TagFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def articles(self, tag):
        return super().articles(tag).filter(tags=tag)

    def title(self, tag):
        return f"{SITE_NAME} – {tag.name}"

    def description(self, tag):
        return f"Tin bài gắn thẻ {tag.name}."

    def link(self, tag):
        return tag.get_absolute_url()
