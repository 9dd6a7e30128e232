"""RSS 2.0 feeds: the whole site, each category and each tag, and the corrections
(CorrectionFeed, beside /dinh-chinh/). Each article item carries
its sapo as <description> and its whole body, sanitised, as <content:encoded>;
a video card there is a plain link, with our copy of its thumbnail."""
import copy
import mimetypes
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape, format_html

from . import bylines, queries
from .models import Article, Author, Category, EventThread, Tag, Video
from .richtext import layout
from .seo import absolute, site_root

SITE_NAME = settings.ANTD["SITE_NAME"]
ITEMS = 50
# Feed readers resolve links against nothing reliable: the site's own become absolute.
SITE_LINK = re.compile(r'(href|src)="/(?!/)')


class ContentFeed(Rss201rev2Feed):
    """RSS 2.0 with the content module's <content:encoded>."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": "http://purl.org/rss/1.0/modules/content/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_encoded"):
            handler.addQuickElement("content:encoded", item["content_encoded"])


class ArticleFeed(Feed):
    feed_type = ContentFeed
    language = "vi"
    videos = ()  # the Video rows of this request's items (items())

    def __call__(self, request, *args, **kwargs):
        # Enclosure URLs must be absolute and only the request knows the scheme;
        # a copy per request keeps the shared view instance thread-safe.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        items = list(
            self.articles(obj).select_related("category").prefetch_related("tags", "photos")
            .defer("search_vector").annotate(author_rows=queries.author_rows())[:ITEMS]
        )
        # One query for the videos of all the items (none when no item has one).
        self.videos = Video.objects.placed_in(*(item.body for item in items))
        return items

    def item_extra_kwargs(self, item):
        return {"content_encoded": self.body_html(item)}

    def body_html(self, item):
        """The body as the page lays it out, pictures as plain <img> at full address."""
        parts = [self.block(block) for block in layout.compose(item.body, item.photos.all(), self.videos)]
        return SITE_LINK.sub(rf'\1="{site_root(self.request)}/', "".join(parts))

    def block(self, block):
        if block.kind == "figure":
            return self.figure(block.picture)
        if block.kind == "video":
            return self.video(block.video)
        return block.html

    @staticmethod
    def figure(picture):
        image = format_html('<img src="{}" alt="{}">', picture.fallback or picture.url, picture.alt) if picture.url else ""
        words = " ".join(part for part in (picture.caption, picture.credit) if part)
        caption = format_html("<figcaption>{}</figcaption>", words) if words else ""
        return format_html("<figure>{}{}</figure>", image, caption)

    @staticmethod
    def video(card):
        """A link to the video, around our thumbnail when we have one."""
        words = format_html('<a href="{}" rel="noopener noreferrer">Xem video trên {}: {}</a>', card.url, card.host,
                            card.title)
        if not card.thumbnail_url:
            return format_html("<p>{}</p>", words)
        image = format_html('<a href="{}" rel="noopener noreferrer"><img src="{}" alt=""></a>', card.url,
                            card.thumbnail_url)
        return format_html("<figure>{}<figcaption>{}</figcaption></figure>", image, words)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers take <description> as HTML: the sapo is text, so say it as such.
        return escape(item.lead)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at or item.published_at

    def item_author_name(self, item):
        return bylines.byline(row["name"] for row in item.author_rows or ()) or None

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


class ThreadFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(EventThread, slug=slug)

    def articles(self, thread):
        return super().articles(thread).filter(threads=thread)

    def title(self, thread):
        return f"{SITE_NAME} – Dòng sự kiện: {thread.title}"

    def description(self, thread):
        return thread.introduction or f"Tin bài trong dòng sự kiện {thread.title}."

    def link(self, thread):
        return thread.get_absolute_url()


class AuthorFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def articles(self, author):
        return super().articles(author).filter(authorships__author=author)

    def title(self, author):
        return f"{SITE_NAME} – Tác giả {author.name}"

    def description(self, author):
        return author.bio or f"Tin bài của tác giả {author.name}."

    def link(self, author):
        return author.get_absolute_url()


class CorrectionFeed(Feed):
    """"Đính chính": the newest corrections of public articles, each linking to its
    text at the end of its article."""

    title = f"{SITE_NAME} – Đính chính"
    description = f"Các đính chính {SITE_NAME} đã đăng cho tin bài của mình."
    link = reverse_lazy("articles:corrections")
    language = "vi"

    def items(self):
        rows = queries.public_corrections().select_related("article").only(*queries.CORRECTION_CARD)[:ITEMS]
        return [queries.correction_card(row) for row in rows]

    def item_title(self, item):
        return f"Đính chính: {item.article.name}"

    def item_description(self, item):
        return escape(item.text)

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.published_at
