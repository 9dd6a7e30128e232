"""A result's marked title and snippet (articles/search/highlights.py): which words
are marked, that nothing else becomes markup, which part of the text is shown, and
that Python's folding marks every word PostgreSQL's `vietnamese` configuration makes
a lexeme of."""
import itertools

import pytest
from django.db import connection

from articles import text
from articles.search.highlights import CONTEXT, FRAGMENT, OPENING, fragments, marked, pattern, snippet

# Every Vietnamese vowel with every tone, and đ: as a reader types them (NFC).
VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def words_of(lexemes):
    return pattern(frozenset(lexemes))


def numbered(count, first=0):
    """Words of four characters, a space after each: word k starts at 5k."""
    return " ".join(f"w{n:03}" for n in range(first, first + count))


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
    assert fragments(numbered(100), words_of({"x"})) == [(0, OPENING - 1)]  # cut at the space before
    assert snippet(numbered(100), words_of({"x"})) == numbered(OPENING // 5) + " …"
    assert snippet(numbered(4), None) == numbered(4)
    assert snippet(" ", words_of({"x"})) == ""


def test_a_fragment_starts_some_words_before_its_match_and_ends_at_a_space():
    assert fragments(numbered(200), words_of({"w050"})) == [(250 - CONTEXT, 250 - CONTEXT + FRAGMENT - 1)]
    shown = snippet(numbered(200), words_of({"w050"})).split()
    # An ellipsis says where the text goes on unshown.
    assert shown[0] == "…" and shown[-1] == "…" and len(shown) == FRAGMENT // 5 + 2
    assert shown[1] == "w040" and shown[11] == "<mark>w050</mark>"


def test_a_match_at_the_start_shows_the_start():
    assert fragments(numbered(200), words_of({"w003"})) == [(0, FRAGMENT - 1)]
    assert snippet(numbered(200), words_of({"w003"})).startswith("w000 w001 w002 <mark>w003</mark>")


def test_a_match_near_the_end_shows_the_text_before_it():
    assert fragments(numbered(100), words_of({"w098"})) == [(500 - FRAGMENT, 499)]
    assert snippet(numbered(100), words_of({"w098"})).endswith("<mark>w098</mark> w099")


def test_matches_far_apart_make_two_fragments_and_no_more():
    words = words_of({"w010", "w100", "w180"})
    assert fragments(numbered(200), words) == [(0, 199), (450, 649)]
    first, second = snippet(numbered(200), words).removesuffix(" …").split(" … ")
    assert first == numbered(10) + " <mark>w010</mark> " + numbered(29, 11)
    assert second == numbered(10, 90) + " <mark>w100</mark> " + numbered(29, 101)


def test_fragments_never_overlap():
    assert fragments(numbered(200), words_of({"w010", "w045"})) == [(0, 199), (200, 399)]


def test_a_match_longer_than_a_fragment_is_shown_whole():
    value = "x " + "a" * 300 + " y"
    assert fragments(value, words_of({"a" * 300})) == [(0, 302)]


def test_a_snippet_keeps_the_text_between_its_words_with_one_space():
    assert snippet("Giá vàng, bạc (tăng).", words_of({"bac"})) == "Giá vàng, <mark>bạc</mark> (tăng)."
    assert snippet("Giá vàng.\n\n  Bạc tăng.", words_of({"bac"})) == "Giá vàng. <mark>Bạc</mark> tăng."


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
