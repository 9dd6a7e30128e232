"""Helpers for the reader-site tests: read a rendered page the way a crawler does.

    page = Page(response)          parse once (stdlib html.parser, entities unescaped)
    page.titles                    the text of every <title>
    page.meta("description")       content of <meta name=...> or <meta property=...>, or None
    page.metas("og:title")         every such content (to count duplicates)
    page.links(rel="canonical")    attrs of every <link rel=...>
    page.scripts                   [(attrs, text)] of every <script>
    page.anchors                   [(attrs, text)] of every <a>
    page.section(cls)              the HTML of the first element whose class list has cls
    page.html                      the raw HTML
"""
import html
import re
from html.parser import HTMLParser

from django.contrib.sites.models import Site


def site_root():
    """Scheme and domain that absolute links name (the Site's domain, as articles/seo.py)."""
    return f"http://{Site.objects.get_current().domain}"


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, attrs)
        self.titles = []
        self.scripts = []
        self.anchors = []
        self._text_of = None  # ("title" | "script" | "a", attrs, [chunks])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("title", "script", "a"):
            self._text_of = (tag, attrs, [])

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        if self._text_of:
            self._text_of[2].append(data)

    def handle_endtag(self, tag):
        if self._text_of and self._text_of[0] == tag:
            kind, attrs, chunks = self._text_of
            text = "".join(chunks)
            if kind == "title":
                self.titles.append(text)
            elif kind == "script":
                self.scripts.append((attrs, text))
            else:
                self.anchors.append((attrs, " ".join(text.split())))
            self._text_of = None


class Page:
    def __init__(self, response):
        assert response.status_code == 200, response.status_code
        self.html = response.content.decode()
        collector = _Collector()
        collector.feed(self.html)
        collector.close()
        self.tags = collector.tags
        self.titles = collector.titles
        self.scripts = collector.scripts
        self.anchors = collector.anchors

    def metas(self, key):
        return [
            attrs.get("content")
            for tag, attrs in self.tags
            if tag == "meta" and key in (attrs.get("name"), attrs.get("property"))
        ]

    def meta(self, key):
        found = self.metas(key)
        assert len(found) <= 1, f"{len(found)} <meta> named {key}"
        return found[0] if found else None

    def links(self, rel):
        return [attrs for tag, attrs in self.tags if tag == "link" and rel in (attrs.get("rel") or "").split()]

    def hrefs(self, rel=None):
        return [attrs.get("href") for attrs, _ in self.anchors if rel is None or attrs.get("rel") == rel]

    def anchor(self, rel):
        found = [(attrs, text) for attrs, text in self.anchors if attrs.get("rel") == rel]
        assert len(found) <= 1, f"{len(found)} <a rel={rel}>"
        return found[0] if found else None

    def json_ld(self):
        return [text for attrs, text in self.scripts if attrs.get("type") == "application/ld+json"]

    def section(self, css_class, tag=r"\w+"):
        """The outer HTML of the first element of that class (same-name nesting not handled)."""
        match = re.search(
            rf'<({tag})\b[^>]*\bclass="(?:[^"]*\s)?{re.escape(css_class)}(?:\s[^"]*)?"[^>]*>.*?</\1>',
            self.html,
            re.S,
        )
        return match.group(0) if match else ""

    def sections(self, css_class, tag=r"\w+"):
        return [
            m.group(0)
            for m in re.finditer(
                rf'<({tag})\b[^>]*\bclass="(?:[^"]*\s)?{re.escape(css_class)}(?:\s[^"]*)?"[^>]*>.*?</\1>',
                self.html,
                re.S,
            )
        ]

    def breadcrumbs(self):
        """[(name, href or None)] of the breadcrumb trail."""
        nav = self.section("breadcrumbs", tag="nav")
        return [
            (html.unescape(re.sub(r"<[^>]+>", "", inner).strip()), href or None)
            for href, inner in re.findall(r'<li>(?:<a href="([^"]*)">)?(.*?)(?:</a>)?</li>', nav, re.S)
        ] if nav else []


def card_titles(fragment):
    """Titles of the article cards in an HTML fragment, in order."""
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r'class="card-title[^"]*"><a href="[^"]*">(.*?)</a>', fragment)]


def card_urls(fragment):
    return re.findall(r'class="card-title[^"]*"><a href="([^"]*)">', fragment)
