"""Search: /tim-kiem/ and the admin's search box (articles/search.py), on articles
written here for each test.

Accents, case, Unicode forms and tone placement do not matter; web search syntax
("phrase", -word, OR); the title > tags/category > sapo > body ranking; filters;
what a result shows (escaped, with <mark>); the stored vector kept current by the
database's triggers; suggestions; hostile input; visibility; pagination.
"""
import datetime
import html
import re
import unicodedata

import psycopg2
import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from articles import search
from articles.search import engine, ranking
from articles.search.engine import MAX_QUERY_LENGTH
from articles.models import Article, Category, SearchTerm, Tag
from tests.factories import ArticleFactory, CategoryFactory, PhotoFactory, TagFactory, hanoi
from tests.reader import Page, card_titles, card_urls

pytestmark = pytest.mark.django_db

URL = "/tim-kiem/"
HOURS = datetime.timedelta(hours=1)
NO_RESULTS = "Không tìm thấy bài nào"
SUGGESTION = "Có phải bạn muốn tìm:"
# Neutral default texts: no word of them is ever searched for.
LEAD = "Sapo ngắn."
BODY = "Nội dung bài."


def ago(hours):
    return timezone.now() - hours * HOURS


def nfd(value):
    return unicodedata.normalize("NFD", value)


def write(title, lead=LEAD, body=BODY, **kwargs):
    """A published article (an hour old unless told) with exactly these texts."""
    return ArticleFactory(title=title, lead=lead, body=body, **kwargs)


def titles(content):
    return [html.unescape(t) for t in card_titles(content)]


def results(client, q, **params):
    """Titles of the results, in order, for a query that must answer 200."""
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200, (q, params, response.status_code)
    return titles(response.content.decode())


def snippets(content):
    return re.findall(r'<p class="snippet">(.*?)</p>', content, re.S)


# --------------------------------------------------------------------------- accents, case, forms


def test_unaccented_query_finds_accented_text(client):
    write("Phong trào thi đua yêu nước")
    write("Thì dưa hấu")  # unaccented, "thi dua" meets every tone: by design
    write("Thi công cầu vượt")
    assert sorted(results(client, "thi dua")) == ["Phong trào thi đua yêu nước", "Thì dưa hấu"]
    assert results(client, "thi đua") == results(client, "thi dua")


@pytest.mark.parametrize(
    "text, query",
    [
        ("Đảm bảo an toàn giao thông", "dam bao"),  # đ found by d
        ("Dam bao viết không dấu", "đảm bảo"),  # d found by đ
        ("Đường Điện Biên Phủ thông xe", "duong dien bien"),
        ("Duong dien bien khong dau", "Đường Điện Biên"),
    ],
    ids=["d-finds-đ", "đ-finds-d", "d-finds-đ-several", "đ-finds-d-several"],
)
def test_đ_and_d_are_one_letter(client, text, query):
    write(text)
    write("Bài khác hoàn toàn")
    assert results(client, query) == [text]


@pytest.mark.parametrize("query", ["THI ĐUA", "Thi Đua", "tHI đUA", "THI DUA"])
def test_case_does_not_matter(client, query):
    write("phong trào thi đua")
    write("Bài khác hoàn toàn")
    assert results(client, query) == ["phong trào thi đua"]


def test_query_in_nfd_finds_nfc_text(client):
    article = write("Thúy Kiều và Kim Trọng")
    assert unicodedata.is_normalized("NFC", Article.objects.get(pk=article.pk).title)
    query = nfd("Thúy Kiều")
    assert query != "Thúy Kiều"
    assert results(client, query) == ["Thúy Kiều và Kim Trọng"]
    # Percent-encoded NFD bytes, as a macOS browser sends them.
    assert titles(client.get(URL, QUERY_STRING="q=" + "".join(f"%{b:02X}" for b in query.encode())).content.decode()) == [
        "Thúy Kiều và Kim Trọng"
    ]


def test_article_saved_from_nfd_is_found_by_nfc_query(client):
    article = write(nfd("Nghệ thuật múa rối nước"), lead=nfd("Sapo về phường rối Đào Thục."), body=nfd("Đoạn văn về thủy đình."))
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == "Nghệ thuật múa rối nước"  # stored in NFC
    assert results(client, "múa rối") == ["Nghệ thuật múa rối nước"]
    assert results(client, "phường rối") == ["Nghệ thuật múa rối nước"]
    assert results(client, "thủy đình") == ["Nghệ thuật múa rối nước"]
    assert results(client, "thuy dinh") == ["Nghệ thuật múa rối nước"]


def test_nfd_text_written_behind_the_models_back_is_still_found(client):
    """The trigger indexes whatever reaches the table: unaccent drops combining marks too."""
    article = write("Tạm thời")
    Article.objects.filter(pk=article.pk).update(title=nfd("Thủy điện Hòa Bình"))
    assert results(client, "Thủy điện Hòa Bình") == [nfd("Thủy điện Hòa Bình")]
    assert results(client, "thuy dien") == [nfd("Thủy điện Hòa Bình")]


@pytest.mark.parametrize(
    "text, query",
    [
        ("Hòa giải ở cơ sở", "hoà giải"),
        ("Hoà giải ở cơ sở", "hòa giải"),
        ("Chị Thúy bán hàng", "thuý"),
        ("Chị Thuý bán hàng", "thúy"),
        ("Lũ lớn ở Thanh Hóa", "Thanh Hoá"),
        ("Lũ lớn ở Thanh Hoá", "Thanh Hóa"),
        ("Khỏe mạnh mỗi ngày", "khoẻ"),
        ("Khoẻ mạnh mỗi ngày", "khỏe"),
    ],
    ids=["hoà→hòa", "hòa→hoà", "thuý→thúy", "thúy→thuý", "Hoá→Hóa", "Hóa→Hoá", "khoẻ→khỏe", "khỏe→khoẻ"],
)
def test_old_and_new_tone_placement_meet(client, text, query):
    write(text)
    write("Bài khác hoàn toàn")
    assert results(client, query) == [text]


# --------------------------------------------------------------------------- web search syntax


def test_quoted_phrase_matches_only_adjacent_words_in_order(client):
    write("Bảo vệ an ninh quốc gia")
    write("Ninh Bình an toàn")  # both words, reversed and apart
    write("An toàn ở Hải Ninh")  # both words, apart
    assert sorted(results(client, "an ninh")) == ["An toàn ở Hải Ninh", "Bảo vệ an ninh quốc gia", "Ninh Bình an toàn"]
    assert results(client, '"an ninh"') == ["Bảo vệ an ninh quốc gia"]
    assert results(client, '"ninh an"') == []
    # Unaccented phrase, too.
    assert results(client, '"bao ve an ninh"') == ["Bảo vệ an ninh quốc gia"]


def test_minus_excludes_a_word(client):
    write("Bão số 3 gây lũ")
    write("Bão số 3 đổ bộ")
    assert sorted(results(client, "bão")) == ["Bão số 3 gây lũ", "Bão số 3 đổ bộ"]
    assert results(client, "bão -lũ") == ["Bão số 3 đổ bộ"]
    assert results(client, "bao -lu") == ["Bão số 3 đổ bộ"]


def test_or_finds_either(client):
    write("Mưa giông chiều qua")
    write("Lốc xoáy ở ngoại thành")
    write("Nắng nóng kéo dài")
    assert sorted(results(client, "giông OR lốc")) == ["Lốc xoáy ở ngoại thành", "Mưa giông chiều qua"]
    assert results(client, "giông lốc") == []  # without OR, both words are needed


# --------------------------------------------------------------------------- ranking


def test_title_beats_tag_beats_sapo_beats_body(client):
    word = "khinh khí cầu"
    when = ago(5)
    # Created so that neither date nor id explains the order: the body match is the newest.
    sapo = write("Bài ba", lead=f"Lễ hội {word} mở màn.", published_at=when - HOURS)
    body = write("Bài bốn", body=f"Đoạn văn nhắc {word} nhiều lần: {word}, {word}.", published_at=when)
    tag = write("Bài hai", tags=[TagFactory(name=word.title())], published_at=when - 2 * HOURS)
    title = write(f"Bay {word} ở Tam Cốc", published_at=when - 3 * HOURS)
    assert results(client, "khinh khi cau") == [title.title, tag.title, sapo.title, body.title]
    assert results(client, word) == [title.title, tag.title, sapo.title, body.title]


def test_category_counts_like_a_tag(client):
    sapo = write("Bài sapo", lead="Tin về khinh khí cầu.", published_at=ago(1))
    category = write("Bài chuyên mục", category=CategoryFactory(name="Khinh khí cầu"), published_at=ago(3))
    title = write("Khinh khí cầu bay", published_at=ago(5))
    assert results(client, "khinh khi cau") == [title.title, category.title, sapo.title]


def test_equal_matches_newest_first(client):
    # The older one is created last (higher id): only the date decides.
    newer = write("Cứu hộ cứu nạn ngày mưa", published_at=hanoi(2020, 5, 2, 8))
    oldest = write("Cứu hộ cứu nạn ngày mưa", published_at=hanoi(2019, 1, 1, 8))
    older = write("Cứu hộ cứu nạn ngày mưa", published_at=hanoi(2020, 5, 1, 8))
    response = client.get(URL, {"q": "cuu ho"})
    assert card_urls(response.content.decode()) == [a.get_absolute_url() for a in (newer, older, oldest)]


def test_newest_first_order(client):
    in_title = write("Giải cứu chú mèo", published_at=hanoi(2018, 3, 1, 8))
    in_body = write("Tin phường", body="Người dân giải cứu con chó.", published_at=hanoi(2020, 3, 1, 8))
    in_sapo = write("Tin quận", lead="Lực lượng giải cứu.", published_at=hanoi(2019, 3, 1, 8))
    assert results(client, "giai cuu") == [in_title.title, in_sapo.title, in_body.title]
    assert results(client, "giai cuu", sap_xep="moi-nhat") == [in_body.title, in_sapo.title, in_title.title]
    # The form remembers the choice.
    page = client.get(URL, {"q": "giai cuu", "sap_xep": "moi-nhat"}).content.decode()
    assert re.search(r'<option value="moi-nhat" selected>', page)


def test_an_old_title_match_outranks_newer_body_matches(client):
    """Ranking is no longer bounded to the newest matches: a title match of any age
    comes first, even behind more newer body matches than a page holds."""
    old = write("Xe cứu thương vượt đèn đỏ", published_at=hanoi(2006, 3, 1, 8))
    newer = [write(f"Tin số {n}", body="Chiếc xe cứu thương đi qua.", published_at=ago(n + 1)) for n in range(25)]
    page = Page(client.get(URL, {"q": "xe cuu thuong"}))
    assert titles(page.html)[:2] == [old.title, newer[0].title]
    assert "Tìm thấy 26 bài." in page.html


def every_result(query, per_page=2):
    """All result ids in best-match order, read page by page as readers would."""
    found, number = [], 1
    while True:
        page = search.find(query).page(number, per_page)
        found += [hit.card.id for hit in page.items]
        if not page.has_next:
            return found
        number += 1


@pytest.mark.parametrize("count_limit", [100, 3, 1])
def test_title_matches_of_any_age_come_before_every_other_match(monkeypatch, count_limit):
    """The order, part by part: title matches (their newest RANKED ranked, then newest
    first), then the other matches (their newest RANKED ranked tags > sapo > body,
    then the rest newest first). Every match once, whichever page it is on, and
    whether the walk that counts the matches holds the other group's newest RANKED
    (100), holds them among title matches (3), or stops before them (1)."""
    monkeypatch.setattr("articles.search.ranking.RANKED", 3)
    monkeypatch.setattr("articles.search.engine.COUNT_LIMIT", count_limit)
    word = "diều sáo"
    years = iter(range(2005, 2030))

    def article(title, **texts):
        return write(title, published_at=hanoi(next(years), 1, 1, 8), **texts)  # each newer than the last

    old_title = article(f"Thả {word} ở Bá Giang")
    twice_in_title = article(f"Làng {word} và mùa {word}")
    old_bodies = [article(f"Bài thân cũ {n}", body=f"Có {word} trong bài.") for n in range(2)]
    old_sapo = article("Bài sapo cũ", lead=f"Tin {word}.")  # older than the newest 3: not ranked
    new_title = article(f"Hội {word}")
    new_body = article("Bài thân mới", body=f"Nói về {word}.")
    new_sapo = article("Bài sapo mới", lead=f"Mùa {word}.")
    tagged = article("Hội làng", tags=[TagFactory(name=word.title())])
    article("Không liên quan")
    expected = [
        twice_in_title, new_title, old_title,  # the title group: ts_rank, then newest
        tagged, new_sapo, new_body,  # the newest 3 others, ranked: tags > sapo > body
        old_sapo, old_bodies[1], old_bodies[0],  # the older others, newest first
    ]
    assert every_result("dieu sao") == [a.pk for a in expected]
    assert every_result("dieu sao", per_page=4) == [a.pk for a in expected]
    assert search.find("dieu sao").count == min(len(expected), count_limit + 1)
    newest_first = search.find("dieu sao", newest_first=True)
    second_page = [hit.card.id for hit in newest_first.page(2, 4).items]
    assert second_page == [old_sapo.pk, old_bodies[1].pk, old_bodies[0].pk, twice_in_title.pk]


@pytest.mark.parametrize("rare", [(), ranking.VECTORS], ids=["as-planned", "from-the-gin-index"])
def test_matches_are_the_same_however_they_are_read(monkeypatch, rare):
    """Plan only changes how PostgreSQL reads the matches, never which nor their order."""
    monkeypatch.setattr(ranking, "RANKED", 2)
    planned = ranking.Plan.__init__

    def read_as_told(plan, *args):
        planned(plan, *args)
        plan.rare = set(rare)

    monkeypatch.setattr(ranking.Plan, "__init__", read_as_told)
    word = "đèn lồng"
    made = [
        write(f"Phố {word} số {n}", published_at=hanoi(2010 + n, 1, 1)) for n in range(3)
    ] + [
        write(f"Tin số {n}", body=f"Treo {word}.", published_at=hanoi(2012 + n, 6, 1)) for n in range(4)
    ]
    write("Không liên quan")
    found = every_result("den long")
    assert sorted(found) == sorted(a.pk for a in made)
    assert found[:3] == [made[2].pk, made[1].pk, made[0].pk]
    assert search.find("den long").count == 7
    newest_first = search.find("den long", newest_first=True)
    assert [hit.card.id for hit in newest_first.page(1, 7).items] == [a.pk for a in reversed(made[3:])] + found[:3]


def test_a_word_the_statistics_do_not_list_is_read_from_the_gin_index(monkeypatch):
    """PostgreSQL guesses 0.5% of the articles for such a word, and would walk the date
    index through the whole archive when it is rare (search/ranking.py)."""
    for n in range(30):
        write(f"Đèn lồng phố cổ số {n}", body="Treo đèn lồng đỏ.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    monkeypatch.setattr(ranking, "_statistics", {})  # this process's copy is read again
    assert ranking.Plan("vietnamese", "đèn lồng", "default").rare == set()
    assert ranking.Plan("vietnamese", "den long -xyzqw", "default").rare == set()  # an exclusion looks nothing up
    assert ranking.Plan("vietnamese", "đèn lồng xyzqw", "default").rare == set(ranking.VECTORS)
    assert ranking.Plan("vietnamese", "treo", "default").rare == {"title_vector"}  # in no title


def test_the_title_groups_walk_reads_its_own_index_alone():
    """A common word's title matches are walked newest first in
    article_public_titles_by_date, title vectors and all (migration 0026); a listing's
    query, which implies nothing of the title vector, cannot use that index. With
    the listings' indexes dropped (inside the test's transaction) and no other way to
    read in order, only what each query may use is left."""
    write("Đèn lồng phố cổ", body="Treo đèn.")
    group = search.find("đèn lồng").ids.groups[0]
    walk = ranking.title_walk(group.matches, ranking.RANKED)
    listing = Article.objects.published().order_by("-published_at", "-id").values_list("pk", flat=True)[40:61]
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX article_public_by_date, article_public_by_category")
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off")
        for query in (walk, listing):
            sql, params = query.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert "Index Only Scan using article_public_titles_by_date " in plans[0], plans[0]
    assert "article_public_titles_by_date" not in plans[1], plans[1]


def test_a_plain_searchs_compiled_reads_give_what_the_orm_gives():
    """A search with no filter and no exclusion reads its walk, its title group and
    the other matches' ranks from statements compiled once per content version
    (engine.CompiledReads): the same rows as the querysets they were compiled from."""
    word = "đèn lồng"
    write(f"Phố {word}", published_at=ago(50))
    write(f"Làng {word} và mùa {word}", published_at=ago(40))
    others = [write(f"Tin số {n}", body=f"Treo {word}.", published_at=ago(n)) for n in range(1, 4)]
    write("Tin có thẻ", tags=[TagFactory(name="Đèn lồng")], published_at=ago(5))
    write("Không liên quan")
    for query in ("den long", "đèn lồng", "đèn"):
        compiled, orm = engine.CompiledReads(query), ranking.Reads(engine._matches(query))
        assert compiled.head(101) == orm.head(101) and len(orm.head(101)) == 6
        assert compiled.head(2) == orm.head(2) and len(orm.head(2)) == 2  # the walk's length is a parameter
        assert compiled.titles(40) == orm.titles(40) and len(orm.titles(40)) == 2
        ids = [article.pk for article in others]
        assert compiled.others(ids) == orm.others(ids) and len(orm.others(ids)) == 3


def test_a_plain_search_compiles_nothing_once_its_statements_are_compiled(monkeypatch):
    """Django compiles a queryset each time it runs it: a plain search's pages run
    statements compiled already. A filter or an exclusion goes through the ORM."""
    for n in range(3):
        write(f"Đèn lồng số {n}", body="Treo đèn lồng.")
    compiled = []
    compile_sql = SQLCompiler.as_sql

    def counted(compiler, *args, **kwargs):
        compiled.append(compiler.query.model)
        return compile_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    search.find("đèn lồng").page(1)  # compiles its statements, once per content version
    compiled.clear()
    assert len(search.find("đèn lồng").page(1).items) == 3
    assert len(search.find("lồng đèn").page(1).items) == 3
    assert compiled == []
    assert len(search.find("đèn lồng -xyzqw").page(1).items) == 3
    assert len(compiled) >= 3


def test_an_exclusion_reaches_the_body_of_a_title_match(client):
    write("Bão số 3 đổ bộ", body="Mưa lớn gây lũ ở miền núi.")
    write("Bão số 4 tan", body="Trời quang.")
    write("Tin thời tiết", body="Bão số 5 gần bờ.")
    assert results(client, "bão") == ["Bão số 4 tan", "Bão số 3 đổ bộ", "Tin thời tiết"]
    assert results(client, "bão -lũ") == ["Bão số 4 tan", "Tin thời tiết"]


# --------------------------------------------------------------------------- filters


def test_category_filter(client):
    traffic = CategoryFactory(name="Giao thông")
    law = CategoryFactory(name="Pháp luật")
    write("Xử phạt xe quá tải", category=traffic)
    write("Xử phạt hành chính", category=law)
    assert sorted(results(client, "xu phat")) == ["Xử phạt hành chính", "Xử phạt xe quá tải"]
    assert results(client, "xu phat", chuyen_muc=traffic.slug) == ["Xử phạt xe quá tải"]
    assert results(client, "xu phat", chuyen_muc=law.slug, sap_xep="moi-nhat") == ["Xử phạt hành chính"]
    # An unknown category is the reader's mistake, not the server's.
    assert client.get(URL, {"q": "xu phat", "chuyen_muc": "khong-co"}).status_code == 400


def test_date_range_in_day_month_year(client):
    write("Diễn tập ngày mười", published_at=hanoi(2017, 2, 10, 9))
    write("Diễn tập ngày mười lăm", published_at=hanoi(2017, 2, 15, 23, 30))  # 16:30 UTC, still the 15th in Hanoi
    write("Diễn tập ngày mười sáu", published_at=hanoi(2017, 2, 16, 0, 30))  # 17:30 UTC on the 15th
    write("Diễn tập ngày hai mươi", published_at=hanoi(2017, 2, 20, 9))
    q = "dien tap"
    assert len(results(client, q)) == 4
    assert results(client, q, tu_ngay="12/02/2017", den_ngay="15/02/2017") == ["Diễn tập ngày mười lăm"]
    assert results(client, q, tu_ngay="15/02/2017", den_ngay="16/02/2017", sap_xep="moi-nhat") == [
        "Diễn tập ngày mười sáu", "Diễn tập ngày mười lăm",
    ]
    assert sorted(results(client, q, tu_ngay="16/02/2017")) == ["Diễn tập ngày hai mươi", "Diễn tập ngày mười sáu"]
    assert sorted(results(client, q, den_ngay="10/02/2017")) == ["Diễn tập ngày mười"]
    # Both ends included.
    assert len(results(client, q, tu_ngay="10/02/2017", den_ngay="20/02/2017")) == 4


def test_reversed_date_range_is_a_vietnamese_error_and_400(client):
    write("Diễn tập ngày mười", published_at=hanoi(2017, 2, 10, 9))
    response = client.get(URL, {"q": "dien tap", "tu_ngay": "20/02/2017", "den_ngay": "10/02/2017"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "“Từ ngày” phải trước “Đến ngày”." in content
    assert 'role="alert"' in content
    assert titles(content) == []


def test_unreadable_date_is_400_not_500(client):
    for value in ("31/02/2017", "2017/13/45", "hôm qua", "99/99/9999"):
        response = client.get(URL, {"q": "dien tap", "tu_ngay": value})
        assert response.status_code == 400, value


# --------------------------------------------------------------------------- what a result shows


def test_result_shows_title_date_category_thumbnail_and_marked_snippet(client):
    category = CategoryFactory(name="Đời sống")
    with_photo = write(
        "Phong trào thi đua ở phường",
        body="Đoạn mở đầu nói chuyện khác.\n\nCả khu phố hưởng ứng phong trào thi đua xây dựng nếp sống văn minh.",
        category=category, published_at=hanoi(2017, 2, 15, 9, 30),
    )
    PhotoFactory(article=with_photo)
    without_photo = write(
        "Tổng kết năm", body="Khen thưởng tập thể có thành tích thi đua xuất sắc.",
        category=category, published_at=hanoi(2017, 2, 14, 9, 30),
    )
    page = Page(client.get(URL, {"q": "thi dua"}))
    cards = page.sections("result", tag="article")
    assert len(cards) == 2
    first, second = cards

    assert card_urls(first) == [with_photo.get_absolute_url()]
    assert titles(first) == ["Phong trào thi đua ở phường"]
    assert "<mark>thi</mark> <mark>đua</mark>" in first  # the title, marked
    assert '<time datetime="2017-02-15T09:30:00+07:00">15/02/2017</time>' in first
    assert f'<a href="{category.get_absolute_url()}">Đời sống</a>' in first
    assert 'class="card-thumb"' in first and "<img " in first
    snippet = snippets(first)[0]
    # The accented words of the text are marked for the unaccented query.
    assert "<mark>thi</mark> <mark>đua</mark>" in snippet
    assert "hưởng ứng phong trào" in snippet

    assert card_urls(second) == [without_photo.get_absolute_url()]
    assert "14/02/2017" in second and "Đời sống" in second
    assert "card-thumb" not in second and "<img " not in second
    assert "<mark>thi</mark> <mark>đua</mark> xuất sắc" in snippets(second)[0]


def test_count_line_and_query_echo(client):
    write("Thi đua lao động")
    write("Thi đua học tập")
    page = Page(client.get(URL, {"q": "thi dua"}))
    assert "Tìm thấy 2 bài." in page.html
    assert "Kết quả tìm kiếm “thi dua”" in page.html
    assert page.titles[0].startswith("Tìm “thi dua” – ")
    assert 'value="thi dua"' in page.html  # the box keeps the query


def test_snippet_escapes_ampersand_and_lone_angle_brackets(client):
    write("Giá vàng hôm nay", body="Giá vàng & bạc tăng; 3 < 5 và 7 > 2; AT&T; ghi chú &amp; hết.")
    page = Page(client.get(URL, {"q": "gia vang"}))
    snippet = snippets(page.html)[0]
    assert "<mark>vàng</mark> &amp; bạc" in snippet
    assert "3 &lt; 5" in snippet and "7 &gt; 2" in snippet
    assert "AT&amp;T" in snippet
    assert "&amp;amp; hết" in snippet  # the text "&amp;" shows as typed
    # Only <mark> elements in the snippet.
    assert set(re.findall(r"<(/?\w+)", snippet)) == {"mark", "/mark"}


def test_snippet_shows_the_words_of_a_rich_body_never_its_markup(client):
    """A body is HTML: a bold word and a word in a link are found and shown as words;
    an escaped "<Hamlet>" is the article's text and shows as typed."""
    write("Giá vàng hôm nay", body='<p>Giá <strong>vàng</strong> &amp; bạc tăng. Vở kịch &lt;Hamlet&gt; tái diễn, '
                                   '<a href="https://example.com/x">xem bảng giá</a>.</p>')
    page = Page(client.get(URL, {"q": "gia vang"}))
    snippet = snippets(page.html)[0]
    assert "<strong>" not in snippet and "href" not in snippet and "example.com" not in snippet
    assert "<mark>vàng</mark> &amp; bạc" in snippet, snippet
    assert "&lt;Hamlet&gt;" in snippet and "xem bảng <mark>giá</mark>" in snippet, snippet


@pytest.mark.parametrize("cut, inside", [('<a href="https://example.com/bang-gia">bảng</a>', 15), ("&#7897;", 4)])
def test_snippet_source_cut_inside_a_tag_or_entity_shows_no_piece_of_it(client, cut, inside):
    """The snippet is chosen from the body's first SNIPPET_SOURCE characters: where
    that cut falls inside a tag or an entity, none of it shows."""
    filler = "<p>" + "Thị trường ổn định. " * ((search.engine.SNIPPET_SOURCE - 60) // 20)
    # The matched words stand just before the tag or entity, whose first `inside`
    # characters come before the cut.
    near = "Giá vàng tăng "
    padding = "x" * (search.engine.SNIPPET_SOURCE - len(filler) - len(near) - inside)
    write("Tin hôm nay", lead="Tin thị trường.", body=f"{filler}{near}{padding} {cut} tiếp theo.</p>")
    page = Page(client.get(URL, {"q": "gia vang"}))
    snippet = snippets(page.html)[0]
    assert "<mark>vàng</mark> tăng" in snippet, snippet
    assert set(re.findall(r"<(/?\w+)", snippet)) == {"mark", "/mark"}, snippet
    assert "&lt;" not in snippet and "href" not in snippet and "&amp;" not in snippet, snippet


def test_title_with_markup_is_escaped(client):
    write("Vở kịch <Hamlet> & <b>đậm</b> tái diễn", body="Tin văn hóa: vở kịch tái diễn.")
    page = Page(client.get(URL, {"q": "vo kich"}))
    card = page.sections("result", tag="article")[0]
    assert "&lt;Hamlet&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;" in card
    assert "<b>" not in card and "<Hamlet>" not in card


def test_private_use_markers_in_text_do_not_become_markup(client):
    write("Ký tự lạ", body="Chuỗi \ue000<script>alert(1)</script>\ue001 trong bài về ký tự.")
    content = client.get(URL, {"q": "ky tu"}).content.decode()
    assert "<script>alert" not in content
    assert "<mark>" in content


# --------------------------------------------------------------------------- the vector kept current


def test_renaming_a_tag_updates_its_articles(client):
    tag = TagFactory(name="Cầu Long Biên")
    write("Ảnh đẹp Hà Nội", tags=[tag])
    assert results(client, "long bien") == ["Ảnh đẹp Hà Nội"]
    tag.name = "Cầu Chương Dương"
    tag.save()
    assert results(client, "chuong duong") == ["Ảnh đẹp Hà Nội"]
    assert results(client, "long bien") == []
    # A bulk rename, behind the model's back, too.
    Tag.objects.filter(pk=tag.pk).update(name="Cầu Thăng Long")
    assert results(client, "thang long") == ["Ảnh đẹp Hà Nội"]
    assert results(client, "chuong duong") == []


def test_renaming_a_category_updates_its_articles(client):
    category = CategoryFactory(name="Văn hóa nghệ thuật")
    write("Triển lãm tranh", category=category)
    assert results(client, "nghe thuat") == ["Triển lãm tranh"]
    category.name = "Giải trí"
    category.save()
    assert results(client, "giai tri") == ["Triển lãm tranh"]
    assert results(client, "nghe thuat") == []
    Category.objects.filter(pk=category.pk).update(name="Thể thao")
    assert results(client, "the thao") == ["Triển lãm tranh"]
    assert results(client, "giai tri") == []


def test_adding_and_removing_tags_updates_the_article(client):
    article = write("Ảnh đẹp Hà Nội")
    tag = TagFactory(name="Hồ Gươm")
    other = TagFactory(name="Phố cổ")
    assert results(client, "ho guom") == []
    article.tags.add(tag, other)
    assert results(client, "ho guom") == ["Ảnh đẹp Hà Nội"]
    assert results(client, "pho co") == ["Ảnh đẹp Hà Nội"]
    article.tags.remove(tag)
    assert results(client, "ho guom") == []
    assert results(client, "pho co") == ["Ảnh đẹp Hà Nội"]
    article.tags.set([tag])
    assert results(client, "ho guom") == ["Ảnh đẹp Hà Nội"]
    assert results(client, "pho co") == []
    article.tags.clear()
    assert results(client, "ho guom") == []
    # Deleting a tag takes its words away from its articles.
    article.tags.add(other)
    other.delete()
    assert results(client, "pho co") == []


def test_editing_title_and_body_updates_the_article(client):
    article = write("Khai mạc hội chợ", body="Hội chợ có nhiều gian hàng nông sản.")
    assert results(client, "hoi cho") == ["Khai mạc hội chợ"]
    assert results(client, "nong san") == ["Khai mạc hội chợ"]

    article.body = "Lễ hội có nhiều gian hàng thủ công."
    article.save()
    assert results(client, "thu cong") == ["Khai mạc hội chợ"]
    assert results(client, "nong san") == []

    article.title = "Bế mạc triển lãm"
    article.save()
    assert results(client, "trien lam") == ["Bế mạc triển lãm"]
    assert results(client, "hoi cho") == []

    article.lead = "Sapo mới về làng nghề."
    article.save()
    assert results(client, "lang nghe") == ["Bế mạc triển lãm"]

    # An update that skips save() goes through the trigger all the same.
    Article.objects.filter(pk=article.pk).update(body="Đoạn về gốm Bát Tràng.")
    assert results(client, "bat trang") == ["Bế mạc triển lãm"]
    assert results(client, "thu cong") == []
    stored = Article.objects.get(pk=article.pk).search_vector
    assert "'trang'" in stored and "'cong'" not in stored


def test_the_title_vector_is_the_titles_part_however_the_article_is_written(client):
    """PostgreSQL generates it from search_vector (migration 0020), after the triggers
    and the bulk loaders have written that: nothing else keeps it."""
    article = write("Khai mạc hội chợ", lead="Sapo về nông sản.", tags=[TagFactory(name="Hội chợ xuân")])
    Article.objects.filter(pk=article.pk).update(title="Bế mạc triển lãm")  # past the model: the trigger
    article.tags.add(TagFactory(name="Làng nghề"))  # the tag table's trigger rewrites search_vector
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title_vector::text, title_vector = ts_filter(search_vector, '{a}') FROM articles_article WHERE id = %s",
            [article.pk],
        )
        title_vector, same = cursor.fetchone()
    assert same
    assert "'trien'" in title_vector and "'hoi'" not in title_vector and "'nghe'" not in title_vector
    # The new title is a title match, before a newer body match.
    write("Tin khác", body="Bế mạc triển lãm ở làng.", published_at=ago(0.5))
    assert results(client, "be mac trien lam") == ["Bế mạc triển lãm", "Tin khác"]


# --------------------------------------------------------------------------- no result, suggestions


def test_no_result_message_and_suggestion_from_the_archives_words(client):
    write("Phòng cháy chữa cháy mùa khô", lead="Cảnh sát phòng cháy chữa cháy kiểm tra chợ.")
    write("Phòng chống cháy rừng", lead="Cháy rừng ở Sóc Sơn.")
    write("Chạy bộ vì sức khỏe")  # "chạy": rarer than "cháy" in the archive
    assert search.refresh_terms() > 0

    response = client.get(URL, {"q": "phong chay chua chayy"})
    page = Page(response)
    assert titles(page.html) == []
    assert NO_RESULTS in page.html
    assert "“phong chay chua chayy”" in page.html
    assert SUGGESTION in page.html
    suggestion = re.search(r'<p class="suggestion">Có phải bạn muốn tìm: <a href="([^"]+)">([^<]+)</a>', page.html)
    assert suggestion, page.section("suggestion")
    href, words = html.unescape(suggestion.group(1)), html.unescape(suggestion.group(2))
    assert words.split()[-1] == "cháy"  # the misspelled word, as the archive spells it
    typed = "phong chay chua chayy".split()
    for word in words.split():  # every word typed and found, or one of the archive's own
        assert word in typed[:3] or SearchTerm.objects.filter(word=word).exists(), word
    assert "chạy" not in words  # the archive's frequent spelling wins
    # Following the suggestion finds the article.
    assert href.startswith("?q=")
    assert results(client, words) == ["Phòng cháy chữa cháy mùa khô"]
    assert titles(client.get(URL + href).content.decode()) == ["Phòng cháy chữa cháy mùa khô"]


def test_misspelled_name_suggests_the_accented_name(client):
    write("Tượng đài Hai Bà Trưng", lead="Lễ dâng hương tưởng niệm Hai Bà Trưng.")
    write("Kỷ niệm ngày Nhà giáo")
    search.refresh_terms()
    page = Page(client.get(URL, {"q": "Hai Ba Trungg"}))
    assert NO_RESULTS in page.html
    suggestion = re.search(r"Có phải bạn muốn tìm: <a href=\"([^\"]+)\">([^<]+)</a>", page.html)
    assert suggestion
    assert html.unescape(suggestion.group(2)) == "hai ba trưng"
    assert titles(client.get(URL + html.unescape(suggestion.group(1))).content.decode()) == ["Tượng đài Hai Bà Trưng"]


def test_suggestions_come_only_from_public_articles(client):
    write("Khánh thành bệnh viện", status=Article.Status.DRAFT, published_at=None)
    write("Khánh thành trường học", published_at=ago(-48))  # scheduled
    search.refresh_terms()
    page = Page(client.get(URL, {"q": "khanh thanhh"}))
    assert NO_RESULTS in page.html
    assert SUGGESTION not in page.html


def test_no_suggestion_when_nothing_is_close(client):
    write("Phòng cháy chữa cháy")
    search.refresh_terms()
    page = Page(client.get(URL, {"q": "xyzqwv"}))
    assert NO_RESULTS in page.html
    assert SUGGESTION not in page.html


# --------------------------------------------------------------------------- hostile input

HOSTILE = [
    "",
    " ",
    "x" * 5000,
    "thi đua " * 700,
    "thi\x00đua",
    "\x00",
    "\x00\x00\x00",
    "&", "|", "!", "(", ")", ":", "*", "<->", "\\", "&|!():*<->\\",
    "thi & đua", "thi | đua", "!thi", "(thi", "thi)", "thi:*", "thi:A", "thi <-> đua", "thi <2> đua",
    "thi\\", "\\thi", "'thi'", "''", "'", '"', '"thi', 'thi"', '"""', "' OR 1=1 --", "thi'; DROP TABLE articles_article; --",
    "-", "--", "-thi", "OR", "OR OR", "thi OR", "OR thi", "- OR -",
    "%", "%%", "_", "\ufffd", "\ue000thi\ue001", "\ufffd\ufffd\ufffd",
    "\u202e\u200b\ufeff", "\x1b[31m", "\x7f", "𝕥𝕙𝕚 🚓",
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "</title><script>alert(1)</script>",
]


@pytest.fixture
def archive(db):
    return write("Phong trào thi đua <i>yêu nước</i>", body="Nội dung thi đua & khen thưởng.")


@pytest.mark.parametrize("q", HOSTILE, ids=[f"q{i}" for i in range(len(HOSTILE))])
def test_hostile_queries_never_answer_500(client, archive, q):
    for params in ({"q": q}, {"q": q, "sap_xep": "moi-nhat"}):
        response = client.get(URL, params)
        assert response.status_code in (200, 400), (q[:50], response.status_code)
        content = response.content.decode()
        assert "<script>alert" not in content
        assert "<img src=x" not in content


@pytest.mark.parametrize(
    "raw",
    [
        "q=%ED%A0%80",  # an encoded surrogate: not UTF-8
        "q=%ED%A0%80thi%20%C4%91ua",
        "q=%FF%FE%FD",
        "q=%C3",  # cut in the middle of a character
        "q=thi%C4",
        "q=%E0%80%80",  # overlong
        "q=%F4%90%80%80",  # beyond U+10FFFF
        "q=%00",
        "q=%",
        "q=%%",
        "q=%zz",
        "q=thi+%26+%7C+%21+%28+%29+%3A+%2A+%3C-%3E+%5C",
        "q=%22",
        "q=%27",
        "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "q=thi&q=%ED%A0%80",
        "q=thi&sap_xep=%ED%A0%80",
        "q=thi&chuyen_muc=%ED%A0%80",
        "q=thi&tu_ngay=%ED%A0%80",
        "q=thi&page=%ED%A0%80",
        "q=thi&page=-1",
        "q=thi&page=99999999999999999999",
        "q=thi&page=0",
    ],
)
def test_broken_query_strings_never_answer_500(client, archive, raw):
    response = client.get(URL, QUERY_STRING=raw)
    assert response.status_code in (200, 400, 404), (raw, response.status_code)
    assert "<script>alert" not in response.content.decode()
    # The same bytes in the URL itself.
    response = client.get(f"{URL}?{raw}")
    assert response.status_code in (200, 400, 404), (raw, response.status_code)


def test_broken_utf8_still_searches_the_valid_part(client, archive):
    response = client.get(URL, QUERY_STRING="q=%ED%A0%80thi%20%C4%91ua")
    assert response.status_code == 200
    assert titles(response.content.decode()) == [archive.title]


def test_nul_bytes_are_not_echoed_raw_nor_refused_in_english(client, archive):
    """clean_query() turns control characters into spaces; a NUL must not reach the page
    raw, nor draw Django's untranslated "Null characters are not allowed."."""
    for q in ("thi\x00đua", "\x00", "<script>\x00alert(1)</script>"):
        response = client.get(URL, {"q": q})
        assert response.status_code in (200, 400), q
        content = response.content.decode()
        assert "\x00" not in content, (q, re.findall(r".{40}\x00.{40}", content, re.S))
        assert "Null characters are not allowed" not in content, q
        assert "<script>" not in content
    assert results(client, "thi\x00đua") == [archive.title]


def test_operators_are_ignored_not_errors(client, archive):
    assert results(client, "thi & đua") == [archive.title]
    assert results(client, "(thi) !!! đua:*") == [archive.title]
    assert results(client, "thi <-> đua \\") == [archive.title]


def test_long_query_is_cut_and_echoed_once(client, archive):
    response = client.get(URL, {"q": "thi đua " + "x" * 5000})
    assert response.status_code == 200
    page = Page(response)
    # What is searched for, and named in the heading and title, is at most 200 characters.
    heading = re.search(r'<h1 class="page-title">(.*?)</h1>', page.html, re.S).group(1)
    assert "x" * (MAX_QUERY_LENGTH - len("thi đua ")) in heading
    assert "x" * (MAX_QUERY_LENGTH + 1) not in heading
    assert "x" * (MAX_QUERY_LENGTH + 1) not in page.titles[0]
    assert 'value="thi đua x' in page.html  # the site box keeps the cut query
    assert re.search(r'id="site-search-q"[^>]*value="thi đua x{192}"', page.html)


def test_html_in_query_is_escaped_everywhere(client, archive):
    payload = '<script>alert("x")</script>'
    for q in (payload, f"thi đua {payload}"):
        response = client.get(URL, {"q": q})
        assert response.status_code == 200
        content = response.content.decode()
        assert "<script>" not in content
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    # In the result's own title, markup of the text is escaped too.
    content = client.get(URL, {"q": "thi dua"}).content.decode()
    assert "&lt;i&gt;yêu nước&lt;/i&gt;" in content and "<i>" not in content


def test_empty_query_shows_the_form_only(client, archive):
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "\t\n"}):
        response = client.get(URL, params)
        assert response.status_code == 200, params
        content = response.content.decode()
        assert titles(content) == []
        assert NO_RESULTS not in content
        assert 'class="search-form"' in content


# --------------------------------------------------------------------------- visibility


def test_drafts_and_scheduled_articles_are_never_found(client):
    write("Phương án giải phóng mặt bằng", status=Article.Status.DRAFT, published_at=None)
    write("Phương án giải phóng mặt bằng hẹn giờ", published_at=ago(-24))
    write("Phương án giải phóng mặt bằng nháp có ngày", status=Article.Status.DRAFT, published_at=ago(24))
    public = write("Công bố quy hoạch", body="Không nhắc gì khác.")
    for params in ({}, {"sap_xep": "moi-nhat"}):
        response = client.get(URL, {"q": "giai phong mat bang", **params})
        content = response.content.decode()
        assert titles(content) == []
        assert NO_RESULTS in content
        assert "Phương án" not in content
    assert results(client, "quy hoach") == [public.title]


def test_scheduled_article_is_found_once_its_time_comes(client):
    article = write("Thông báo tuyển sinh", published_at=ago(-24))
    assert results(client, "tuyen sinh") == []
    Article.objects.filter(pk=article.pk).update(published_at=ago(1))
    assert results(client, "tuyen sinh") == ["Thông báo tuyển sinh"]


def test_admin_search_finds_drafts_with_the_same_engine(client, editor):
    write("Phương án giải phóng mặt bằng", status=Article.Status.DRAFT, published_at=None)
    write("Dự thảo hẹn giờ về giải phóng", published_at=ago(-24))
    write("Tin đã đăng về giải phóng mặt bằng", published_at=ago(24))
    write("Tin không liên quan")
    client.force_login(editor)
    response = client.get("/admin/articles/article/", {"q": "giai phong mat bang"})
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert "Phương án giải phóng mặt bằng" in content
    assert "Tin đã đăng về giải phóng mặt bằng" in content
    assert "Dự thảo hẹn giờ về giải phóng" not in content  # "mat bang" missing
    assert "Tin không liên quan" not in content
    # Web search syntax and tone placement, as for readers.
    content = html.unescape(client.get("/admin/articles/article/", {"q": "giải phóng -đăng"}).content.decode())
    assert "Phương án giải phóng mặt bằng" in content and "Dự thảo hẹn giờ về giải phóng" in content
    assert "Tin đã đăng về giải phóng mặt bằng" not in content
    # Hostile input in the admin box is no error either.
    for q in ("\x00", "&|!():*<->\\", '"', "x" * 5000):
        assert client.get("/admin/articles/article/", {"q": q}).status_code == 200


def test_reporter_admin_search_finds_drafts_too(client, reporter):
    write("Bản thảo phóng sự điều tra", status=Article.Status.DRAFT, published_at=None)
    client.force_login(reporter)
    content = html.unescape(client.get("/admin/articles/article/", {"q": "phong su dieu tra"}).content.decode())
    assert "Bản thảo phóng sự điều tra" in content


# --------------------------------------------------------------------------- page furniture


def test_result_pages_are_noindex_follow(client):
    write("Thi đua lao động")
    for params in ({"q": "thi dua"}, {"q": "khongcotu"}, {}, {"q": ""}):
        page = Page(client.get(URL, params))
        assert page.meta("robots") == "noindex, follow", params
    response = client.get(URL, {"q": "thi dua", "tu_ngay": "20/02/2017", "den_ngay": "10/02/2017"})
    assert response.status_code == 400
    assert '<meta name="robots" content="noindex, follow">' in response.content.decode()


def search_forms(content):
    """The <form role="search"> elements of a page, as (opening tag, inner HTML)."""
    return re.findall(r'(<form\b[^>]*\brole="search"[^>]*>)(.*?)</form>', content, re.S)


def assert_search_form(content, where):
    forms = search_forms(content)
    assert forms, f"{where}: no search form"
    for opening, inner in forms:
        assert re.search(r'\bmethod="get"', opening), (where, opening)
        assert re.search(r'\baction="/tim-kiem/"', opening), (where, opening)
        assert re.search(r'<input\b[^>]*\bname="q"', inner), (where, inner)


def test_every_page_has_the_search_form(client):
    article = write("Thi đua lao động", tags=[TagFactory(name="Lao động")])
    pages = {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": article.category.get_absolute_url(),
        "tag": article.tags.get().get_absolute_url(),
        "search": URL + "?q=thi+dua",
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (where, url)
        content = response.content.decode()
        assert_search_form(content, where)
        assert '<form class="site-search" role="search" method="get" action="/tim-kiem/">' in content, where


# --------------------------------------------------------------------------- pagination


def test_pagination_of_25_results(client):
    start = hanoi(2020, 1, 1, 8)
    articles = [
        write(f"Bản tin giao thông số {n}", published_at=start + n * HOURS) for n in range(1, 26)
    ]
    write("Bản tin thời tiết")  # not a match
    newest_first = [a.title for a in reversed(articles)]

    first = client.get(URL, {"q": "giao thong"})
    content = first.content.decode()
    assert first.status_code == 200
    assert titles(content) == newest_first[:20]
    assert "Tìm thấy 25 bài." in content
    assert 'rel="next"' in content and 'rel="prev"' not in content

    second = client.get(URL, {"q": "giao thong", "page": 2})
    content = second.content.decode()
    assert second.status_code == 200
    assert titles(content) == newest_first[20:]
    assert "Tìm thấy 25 bài." in content
    assert 'rel="prev"' in content and 'rel="next"' not in content
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first.content.decode()).group(1)
    assert titles(client.get(URL + html.unescape(next_link)).content.decode()) == newest_first[20:]

    assert client.get(URL, {"q": "giao thong", "page": 3}).status_code == 404
    # Newest-first order pages the same way.
    assert titles(client.get(URL, {"q": "giao thong", "sap_xep": "moi-nhat", "page": 2}).content.decode()) == newest_first[20:]


@pytest.mark.parametrize("data", [
    {}, {"chuyen_muc": "giao-thong", "sap_xep": "moi-nhat"}, {"chuyen_muc": "khong-co"},
    {"q": 'a "b" <c> & d', "tu_ngay": "15/02/2017", "den_ngay": "ngày mai"},
])
def test_the_forms_quick_widgets_say_what_djangos_say(data):
    """articles/forms.QuickSelect, QuickInput and QuickDateInput render in Python what
    Django's templates render: the same options, the chosen one selected, the value
    escaped, a date in the field's format, the field's error attributes."""
    import re

    from django import forms as django_forms

    from articles.forms import SearchForm
    CategoryFactory(name="Giao thông")
    CategoryFactory(name="Hình sự")
    quick = SearchForm({"q": "x", **data})
    plain = SearchForm({"q": "x", **data})
    for name in ("chuyen_muc", "sap_xep"):
        plain.fields[name].widget = django_forms.Select(choices=plain.fields[name].widget.choices)
    plain.fields["q"].widget = django_forms.TextInput()
    for name in ("tu_ngay", "den_ngay"):
        plain.fields[name].widget = django_forms.DateInput(attrs=dict(plain.fields[name].widget.attrs))
    quick.is_valid(), plain.is_valid()

    def canonical(html):  # whitespace between options and the order of attributes aside
        html = re.sub(r">\s+<", "><", str(html))
        return re.sub(r"<(\w+) ([^>]*)>", lambda m: "<%s %s>" % (m[1], " ".join(sorted(m[2].split()))), html)

    for name in quick.fields:
        assert canonical(quick[name]) == canonical(plain[name])
    assert 'value="giao-thong"' in str(quick["chuyen_muc"])


@pytest.mark.django_db(transaction=True)
def test_a_search_cut_by_the_statement_timeout_tells_its_reader_to_try_again(client):
    """A web worker's statements stop after 2 s (settings): a search that PostgreSQL
    does not finish in time (here, its table locked by another session) answers
    503 with a Vietnamese notice on the search page, not a server error."""
    ArticleFactory(title="Thi đua lập công", lead=LEAD, body=BODY)
    assert card_titles(client.get(URL, {"q": "thi đua"}).content.decode()) == ["Thi đua lập công"]  # menu, form kept
    locker = psycopg2.connect(**connection.get_connection_params())
    try:
        locker.cursor().execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = '300ms'")
        response = client.get(URL, {"q": "lập công"})
    finally:
        locker.rollback()
        locker.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "Tìm kiếm “lập công” cần nhiều thời gian hơn máy chủ cho phép lúc này nên đã dừng lại." in page
    assert 'name="q"' in page and NO_RESULTS not in page
    # The table free again, the same search answers.
    assert card_titles(client.get(URL, {"q": "lập công"}).content.decode()) == ["Thi đua lập công"]
