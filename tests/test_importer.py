import json
import unicodedata

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.imports.plaintext import ImportFailed, import_file, parse_article
from articles.models import Article, Photo
from devtools.samples import CONTENT_DIR, FOUNDING_ARTICLE
from tests.conftest import media_files
from tests.factories import hanoi, jpeg_bytes, placements

FOUNDING_TEXT = (CONTENT_DIR / f"{FOUNDING_ARTICLE}.txt").read_text(encoding="utf-8")
CAPTION_1 = (
    "Đại tá Đoàn Ngọc Hùng, Phó Giám đốc CATP \u00a0(ngoài cùng, bên trái) chứng kiến lễ ký giao ước thi đua, "
    "bàn giao cờ luân lưu Cụm trưởng cụm thi đua số 5 - CATP"
)
CAPTION_2 = "Hội nghị ký giao ước thi đua năm 2017 Cụm thi đua số 5 CATP"


def write(folder, name, content, sidecar=None):
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if sidecar is not None:
        path.with_suffix(".json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    return path


def test_founding_example_parses_into_sapo_source_body_and_two_captions():
    parsed = parse_article(FOUNDING_TEXT)
    assert parsed.title == "Đổi mới biện pháp, cách làm đẩy mạnh phong trào thi đua"
    assert parsed.source == "ANTD.VN"
    assert parsed.lead.startswith("Chiều 15-2, Đại tá Đoàn Ngọc Hùng")
    assert parsed.lead.endswith("Cụm thi đua số 5 - CATP.")
    assert parsed.captions == [(2, CAPTION_1), (5, CAPTION_2)]
    assert len(parsed.paragraphs) == 7
    assert parsed.paragraphs[1].startswith("Tại hội nghị")
    assert parsed.paragraphs[2].startswith("Với tinh thần")
    assert parsed.paragraphs[5].startswith("Nhấn mạnh")
    assert parsed.author == ""


def test_the_shared_founding_example_is_the_one_the_project_ships():
    shared = CONTENT_DIR.parents[2] / "shared" / "samples" / f"{FOUNDING_ARTICLE}.txt"
    if shared.parent.exists():
        assert shared.read_text(encoding="utf-8") == FOUNDING_TEXT


@pytest.mark.django_db
def test_founding_example_imports_whole_and_in_order(founding_article):
    article = founding_article
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == hanoi(2017, 2, 15, 17, 30)
    assert article.source == "ANTD.VN"
    assert article.category.name == "Chính trị - Xã hội"
    # Vietnamese collation (ICU): case does not split "thi đua" from the rest.
    assert list(article.tags.values_list("name", flat=True)) == ["Công an TP Hà Nội", "thi đua", "Vì An ninh Tổ quốc"]
    assert [(before, photo.caption) for before, photo in placements(article)] == [(2, CAPTION_1), (5, CAPTION_2)]
    assert article.get_absolute_url() == "/2017/02/15/doi-moi-bien-phap-cach-lam-day-manh-phong-trao-thi-dua/"
    # Every sentence of the source text is stored somewhere: title, sapo, body or a caption.
    stored = " ".join([article.title, "ANTD.VN - " + article.lead, *article.paragraphs(), CAPTION_1, CAPTION_2])
    for line in filter(None, (line.strip() for line in FOUNDING_TEXT.splitlines())):
        assert line in stored


@pytest.mark.django_db
def test_importing_again_updates_the_same_article(tmp_path, founding_article):
    path = write(tmp_path, f"{FOUNDING_ARTICLE}.txt", FOUNDING_TEXT.replace("thi đua\n", "thi đua năm 2017\n", 1),
                 json.loads((CONTENT_DIR / f"{FOUNDING_ARTICLE}.json").read_text()))
    article, created = import_file(path)
    assert not created
    assert article.pk == founding_article.pk
    assert Article.objects.count() == 1
    assert Photo.objects.count() == 2
    assert article.title.endswith("thi đua năm 2017")


@pytest.mark.django_db
def test_all_caps_last_line_is_the_byline_not_a_caption(tmp_path):
    path = write(tmp_path, "a.txt", "Tiêu đề\n\nANTD.VN - Sapo.\n\nĐoạn một.\n\nẢnh hiện trường\n\nĐoạn hai.\n\nHẢI NAM - THU HÀ\n")
    article, _ = import_file(path)
    assert article.author == "Hải Nam - Thu Hà"  # the byline as written from its authors (articles/authors.py)
    assert [(before, photo.caption) for before, photo in placements(article)] == [(1, "Ảnh hiện trường")]
    assert article.paragraphs() == ["Đoạn một.", "Đoạn hai."]


@pytest.mark.django_db
def test_decomposed_file_is_stored_composed(tmp_path):
    path = write(tmp_path, "nfd.txt", unicodedata.normalize("NFD", FOUNDING_TEXT))
    article, _ = import_file(path)
    assert article.title == "Đổi mới biện pháp, cách làm đẩy mạnh phong trào thi đua"
    assert unicodedata.is_normalized("NFC", article.body)
    assert article.status == Article.Status.DRAFT  # no sidecar, so no date: the newsroom decides


@pytest.mark.django_db
def test_sidecar_photos_are_attached_in_caption_order(tmp_path, media_root):
    (tmp_path / "1.jpg").write_bytes(jpeg_bytes(color=(0, 0, 200)))
    (tmp_path / "2.jpg").write_bytes(jpeg_bytes(color=(0, 200, 0)))
    path = write(tmp_path, "photos.txt", FOUNDING_TEXT,
                 {"published_at": "2017-02-15T17:30:00+07:00", "photos": ["1.jpg", "2.jpg"]})
    article, _ = import_file(path)
    photos = list(article.photos.all())
    assert [p.caption for p in photos] == [CAPTION_1, CAPTION_2]
    assert all(p.image and p.width == 640 for p in photos)
    import_file(path)  # the same files again: nothing new written
    assert len(media_files(media_root)) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, sidecar, message",
    [
        (b"\xff\xfe\x00T\x00i", None, "byte NUL"),
        ("Giá vé\n\nSapo.".encode("latin-1"), None, "UTF-8"),
        (b"", None, "không có tiêu đề"),
        (b"\n\n   \n", None, "không có tiêu đề"),
        ("Tiêu đề\n\nSapo.", {"published_at": "15/02/2017"}, "ISO 8601"),
        ("Tiêu đề\n\nSapo.", {"published_at": "2017-02-15T17:30:00"}, "múi giờ"),
        ("Tiêu đề\n\nSapo.", {"status": "live"}, "status"),
        ("Tiêu đề\n\nSapo.", {"photos": ["missing.jpg"]}, "missing.jpg"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(tmp_path, content, sidecar, message):
    path = write(tmp_path, "bad.txt", content, sidecar)
    with pytest.raises(ImportFailed, match=message):
        import_file(path)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_failure_after_photos_were_written_leaves_no_file_and_no_row(tmp_path, media_root, monkeypatch):
    (tmp_path / "1.jpg").write_bytes(jpeg_bytes())
    path = write(tmp_path, "x.txt", FOUNDING_TEXT, {"published_at": "2017-02-15T17:30:00+07:00", "photos": ["1.jpg"]})
    original = Photo.save

    def save_then_fail(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if self.caption == CAPTION_2:
            raise RuntimeError("ổ đĩa đầy")

    monkeypatch.setattr(Photo, "save", save_then_fail)
    with pytest.raises(RuntimeError):
        import_file(path)
    assert not Article.objects.exists()
    assert not Photo.objects.exists()
    assert media_files(media_root) == []


@pytest.mark.django_db
def test_command_imports_good_files_and_reports_bad_ones(tmp_path, capsys):
    good = write(tmp_path, "good.txt", FOUNDING_TEXT, {"published_at": "2017-02-15T17:30:00+07:00"})
    write(tmp_path, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(tmp_path, "empty.txt", b"")
    with pytest.raises(CommandError, match="Không nhập được: 2 tệp"):
        call_command("import_articles", str(tmp_path))
    output = capsys.readouterr()
    assert "binary.txt" in output.err and "empty.txt" in output.err
    assert "Đã thêm" in output.out and str(good) in output.out
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_sample_content_loads_twice_without_duplicates(media_root):
    call_command("load_sample_content")
    counts = (Article.objects.count(), Photo.objects.count(), len(media_files(media_root)))
    call_command("load_sample_content")
    assert (Article.objects.count(), Photo.objects.count(), len(media_files(media_root))) == counts
    founding = Article.objects.get(external_id=FOUNDING_ARTICLE)
    assert [p.credit for p in founding.photos.all()] == ["Ảnh minh họa", "Ảnh minh họa"]
    assert all(p.image for p in founding.photos.all())
