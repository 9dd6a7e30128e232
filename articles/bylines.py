"""Bylines as people: the rules that turn "HẢI NAM - THU HÀ" into the names
"Hải Nam" and "Thu Hà", in order. Plain text rules, no tables: the importers,
migration 0015 and articles/authors.py all read names the same way here.

A name's identity is its slug (text.slugify), as for tags: "MINH ANH",
"Minh Anh" and "Minh  Anh" are one person.
"""
import re

from . import text

# What parts two names in a byline: a dash with spaces around it (names never
# hold one), a comma, a semicolon, a slash, "&" or the word "và".
_SEPARATORS = re.compile(r"\s+[-–—]\s+|\s*[,;/&]\s*|\s+và\s+", re.IGNORECASE)
# What one byline shows between its names, and what the Article.author column keeps.
SEPARATOR = " - "


def display_name(name):
    """A name as the site shows it: NFC, single spaces, and a name written all in
    capitals (ANTD's bylines) or all in small letters given a capital per syllable,
    the Vietnamese way ("HẢI NAM" → "Hải Nam", "đỗ an" → "Đỗ An")."""
    name = text.collapse_spaces(text.nfc(name or "")).strip(" -–—.")
    letters = [ch for ch in name if ch.isalpha()]
    if letters and (all(ch.isupper() for ch in letters) or all(ch.islower() for ch in letters)):
        return " ".join(word[:1].upper() + word[1:].lower() for word in name.split(" "))
    return name


def names_in(value):
    """The people a byline names, in order and once each: value is a byline
    ("HẢI NAM - THU HÀ"), a list of names (NDJSON), or empty."""
    parts = value if isinstance(value, (list, tuple)) else _SEPARATORS.split(value or "")
    names = {}
    for part in parts:
        name = display_name(part)
        slug = text.slugify(name)
        if slug and slug not in names:
            names[slug] = name
    return list(names.values())


def byline(names):
    """The byline text of these names, as the article's author column keeps it."""
    return SEPARATOR.join(names)


def adopt(articles, authors, authorships):
    """Records for every article's byline text that has none yet, in its order:
    migration 0015 (with its historical models) and synthetic archives. articles,
    authors, authorships: the three models."""
    found = {author.slug: author for author in authors.objects.all()}
    linked = authorships.objects.values_list("article_id", flat=True)
    rows = []
    for pk, value in articles.objects.exclude(author="").exclude(pk__in=linked).values_list("pk", "author").iterator():
        for position, name in enumerate(names_in(value)):
            slug = text.slugify(name)
            if slug not in found:
                found[slug] = authors.objects.create(name=name, slug=slug)
            rows.append(authorships(article_id=pk, author=found[slug], position=position))
    authorships.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
