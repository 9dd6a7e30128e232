"""A stored body as plain text: paragraphs (every block) separated by a blank
line, a <br> as a line break, photos left out. What JSON-LD's articleBody, the
revision diff and the feed's summary read. Search reads the same words through
the SQL function articles_body_text (migration 0011), built from BLOCKS too."""
import re
from html.parser import HTMLParser

from .sanitize import BLOCKS


# HTML's white space, not the no-break spaces a text may hold on purpose.
_SPACES = re.compile(r"[ \t\r\f]+")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.current = [], []

    def _end_block(self):
        lines = [_SPACES.sub(" ", line).strip(" ") for line in "".join(self.current).split("\n")]
        if any(lines):
            self.paragraphs.append("\n".join(line for line in lines if line))
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.current.append("\n")
        elif tag in BLOCKS:
            self._end_block()

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self._end_block()

    def handle_data(self, data):
        self.current.append(data.replace("\n", " "))


def paragraphs(html):
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    parser._end_block()
    return parser.paragraphs


def to_text(html):
    return "\n\n".join(paragraphs(html))
