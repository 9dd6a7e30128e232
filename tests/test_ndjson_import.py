"""NDJSON import: `manage.py import_articles --format ndjson FILE` (articles/ndjson.py,
migration 0007), one article per line, plain lines written in bulk by SQL and the
others through importer.save_parsed.

Every test here is transactional: the import writes from worker threads, each on a
connection of its own, which would neither see nor be seen by a test transaction.
"""
import html
import io
import json
import threading
import time
import unicodedata
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from articles.caching import version as content_cache
from articles.imports import ndjson
from articles.imports import plaintext as importer
from articles.models import Article, Category, Photo, Tag, Tagging
from articles.richtext import layout
from tests.conftest import media_files
from tests.factories import ArticleFactory, hanoi, jpeg_bytes, placements
from tests.reader import card_titles

pytestmark = pytest.mark.django_db(transaction=True)

FOUNDED = "2017-02-15T17:30:00+07:00"
TITLE = "Đổi mới biện pháp"
SAPO = "Chiều 15-2, Công an thành phố tổ chức hội nghị ký giao ước thi đua năm 2017."
PARAGRAPHS = [
    "Tại hội nghị, các đơn vị đã báo cáo kết quả thực hiện phong trào thi đua.",
    "Với tinh thần đoàn kết, các đơn vị cam kết hoàn thành xuất sắc nhiệm vụ được giao.",
]
CAPTIONED_BODY = [
    "Đoạn thứ nhất của bài.",
    "Ảnh hiện trường vụ việc",
    "Đoạn thứ hai của bài.",
    "Lực lượng chức năng làm nhiệm vụ",
    "Đoạn thứ ba của bài.",
]


# --------------------------------------------------------------------------- helpers


def entry(key, title, **fields):
    """One NDJSON record: a published article of 15-2-2017 unless told otherwise."""
    return {"id": key, "title": title, "sapo": SAPO, "body": PARAGRAPHS, "published_at": FOUNDED, **fields}


def write_ndjson(folder, lines, name="xuat-tu-cms-cu.ndjson"):
    """Records (dicts) as JSON lines; a str is written as it is (for broken lines)."""
    path = folder / name
    raw = [line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines]
    path.write_text("\n".join(raw) + "\n", encoding="utf-8")
    return path


def run_import(path):
    """(stdout, stderr, CommandError or None) of `import_articles --format ndjson path`."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", "--format", "ndjson", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def scalar(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def stale_vectors():
    """Articles whose stored vector is not what the database's own definition gives."""
    return scalar(
        "SELECT count(*) FROM articles_article a WHERE search_vector IS DISTINCT FROM articles_search_vector(a)"
    )


def taggings_out_of_step():
    """Article–tag links that do not carry their article's status and time."""
    return scalar(
        "SELECT count(*) FROM articles_article_tags t JOIN articles_article a ON a.id = t.article_id "
        "WHERE t.status IS DISTINCT FROM a.status OR t.published_at IS DISTINCT FROM a.published_at"
    )


def stored():
    """Everything an import decides about each article, by its id in the old CMS."""
    articles = Article.objects.select_related("category").prefetch_related("tags", "photos")
    return {
        a.external_id: {
            # Photo ids differ from one import to another; where the body places them does not.
            "title": a.title, "slug": a.slug, "lead": a.lead, "author": a.author,
            "body": layout.PLACEHOLDER.sub("<figure></figure>", a.body),
            "source": a.source, "category": a.category.name if a.category else None, "status": a.status,
            "published_at": a.published_at, "tags": sorted(t.name for t in a.tags.all()),
            "photos": [(before, p.caption, p.width) for before, p in placements(a)],
            "search_vector": a.search_vector,
        }
        for a in articles
    }


def page_titles(response):
    assert response.status_code == 200, response.status_code
    return [html.unescape(title) for title in card_titles(response.content.decode())]


def originals(media_root):
    """Photo files as stored (renditions aside)."""
    return [name for name in media_files(media_root) if name.startswith("photos/")]


def every_line_through_save_parsed(monkeypatch):
    """From now on no line counts as plain: the ORM path, article by article."""
    monkeypatch.setattr(ndjson.Line, "is_plain", property(lambda line: False))


def count_calls(monkeypatch, module, name):
    """Count the calls of module.name (still calling it); returns the list of calls."""
    calls = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


# --------------------------------------------------------------------------- the bulk path


def test_bulk_written_articles_are_what_the_orm_path_stores(tmp_path, monkeypatch):
    path = write_ndjson(tmp_path, [
        entry(101, TITLE, body=PARAGRAPHS, category="Chính trị - Xã hội", tags=["Công an TP Hà Nội", "thi đua"],
              author="HẢI NAM", source="ANTD.VN"),
        entry("cms-102", "Triệt phá nhóm trộm xe máy", sapo=None, lead="Sapo gửi dưới tên lead.",
              body="  Đoạn một.\r\n\r\n\r\nĐoạn hai.  \n \nĐoạn ba.", category="An ninh trật tự", tags=["thi đua"]),
        entry("cms-103", "Bản nháp chưa duyệt", status="draft", published_at="2017-02-16T08:00:00+07:00"),
    ])
    orm_saves = count_calls(monkeypatch, ndjson, "save_parsed")

    report = ndjson.import_file(path)

    assert (report.added, report.updated, report.errors) == (3, 0, [])
    assert orm_saves == []  # every line was plain: all three went in by the bulk statement
    article = Article.objects.get(external_id="101")
    assert article.title == TITLE
    assert article.slug == "doi-moi-bien-phap"
    assert article.get_absolute_url() == "/2017/02/15/doi-moi-bien-phap/"
    assert article.lead == SAPO
    assert article.paragraphs() == PARAGRAPHS
    assert (article.author, article.source) == ("Hải Nam", "ANTD.VN")
    assert article.category.name == "Chính trị - Xã hội"
    assert sorted(article.tags.values_list("name", flat=True)) == ["Công an TP Hà Nội", "thi đua"]
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == hanoi(2017, 2, 15, 17, 30)
    second = Article.objects.get(external_id="cms-102")
    assert second.lead == "Sapo gửi dưới tên lead."
    assert second.body == "<p>Đoạn một.</p><p>Đoạn hai.</p><p>Đoạn ba.</p>"
    assert second.source == ""  # as save_parsed stores a line without a source
    draft = Article.objects.get(external_id="cms-103")
    assert (draft.status, draft.published_at) == (Article.Status.DRAFT, hanoi(2017, 2, 16, 8))
    assert stale_vectors() == 0
    assert set(Tagging.objects.filter(article=article).values_list("status", "published_at")) == {
        (Article.Status.PUBLISHED, hanoi(2017, 2, 15, 17, 30))
    }
    assert Tagging.objects.count() == 3
    assert taggings_out_of_step() == 0
    bulk = stored()

    # The same file again into an empty archive, every line through save_parsed.
    Article.objects.all().delete()
    every_line_through_save_parsed(monkeypatch)
    report = ndjson.import_file(path)

    assert (report.added, report.updated, report.errors) == (3, 0, [])
    assert len(orm_saves) == 3
    assert stored() == bulk


def test_windows_line_breaks_in_a_sapo_are_stored_as_the_orm_path_stores_them(tmp_path, monkeypatch):
    lines = [entry("crlf", "Sapo hai dòng", sapo="Dòng thứ nhất của sapo.\r\nDòng thứ hai của sapo.")]

    ndjson.import_file(write_ndjson(tmp_path, lines))
    bulk = Article.objects.get(external_id="crlf").lead
    Article.objects.all().delete()
    every_line_through_save_parsed(monkeypatch)
    ndjson.import_file(write_ndjson(tmp_path, lines))
    orm = Article.objects.get(external_id="crlf").lead

    assert orm == "Dòng thứ nhất của sapo.\nDòng thứ hai của sapo."
    assert bulk == orm


def test_decomposed_input_is_stored_composed_and_found_by_site_search(tmp_path, client):
    nfd = lambda value: unicodedata.normalize("NFD", value)  # noqa: E731
    path = write_ndjson(tmp_path, [
        entry(nfd("bài-tổ-hợp"), nfd(TITLE), sapo=nfd(SAPO), body=[nfd(p) for p in PARAGRAPHS],
              category=nfd("Chính trị - Xã hội"), tags=[nfd("Công an TP Hà Nội")], author=nfd("HẢI NAM")),
    ])

    out, err, error = run_import(path)

    assert error is None, err
    article = Article.objects.get()
    assert article.external_id == "bài-tổ-hợp"
    assert (article.title, article.lead, article.paragraphs()) == (TITLE, SAPO, PARAGRAPHS)
    assert article.author == "Hải Nam"
    assert article.category.name == "Chính trị - Xã hội"
    assert list(article.tags.values_list("name", flat=True)) == ["Công an TP Hà Nội"]
    assert article.slug == "doi-moi-bien-phap"
    assert stale_vectors() == 0
    # The search reads the stored vector: words of the title, of a tag and of the body.
    for query in ("doi moi bien phap", "công an tp", "hoan thanh xuat sac"):
        assert page_titles(client.get("/tim-kiem/", {"q": query})) == [TITLE], query


# --------------------------------------------------------------------------- bad lines


def test_bad_lines_are_reported_by_number_in_vietnamese_and_the_others_imported(tmp_path):
    (tmp_path / "co-that.jpg").write_bytes(jpeg_bytes())
    path = write_ndjson(tmp_path, [
        entry("tot-1", "Bài tốt thứ nhất"),                                       # 1
        '{"id": "hong", "title": "JSON hỏng"',                                     # 2
        '["id", "title"]',                                                         # 3
        {"title": "Không có mã bài", "body": "Nội dung."},                         # 4
        {"id": "khong-tieu-de", "body": "Nội dung."},                              # 5
        entry("la", "Trường lạ", tieu_de="Tiêu đề"),                              # 6
        entry("gio", "Không múi giờ", published_at="2017-02-15T17:30:00"),        # 7
        entry("trang-thai", "Trạng thái lạ", status="live"),                      # 8
        entry("the", "Thẻ không phải danh sách", tags="thi đua, Hà Nội"),         # 9
        entry("dai", "Rất dài " * 38),                                             # 10: 303 characters
        "",                                                                        # 11: blank, skipped
        entry("nul", "Có ký tự NUL", body="Đoạn một.\u0000"),                     # 12
        entry("anh", "Thiếu ảnh", photos=["co-that.jpg", "mat-roi.jpg"]),          # 13
        entry("tot-1", "Trùng mã với dòng 1"),                                     # 14
        entry("tot-2", "Bài tốt thứ hai", category="Giao thông", tags=["Hà Nội"]),  # 15
        entry(42, "Mã bài là số"),                                                 # 16
        entry(" 42 ", "Mã bài là chuỗi của cùng số đó"),                           # 17
    ])

    out, err, error = run_import(path)

    expected = [
        (2, "không phải JSON hợp lệ"),
        (3, "mỗi dòng phải là một đối tượng JSON."),
        (4, "thiếu id"),
        (5, "thiếu tiêu đề (title)."),
        (6, "trường không biết: tieu_de."),
        (7, "published_at phải ghi rõ múi giờ"),
        (8, "status “live” không hợp lệ (chỉ nhận draft hoặc published)."),
        (9, "tags phải là một danh sách chuỗi."),
        (10, "tiêu đề dài 303 ký tự, quá giới hạn 300."),
        (12, "body có ký tự không lưu được"),
        (13, "không tìm thấy tệp ảnh mat-roi.jpg."),
        (14, "id “tot-1” trùng với dòng 1."),
        (17, "id “42” trùng với dòng 16."),
    ]
    reported = err.splitlines()
    assert len(reported) == len(expected), err
    for line, (number, message) in zip(reported, expected):
        assert line.startswith(f"Lỗi: {path} dòng {number}: "), line
        assert message in line, line
    assert isinstance(error, CommandError)
    assert str(error).startswith("Không nhập được: 13 dòng")
    assert f"{path}: đã thêm 3 bài, cập nhật 0 bài, 13 dòng lỗi" in out
    assert dict(Article.objects.values_list("external_id", "title")) == {
        "tot-1": "Bài tốt thứ nhất", "tot-2": "Bài tốt thứ hai", "42": "Mã bài là số",
    }
    assert not Photo.objects.exists()
    assert Tagging.objects.count() == 1
    assert stale_vectors() == 0


def test_a_missing_file_is_reported_and_the_next_file_still_imported(tmp_path):
    missing = tmp_path / "khong-co.ndjson"
    present = write_ndjson(tmp_path, [entry("co", "Bài trong tệp có thật")])
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="^Không nhập được: 1 tệp"):
        call_command("import_articles", "--format", "ndjson", str(missing), str(present), stdout=out, stderr=err)

    assert err.getvalue() == f"Lỗi: {missing}: không có tệp này.\n"
    assert f"{present}: đã thêm 1 bài, cập nhật 0 bài, 0 dòng lỗi" in out.getvalue()
    assert list(Article.objects.values_list("external_id", flat=True)) == ["co"]


@pytest.mark.parametrize(
    "bad",
    [  # written with ASCII escapes, as many exporters do: the lines are valid JSON in UTF-8
        json.dumps(entry("ma-co-\u0000-nul", "Mã bài có ký tự NUL")),
        json.dumps(entry("nua-ky-tu", "Tiêu đề có nửa ký tự \ud83d")),
        json.dumps(entry("the-nua-ky-tu", "Thẻ có nửa ký tự", tags=["Hà Nội \udc00"])),
    ],
    ids=["nul-in-id", "lone-surrogate-in-title", "lone-surrogate-in-tag"],
)
def test_text_the_database_cannot_store_is_a_line_error_not_a_crash(tmp_path, bad):
    # Valid JSON ("\u0000", "\ud83d" escapes) that PostgreSQL refuses: the newsroom
    # must get a "Lỗi" line for it, and the good line beside it must still go in.
    path = write_ndjson(tmp_path, [entry("tot", "Bài tốt"), bad])

    out, err, error = run_import(path)

    assert isinstance(error, CommandError)
    assert err.startswith(f"Lỗi: {path} dòng 2: "), err
    assert list(Article.objects.values_list("external_id", flat=True)) == ["tot"]


def test_a_photo_that_is_not_an_image_fails_its_line_alone(tmp_path, media_root):
    (tmp_path / "that.jpg").write_bytes(jpeg_bytes())
    (tmp_path / "gia.jpg").write_bytes(b"<html>not a photo</html>")
    path = write_ndjson(tmp_path, [
        entry("tot", "Bài có ảnh thật", photos=["that.jpg"]),
        entry("xau", "Bài có ảnh giả", body=CAPTIONED_BODY, photos=["that.jpg", "gia.jpg"]),
    ])

    out, err, error = run_import(path)

    assert isinstance(error, CommandError)
    assert err.splitlines() == [f"Lỗi: {path} dòng 2: ảnh gia.jpg: Tệp không phải ảnh JPEG, PNG, WebP hoặc GIF."]
    assert list(Article.objects.values_list("external_id", flat=True)) == ["tot"]
    assert Photo.objects.count() == 1  # the refused line's first, good photo is not kept either
    assert len(originals(media_root)) == 1


def test_a_line_refused_while_saving_creates_no_category_or_tag(tmp_path):
    (tmp_path / "gia.jpg").write_bytes(b"<html>not a photo</html>")
    path = write_ndjson(tmp_path, [
        entry("xau", "Bài có ảnh giả", category="Chuyên mục chỉ bài hỏng có", tags=["Thẻ chỉ bài hỏng có"],
              photos=["gia.jpg"]),
    ])

    report = ndjson.import_file(path)

    assert [number for number, _ in report.errors] == [1]
    assert not Article.objects.exists()
    # Nothing of the refused line stays: an empty category would be in the site's menu.
    assert list(Category.objects.values_list("name", flat=True)) == []
    assert list(Tag.objects.values_list("name", flat=True)) == []


# --------------------------------------------------------------------------- importing again, slugs


def test_importing_again_updates_and_never_duplicates(tmp_path, client):
    lines = [
        entry("cms-1", TITLE, tags=["thi đua"]),
        entry("cms-2", "Triệt phá nhóm trộm xe máy", published_at="2017-02-16T09:00:00+07:00"),
        entry("cms-3", "Kiểm tra nồng độ cồn", body=CAPTIONED_BODY),
    ]
    path = write_ndjson(tmp_path, lines)
    out, err, error = run_import(path)
    assert error is None, err
    assert "đã thêm 3 bài, cập nhật 0 bài, 0 dòng lỗi" in out
    ids = dict(Article.objects.values_list("external_id", "pk"))
    old_url = Article.objects.get(external_id="cms-1").get_absolute_url()

    lines[0]["title"] = "Đổi mới biện pháp, cách làm đẩy mạnh phong trào"
    out, err, error = run_import(write_ndjson(tmp_path, lines))

    assert error is None, err
    assert "đã thêm 0 bài, cập nhật 3 bài, 0 dòng lỗi" in out
    assert dict(Article.objects.values_list("external_id", "pk")) == ids
    assert Photo.objects.count() == 2
    assert Tagging.objects.count() == 1
    renamed = Article.objects.get(external_id="cms-1")
    assert renamed.title == "Đổi mới biện pháp, cách làm đẩy mạnh phong trào"
    assert renamed.slug == "doi-moi-bien-phap-cach-lam-day-manh-phong-trao"
    assert client.get(old_url)["Location"] == renamed.get_absolute_url()
    assert stale_vectors() == 0
    assert page_titles(client.get("/tim-kiem/", {"q": "cach lam day manh"})) == [renamed.title]


def test_same_title_on_the_same_hanoi_day_gets_distinct_slugs(tmp_path, client):
    written_here = ArticleFactory(title="Tin vắn an ninh", published_at=hanoi(2017, 2, 17, 7))
    path = write_ndjson(tmp_path, [
        entry("sang", "Tin vắn an ninh", published_at="2017-02-15T01:00:00+07:00"),  # 14-2 in UTC
        entry("toi", "Tin vắn an ninh", published_at="2017-02-15T23:30:00+07:00"),
        entry("hom-sau", "Tin vắn an ninh", published_at="2017-02-16T01:00:00+07:00"),  # 15-2 in UTC
        entry("ngay-17", "Tin vắn an ninh", published_at="2017-02-17T20:00:00+07:00"),
    ])

    out, err, error = run_import(path)

    assert error is None, err
    assert "đã thêm 4 bài" in out
    slugs = dict(Article.objects.values_list("external_id", "slug"))
    assert sorted([slugs["sang"], slugs["toi"]]) == ["tin-van-an-ninh", "tin-van-an-ninh-2"]
    assert slugs["hom-sau"] == "tin-van-an-ninh"
    assert slugs["ngay-17"] == "tin-van-an-ninh-2"  # the slug of that day was taken before the import
    assert slugs[None] == written_here.slug == "tin-van-an-ninh"
    for article in Article.objects.all():
        assert client.get(article.get_absolute_url()).status_code == 200
    assert stale_vectors() == 0


def test_same_title_lines_saved_by_both_workers_at_once_get_distinct_slugs(tmp_path, monkeypatch):
    # Two captioned lines (the ORM path) in different batches, saved by the two
    # writers at the same time. The first one's photos take a while, as a large
    # photo does: its row is written, not yet committed, when the second line
    # looks for a free slug.
    monkeypatch.setattr(ndjson, "BATCH", 1)
    first_row_written = threading.Event()
    save_photos, save_line = importer._sync_photos, ndjson.save_parsed

    def slow_photos(article, *args):
        if article.external_id == "cham":
            first_row_written.set()
            time.sleep(1.5)
        return save_photos(article, *args)

    def second_line_after_first_row(key, *args):
        if key == "nhanh":
            first_row_written.wait(timeout=10)
        return save_line(key, *args)

    monkeypatch.setattr(importer, "_sync_photos", slow_photos)
    monkeypatch.setattr(ndjson, "save_parsed", second_line_after_first_row)
    path = write_ndjson(tmp_path, [
        entry("cham", "Ùn tắc giao thông giờ cao điểm", body=CAPTIONED_BODY),
        entry("nhanh", "Ùn tắc giao thông giờ cao điểm", body=CAPTIONED_BODY, published_at="2017-02-15T18:00:00+07:00"),
    ])

    report = ndjson.import_file(path, workers=2)

    assert (report.added, report.errors) == (2, [])
    assert dict(Article.objects.values_list("external_id", "slug")) == {
        "cham": "un-tac-giao-thong-gio-cao-diem", "nhanh": "un-tac-giao-thong-gio-cao-diem-2",
    }


# --------------------------------------------------------------------------- photos


def test_captions_and_photo_files_become_photos_as_the_text_importer_makes_them(tmp_path, media_root):
    (tmp_path / "anh").mkdir()
    (tmp_path / "anh" / "1.jpg").write_bytes(jpeg_bytes(color=(0, 0, 200)))
    (tmp_path / "anh" / "2.jpg").write_bytes(jpeg_bytes(width=800, height=600, color=(0, 200, 0)))
    path = write_ndjson(tmp_path, [
        entry("chu-thich", "Bài có chú thích", body="\n\n".join(CAPTIONED_BODY)),
        entry("tep-anh", "Bài có một tệp ảnh", photos=["anh/1.jpg"]),
        entry("ca-hai", "Bài có chú thích và ảnh", body=CAPTIONED_BODY, photos=["anh/1.jpg", "anh/2.jpg"]),
    ])

    report = ndjson.import_file(path)

    assert (report.added, report.errors) == (3, [])
    captions = [(1, "Ảnh hiện trường vụ việc"), (2, "Lực lượng chức năng làm nhiệm vụ")]
    expected_body = "Đoạn thứ nhất của bài.\n\nĐoạn thứ hai của bài.\n\nĐoạn thứ ba của bài."
    captioned = Article.objects.get(external_id="chu-thich")
    assert captioned.paragraphs() == expected_body.split("\n\n")
    assert [(n, p.caption, p.image.name) for n, p in placements(captioned)] == [(p, c, "") for p, c in captions]
    # As importer.save_parsed puts them for a text file with the same paragraphs.
    assert importer.split_captions(CAPTIONED_BODY) == (expected_body.split("\n\n"), captions)
    [(after, single)] = placements(Article.objects.get(external_id="tep-anh"))
    assert (after, single.caption, single.width, single.height) == (len(PARAGRAPHS), "", 640, 480)
    assert single.image.storage.exists(single.image.name)
    both = Article.objects.get(external_id="ca-hai")
    assert [(n, p.caption, p.width) for n, p in placements(both)] == [(1, captions[0][1], 640),
                                                                      (2, captions[1][1], 800)]
    assert len(originals(media_root)) == 3
    assert stale_vectors() == 0


# --------------------------------------------------------------------------- what readers see


def test_drafts_and_scheduled_articles_stay_off_public_pages(tmp_path, client):
    soon = (timezone.now() + timedelta(days=2)).isoformat()
    yesterday = (timezone.now() - timedelta(days=1)).isoformat()
    tags = ["Trật tự đô thị"]
    path = write_ndjson(tmp_path, [
        entry("cong-khai", "Tin công khai", published_at=yesterday, tags=tags),
        entry("nhap", "Bản nháp chưa duyệt", status="draft", published_at=yesterday, tags=tags),
        entry("nhap-khong-ngay", "Bản nháp chưa có ngày", status="draft", published_at=None, tags=tags),
        entry("hen-gio", "Tin hẹn giờ ngày kia", published_at=soon, tags=tags),
    ])

    report = ndjson.import_file(path)

    assert (report.added, report.errors) == (4, [])
    assert Article.objects.get(external_id="nhap-khong-ngay").published_at is None
    assert taggings_out_of_step() == 0
    for url in ("/", "/tag/trat-tu-do-thi/", "/tim-kiem/?q=tin"):
        assert page_titles(client.get(url)) == ["Tin công khai"], url
    for key in ("nhap", "hen-gio"):
        assert client.get(Article.objects.get(external_id=key).get_absolute_url()).status_code == 404
    assert client.get(Article.objects.get(external_id="cong-khai").get_absolute_url()).status_code == 200


def test_an_import_shows_on_a_home_page_rendered_just_before(tmp_path, client):
    ArticleFactory(title="Tin đã có từ trước")
    before = page_titles(client.get("/"))  # now in the home page's cached fragment
    assert "Tin đã có từ trước" in before and "Tin vừa nhập" not in before
    version = content_cache.content_version()
    # No category and no tag: nothing is created outside the bulk statement, so
    # only the import itself can tell the cache that the content changed.
    path = write_ndjson(tmp_path, [entry("moi", "Tin vừa nhập", published_at=timezone.now().isoformat())])

    out, err, error = run_import(path)

    assert error is None, err
    assert page_titles(client.get("/"))[:2] == ["Tin vừa nhập", "Tin đã có từ trước"]
    assert content_cache.content_version() != version


def test_one_writer_and_two_writers_store_the_same_rows(tmp_path, monkeypatch):
    # Small batches, so that two writers really share the file.
    monkeypatch.setattr(ndjson, "BATCH", 2)
    (tmp_path / "1.jpg").write_bytes(jpeg_bytes())
    lines = [
        entry(f"cms-{n}", f"Tin số {n} về trật tự đô thị", category=["Thời sự", "Giao thông"][n % 2],
              tags=[f"Phường {n % 3}", "Hà Nội"], published_at=f"2017-02-{10 + n:02d}T08:00:00+07:00")
        for n in range(9)
    ]
    lines[1]["body"] = CAPTIONED_BODY
    lines[4]["photos"] = ["1.jpg"]
    lines[6]["status"] = "draft"
    lines[8] = '{"id": "hong"'
    # Same title and day as cms-2, in the same batch of two: the "-2" slug is this one's.
    lines.insert(3, entry("cms-2-trung-ten", "Tin số 2 về trật tự đô thị", published_at="2017-02-12T09:00:00+07:00"))
    path = write_ndjson(tmp_path, lines)

    one = ndjson.import_file(path, workers=1)
    first = stored()
    Article.objects.all().delete()
    two = ndjson.import_file(path, workers=2)
    second = stored()

    assert (one.added, one.updated, one.errors) == (9, 0, [(10, one.errors[0][1])])
    assert (two.added, two.updated, two.errors) == (one.added, one.updated, one.errors)
    assert first["cms-2-trung-ten"]["slug"] == "tin-so-2-ve-trat-tu-do-thi-2"
    assert second == first
    assert stale_vectors() == 0
    assert taggings_out_of_step() == 0


# --------------------------------------------------------------------------- make_archive --ndjson


def test_make_archive_writes_ndjson_lines_that_import_cleanly(tmp_path, django_assert_num_queries):
    ArticleFactory(title="Bài có sẵn")
    path = tmp_path / "kho.ndjson"

    with django_assert_num_queries(0):
        call_command("make_archive", "--articles", "25", "--seed", "5", "--ndjson", str(path), stdout=io.StringIO())

    assert Article.objects.count() == 1
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 25
    assert len({record["id"] for record in records}) == 25
    assert all(set(record) <= ndjson.KNOWN_KEYS for record in records)

    out, err, error = run_import(path)

    assert error is None, err
    assert err == ""
    assert f"{path}: đã thêm 25 bài, cập nhật 0 bài, 0 dòng lỗi" in out
    imported = Article.objects.exclude(external_id=None)
    assert set(imported.values_list("external_id", flat=True)) == {record["id"] for record in records}
    by_id = {a.external_id: a for a in imported.select_related("category")}
    for record in records:
        article = by_id[record["id"]]
        assert (article.title, article.lead, article.paragraphs()) == (
            record["title"], record["sapo"], record["body"]
        )
        assert article.category.name == record["category"]
    assert stale_vectors() == 0
    assert taggings_out_of_step() == 0
