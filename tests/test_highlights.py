"""A result's marked title and snippet (articles/search/highlights.py): which words
are marked, that nothing else becomes markup, which part of the text is shown, and
that Python's folding marks every word PostgreSQL's `vietnamese` configuration makes
a lexeme of."""
import itertools

import pytest
from django.db import connection

from articles import text
from articles.search.highlights import CONTEXT, MAX_WORDS, MIN_WORDS, fragments, marked, pattern, snippet

# Every Vietnamese vowel with every tone, and đ: as a reader types them (NFC).
VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def words_of(lexemes):
    return pattern(frozenset(lexemes))


def numbered(count):
    return " ".join(f"w{n}" for n in range(count))


def test_a_word_is_marked_whatever_its_accents_case_and_tone_placement():
    words = words_of({"thi", "dua", "hoa"})
    assert marked("Phong trào thi đua", words) == "Phong trào <mark>thi</mark> <mark>đua</mark>"
    assert marked("THI ĐUA", words) == "<mark>THI</mark> <mark>ĐUA</mark>"
    assert marked("hoà hòa Hoà HÒA", words) == " ".join(f"<mark>{w}</mark>" for w in ["hoà", "hòa", "Hoà", "HÒA"])


def test_only_whole_words_are_marked():
    """Words as PostgreSQL's parser cuts them: "_" and "-" part words, "5an" is one."""
    words = words_of({"an"})
    assert marked("an ninh, bàn ăn, an_toàn, an-ninh, 5an", words) == (
        "<mark>an</mark> ninh, bàn <mark>ăn</mark>, <mark>an</mark>_toàn, <mark>an</mark>-ninh, 5an"
    )


def test_a_lexeme_of_several_words_marks_each():
    """PostgreSQL makes "covid-19" the lexemes 'covid' and '-19'."""
    assert marked("Dịch covid-19 lan rộng", words_of({"covid", "-19"})) == "Dịch <mark>covid</mark>-<mark>19</mark> lan rộng"


def test_everything_else_is_escaped_and_only_marks_are_markup():
    words = words_of({"vang"})
    assert marked('Giá <b>vàng</b> & "bạc"', words) == "Giá &lt;b&gt;<mark>vàng</mark>&lt;/b&gt; &amp; &quot;bạc&quot;"
    assert marked("<script>", words_of(set())) == "&lt;script&gt;"
    assert words_of({"-"}) is None  # nothing a word can be: nothing marked


def test_no_match_shows_the_first_words():
    assert fragments([], 100) == [(0, MIN_WORDS - 1)]
    assert fragments([], 4) == [(0, 3)]
    assert snippet(numbered(100), words_of({"x"})) == numbered(MIN_WORDS) + " …"
    assert snippet(numbered(MIN_WORDS), words_of({"x"})) == numbered(MIN_WORDS)
    assert snippet("", words_of({"x"})) == ""


def test_a_fragment_starts_a_few_words_before_its_match():
    assert fragments([50], 200) == [(50 - CONTEXT, 50 - CONTEXT + MAX_WORDS - 1)]
    assert fragments([3], 200) == [(0, MAX_WORDS - 1)]
    shown = snippet(numbered(200), words_of({"w50"})).split()
    # An ellipsis says where the text goes on unshown.
    assert shown[0] == "…" and shown[-1] == "…" and len(shown) == MAX_WORDS + 2
    assert shown[1] == f"w{50 - CONTEXT}" and shown[1 + CONTEXT] == "<mark>w50</mark>"


def test_a_match_near_the_end_shows_the_words_before_it():
    assert fragments([98], 100) == [(100 - MAX_WORDS, 99)]


def test_matches_far_apart_make_two_fragments_and_no_more():
    assert fragments([10, 20, 100, 105, 180], 200) == [(2, 36), (92, 126)]
    shown = snippet(numbered(200), words_of({"w10", "w100", "w180"}))
    first, second = shown.split(" … ")
    assert "<mark>w10</mark>" in first and "<mark>w100</mark>" in second and "w180" not in shown


def test_fragments_never_overlap():
    assert fragments([10, 50], 200) == [(2, 36), (42, 76)]
    assert fragments([10, 40], 200) == [(2, 36), (37, 71)]


def test_a_snippet_keeps_the_text_between_its_words():
    assert snippet("Giá vàng, bạc (tăng).", words_of({"bac"})) == "Giá vàng, <mark>bạc</mark> (tăng"


@pytest.mark.django_db
def test_every_word_postgresql_indexes_is_marked():
    """The two foldings agree: each word of a text holding every Vietnamese vowel
    with every tone, in both cases, and đ, is marked by the lexeme PostgreSQL's
    `vietnamese` configuration makes of it."""
    letters = [text.nfc(vowel + tone) for vowel, tone in itertools.product(VOWELS, TONES)] + ["đ"]
    words = [f"đ{letter}n" for letter in letters]
    with connection.cursor() as cursor:
        for word in words + [word.upper() for word in words]:
            cursor.execute("SELECT lexeme FROM unnest(to_tsvector('vietnamese', %s))", [word])
            (lexeme,), = cursor.fetchall()
            assert marked(word, words_of({lexeme})) == f"<mark>{word}</mark>", (word, lexeme)
