"""A result's title and snippet with the query's words marked.

Made in Python, not by PostgreSQL's ts_headline: that parses its text with the
default parser, about 250 ns a character (a page of 20 snippets of some 800
characters each: 4–5 ms, a fifth of a search at a million articles). Here one
regular expression looks for the query's words, and only as far as the pieces
shown need (a page's snippets 0.7–0.8 ms in a loop; its cards, titles and snippets
3.1 ms at p50 in a gunicorn worker, whose processor caches are cold).

A word is marked when it folds (text.ascii_fold, lower case) to one of the query's
lexemes, the words PostgreSQL's `vietnamese` configuration made of the query
(unaccent, then lower case): "thi dua" marks "thi đua", "hoa" marks "hoà" and "hòa".
"""
import re
import string
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .. import text

# A word as PostgreSQL's parser cuts one: letters and digits ("_" parts words).
WORD = re.compile(r"[^\W_]+")
# A snippet: up to MAX_FRAGMENTS pieces of the text around its matches, each about
# FRAGMENT characters (some 35 words) starting about CONTEXT characters (some 8
# words) before its first match; without a match, the text's first OPENING
# characters (some 15 words). Pieces are cut at spaces, and measured in characters,
# not words, so that finding them never reads every word of the text.
FRAGMENT, CONTEXT, OPENING, MAX_FRAGMENTS = 200, 50, 90, 2
# Where the text goes on unshown: between fragments, before and after them.
CUT = "…"
# The letters a Vietnamese (or any Latin) text may write for each folded letter.
_LATIN = "".join(map(chr, [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]))


@lru_cache(maxsize=1)
def _spellings():
    """{folded letter: every letter of _LATIN folding to it, itself included}."""
    found = {letter: {letter} for letter in string.ascii_lowercase}
    for letter in _LATIN:
        folded = text.ascii_fold(letter).lower()
        if folded in found:
            found[folded].add(letter)
    return {folded: "[" + "".join(sorted(letters)) + "]" for folded, letters in found.items()}


def _spelled(word):
    spellings = _spellings()
    return "".join(spellings.get(ch, re.escape(ch)) for ch in word)


@lru_cache(maxsize=256)
def pattern(lexemes):
    """A regular expression matching, as whole words, every spelling of these
    lexemes (a frozenset), or None. A lexeme of several words ("covid-19") marks each."""
    parts = {part for lexeme in lexemes for part in WORD.findall(lexeme)}
    if not parts:
        return None
    alternatives = "|".join(_spelled(part) for part in sorted(parts, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


def marked(value, words):
    """The whole text, escaped, each of its words matching `words` (pattern) in <mark>."""
    return mark_safe(_marked(value, words))


def _marked(value, words):
    if words is None:
        return escape(value)
    pieces, done = [], 0
    for match in words.finditer(value):
        pieces += [escape(value[done:match.start()]), "<mark>", escape(match.group()), "</mark>"]
        done = match.end()
    pieces.append(escape(value[done:]))
    return "".join(pieces)


def snippet(value, words):
    """The pieces of the text around its matches, marked (see FRAGMENT); words:
    pattern()'s expression, or None."""
    spans = fragments(value, words)
    if not spans:
        return mark_safe("")
    pieces = (_marked(" ".join(value[start:end].split()), words) for start, end in spans)  # one space between words
    before = CUT + " " if value[:spans[0][0]].strip() else ""
    after = " " + CUT if value[spans[-1][1]:].strip() else ""
    return mark_safe(before + f" {CUT} ".join(pieces) + after)


def fragments(value, words):
    """(start, end) of each piece of value that its snippet shows, in order."""
    found = words.search(value) if words else None
    if found is None:
        return [(0, _end(value, 0, OPENING))] if value.strip() else []
    spans, last = [], len(value.rstrip())
    while found and len(spans) < MAX_FRAGMENTS:
        # A match near the end shows more of the text before it.
        start = _start(value, max(min(found.start() - CONTEXT, last - FRAGMENT), spans[-1][1] if spans else 0), found)
        end = max(_end(value, start, start + FRAGMENT), found.end())
        spans.append((start, end))
        found = words.search(value, end)
    return spans


def _start(value, at, found):
    """Where a piece starts: at the text's start, or at the first word from `at`,
    at the latest the match's."""
    if at <= 0:
        return 0
    space = value.find(" ", at - 1, found.start())
    return space + 1 if space != -1 else found.start()


def _end(value, start, at):
    """Where a piece from start ends: the text's end, or the last space up to at."""
    if at >= len(value):
        return len(value.rstrip())
    space = value.rfind(" ", start, at + 1)
    return space if space > start else at
