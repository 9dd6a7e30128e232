"""The one allow-list of an article body. Whatever writes a body (the editor, an
import, a paste, a shell through the model) is reduced to it before it is
stored, and the page reduces it again before it is shown: the browser is never
trusted, nor is a row written by hand.

nh3 (the Ammonia sanitiser) parses as a browser does and keeps only what is
listed; a second, small pass (Canonical) renames the old spellings of allowed
elements (b, i, h1, h4…), keeps photo and video placeholders at the top level
and empty, and drops empty paragraphs. A video placeholder names its link in the
one spelling of videos.py; a link of any other host is no video."""
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from .. import text
from . import convert, videos

BLOCKS = ("p", "h2", "h3", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "figure")
INLINE = ("strong", "em", "a", "br")
TAGS = frozenset(BLOCKS + INLINE)
ATTRIBUTES = {
    "a": {"href", "data-article"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "figure": {"data-photo", "data-video"},
}
NUMERIC = {"data-article", "data-photo", "colspan", "rowspan"}
SCHEMES = {"http", "https", "mailto"}
# Kept by the first pass only to be renamed by the second.
RENAMED = {"b": "strong", "i": "em", "h1": "h2", "h4": "h3", "h5": "h3", "h6": "h3"}
# Their content is code or styling, never words of the article.
DROPPED_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "svg", "math", "head", "title"}
LINK_REL = "noopener noreferrer"

_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
# A body with no tag at all is plain text (a shell, an old client):
# its blank lines part paragraphs, as they always did.
_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>")


def _attribute_value(tag, attribute, value):
    if attribute in NUMERIC:
        return value if value.isdigit() and len(value) < 12 else None
    if attribute == "data-video":
        return videos.canonical(value)
    return value


def _cleaner(tags):
    return nh3.Cleaner(
        tags=set(tags), attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_attribute_value, url_schemes=SCHEMES, link_rel=LINK_REL,
        clean_content_tags=DROPPED_WITH_CONTENT, strip_comments=True,
    )


_FIRST = _cleaner(TAGS | set(RENAMED))
_FINAL = _cleaner(TAGS)


@dataclass(frozen=True)
class Cleaned:
    html: str
    dropped: tuple  # what the allow-list took away, in Vietnamese, for the editor or the import report


def clean(value, photos=None):
    """The body as it may be stored, and what was dropped to get there. photos: the
    ids a placeholder may name (None: any; the page shows only the article's own)."""
    value = value or ""
    if not _MARKUP.search(value):
        value = convert.from_paragraphs(text.split_paragraphs(value))
    kept = _FINAL.clean(Canonical.rewrite(_FIRST.clean(value), photos))
    kept = _EMPTY_PARAGRAPH.sub("", kept).strip()
    return Cleaned(kept, Inventory.of(value).dropped())


def safe(value):
    """A stored body, reduced again on its way to a reader (one fast pass)."""
    return _FINAL.clean(value or "")


class Canonical(HTMLParser):
    """Rewrites the first pass's output, which is already safe and well formed."""

    def __init__(self, photos):
        super().__init__(convert_charrefs=True)
        self.photos = photos
        self.out, self.open, self.skipping = [], [], 0
        self.implicit = False  # a <p> opened around text or inline elements standing alone

    @classmethod
    def rewrite(cls, value, photos=None):
        parser = cls(photos)
        parser.feed(value)
        parser.close()
        parser._close_implicit()
        return "".join(parser.out)

    def _open_implicit(self):
        if not self.open:
            self.open.append("p")
            self.out.append("<p>")
            self.implicit = True

    def _close_implicit(self):
        if self.implicit and len(self.open) == 1:
            self.out.append("</p>")
            self.open.pop()
            self.implicit = False

    def handle_starttag(self, tag, attrs):
        tag = RENAMED.get(tag, tag)
        if self.skipping:
            self.skipping += tag != "br"
            return
        if tag in BLOCKS:
            self._close_implicit()
        else:
            self._open_implicit()
        if tag == "figure":
            self._figure(dict(attrs))
        elif tag == "br":
            self.out.append("<br>")
        else:
            self.open.append(tag)
            self.out.append(f"<{tag}{_attributes(attrs)}>")

    def _figure(self, attrs):
        # A placeholder stands between blocks; one anywhere else, or one naming
        # no photo or video, is dropped with whatever was put inside it.
        if not self.open:
            self.out.append(_placeholder(attrs, self.photos))
        self.skipping = 1

    def handle_endtag(self, tag):
        tag = RENAMED.get(tag, tag)
        if self.skipping:
            self.skipping -= 1
            return
        if self.open and self.open[-1] == tag and not (self.implicit and len(self.open) == 1):
            self.open.pop()
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.skipping:
            return
        if data.strip():
            self._open_implicit()
        self.out.append(html.escape(data, quote=False))


def _placeholder(attrs, photos):
    """A figure names one photo (of these ids, if given) or one video, or nothing."""
    photo = attrs.get("data-photo")
    if photo:
        return f'<figure data-photo="{photo}"></figure>' if photos is None or int(photo) in photos else ""
    video = videos.canonical(attrs.get("data-video"))
    return f'<figure data-video="{video}"></figure>' if video else ""


def _attributes(attrs):
    return "".join(f' {name}="{html.escape(value or "", quote=True)}"' for name, value in attrs)


class Inventory(HTMLParser):
    """What an incoming body holds that the allow-list does not: the report only,
    never the output."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.links, self.videos = set(), set(), 0, 0

    @classmethod
    def of(cls, value):
        inventory = cls()
        inventory.feed(value)
        inventory.close()
        return inventory

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS and tag not in RENAMED:
            self.tags.add(tag)
        allowed = ATTRIBUTES.get(RENAMED.get(tag, tag), set())
        for name, value in attrs:
            if name not in allowed and name != "rel":
                self.attributes.add(name)
            elif name == "href" and not _allowed_url(value or ""):
                self.links += 1
            elif name == "data-video" and not videos.canonical(value):
                self.videos += 1

    handle_startendtag = handle_starttag

    def dropped(self):
        found = []
        if self.tags:
            found.append("thẻ " + ", ".join(f"<{tag}>" for tag in sorted(self.tags)))
        if self.attributes:
            found.append("thuộc tính " + ", ".join(sorted(self.attributes)))
        if self.links:
            found.append(f"{self.links} liên kết không an toàn")
        if self.videos:
            found.append(f"{self.videos} video không phải YouTube hay Facebook")
        return tuple(found)


def _allowed_url(value):
    scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value)
    return scheme is None or scheme.group(1).lower() in SCHEMES
