"""A result's title and snippet with the query's words marked.

Made in Python, not by PostgreSQL's ts_headline: that parses its text with the
default parser, about 250 ns a character (a page of 20 snippets of some 800
characters each: 4–5 ms, a fifth of a search at a million articles), where one
regular expression finds the same words in a twentieth of that time.

A word is marked when it folds (text.ascii_fold, lower case) to one of the query's
lexemes, the words PostgreSQL's `vietnamese` configuration made of the query
(unaccent, then lower case): "thi dua" marks "thi đua", "hoa" marks "hoà" and "hòa".
"""
import bisect
import re
import string
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .. import text

# A word as PostgreSQL's parser cuts one: letters and digits ("_" parts words).
WORD = re.compile(r"[^\W_]+")
# A snippet: up to MAX_FRAGMENTS pieces of the text around its matches, each up to
# MAX_WORDS words, starting up to CONTEXT words before its first match; without a
# match, its first MIN_WORDS words (as ts_headline's MinWords, MaxWords, MaxFragments).
MAX_WORDS, MIN_WORDS, MAX_FRAGMENTS, CONTEXT = 35, 15, 2, 8
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
    """The pieces of the text around its matches, marked (see MAX_WORDS); words:
    pattern()'s expression, or None."""
    starts = [match.start() for match in WORD.finditer(value)]
    if not starts:
        return mark_safe("")
    hits = [bisect.bisect_right(starts, match.start()) - 1 for match in words.finditer(value)] if words else []
    shown = fragments(hits, len(starts))
    pieces = (_marked(value[starts[first]:WORD.match(value, starts[last]).end()], words) for first, last in shown)
    before = CUT + " " if shown[0][0] > 0 else ""
    after = " " + CUT if shown[-1][1] < len(starts) - 1 else ""
    return mark_safe(before + f" {CUT} ".join(pieces) + after)


def fragments(hits, count):
    """(first, last) word numbers of each fragment of a text of `count` words whose
    matches are the words numbered `hits` (in order)."""
    if not hits:
        return [(0, min(count, MIN_WORDS) - 1)]
    chosen = []
    for hit in hits:
        if chosen and hit <= chosen[-1][1]:
            continue  # shown by the fragment before
        if len(chosen) == MAX_FRAGMENTS:
            break
        # A match near the end shows more of the text before it.
        first = max(min(hit - CONTEXT, count - MAX_WORDS), chosen[-1][1] + 1 if chosen else 0)
        chosen.append((first, min(count, first + MAX_WORDS) - 1))
    return chosen
