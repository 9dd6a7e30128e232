"""The plain-text article format (see ../shared/samples/README.md) and its JSON sidecar.

Parsing is pure (parse_article); saving (import_file) is one transaction per
file, and image files written during a failed import are removed again.
"""
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File

from .. import authors, bylines, publication, text
from ..models import Article, Author, Category, Photo, Tag
from ..newsroom import revisions
from ..photos import uploads
from ..richtext import convert

CAPTION_MAX_LENGTH = 250
BYLINE_MAX_LENGTH = 80
FINAL_PUNCTUATION = ".!?…:;"
# Closing quotes and brackets do not end a sentence themselves: look inside them.
CLOSERS = "\"'”’»)]"
SOURCE_PREFIX = re.compile(r"^(?P<source>[A-Z0-9][A-Za-z0-9]*(?:\.[A-Za-z]{2,})+)\s*[-–—]\s+")
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
SIDECAR_STATUSES = {choice.value for choice in Article.Status}


class ImportFailed(ValueError):
    """A file that cannot be imported; the message is for the newsroom."""


@dataclass
class ParsedArticle:
    title: str
    lead: str = ""
    source: str = ""
    author: str = ""
    paragraphs: list = field(default_factory=list)
    captions: list = field(default_factory=list)  # (position, caption) pairs
    html: str = ""  # a body given as HTML (NDJSON body_html), already reduced to the allow-list
    warnings: tuple = ()  # what that reduction dropped


def has_final_punctuation(paragraph):
    return paragraph.rstrip(CLOSERS + " ").endswith(tuple(FINAL_PUNCTUATION))


def is_byline(paragraph):
    letters = [ch for ch in paragraph if ch.isalpha()]
    return (
        bool(letters)
        and len(paragraph) <= BYLINE_MAX_LENGTH
        and all(ch.isupper() for ch in letters)
        and not has_final_punctuation(paragraph)
    )


def is_caption(paragraph):
    return (
        len(paragraph) <= CAPTION_MAX_LENGTH
        and "\n" not in paragraph
        and not has_final_punctuation(paragraph)
        and not is_byline(paragraph)
    )


def parse_article(raw):
    """Title, sapo, source, body paragraphs, captions and byline of one text."""
    content = text.normalize_newlines(text.nfc(raw)).lstrip("\ufeff")
    title, _, rest = content.lstrip().partition("\n")
    title = text.collapse_spaces(title)
    if not title:
        raise ImportFailed("tệp không có tiêu đề (dòng đầu tiên).")
    paragraphs = text.split_paragraphs(rest)
    article = ParsedArticle(title=title)
    if paragraphs:
        article.lead = paragraphs.pop(0)
        match = SOURCE_PREFIX.match(article.lead)
        if match:
            article.source = match["source"]
            article.lead = article.lead[match.end():]
    if paragraphs and is_byline(paragraphs[-1]):
        article.author = paragraphs.pop()
    article.paragraphs, article.captions = split_captions(paragraphs)
    return article


def split_captions(paragraphs):
    """Body paragraphs and (position, caption) pairs: a caption stands between two
    body paragraphs, never first or last."""
    body, captions = [], []
    last = len(paragraphs) - 1
    for index, paragraph in enumerate(paragraphs):
        if 0 < index < last and is_caption(paragraph):
            captions.append((len(body), paragraph))
        else:
            body.append(paragraph)
    return body, captions


def read_text(path):
    data = path.read_bytes()
    if b"\x00" in data:
        raise ImportFailed("không phải tệp văn bản (có byte NUL).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(f"không phải văn bản UTF-8 (byte lạ ở vị trí {error.start}).") from None


def read_sidecar(path):
    sidecar = path.with_suffix(".json")
    if not sidecar.exists():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFailed(f"tệp {sidecar.name} không phải JSON hợp lệ: {error}.") from None
    if not isinstance(meta, dict):
        raise ImportFailed(f"tệp {sidecar.name} phải là một đối tượng JSON.")
    check_storable(meta)
    return check_meta(meta, sidecar.parent)


def check_storable(record):
    """PostgreSQL stores neither NUL nor half a surrogate pair, both valid in JSON."""
    for name, value in record.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and UNSTORABLE.search(item):
                raise ImportFailed(f"{name} có ký tự không lưu được (\\u0000 hoặc nửa cặp surrogate).")


def check_meta(meta, folder):
    """The sidecar's fields, checked and typed; photo names are relative to folder.
    Shared by the plain-text format and NDJSON, so both accept the same things."""
    for key in ("category", "source", "status", "published_at"):
        if meta.get(key) is not None and not isinstance(meta[key], str):
            raise ImportFailed(f"{key} phải là một chuỗi.")
    author = meta.get("author")
    if author is not None and not isinstance(author, str) and not (
        isinstance(author, list) and all(isinstance(name, str) for name in author)
    ):
        raise ImportFailed("author phải là một chuỗi hoặc một danh sách chuỗi.")
    for key in ("tags", "photos"):
        values = meta.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ImportFailed(f"{key} phải là một danh sách chuỗi.")
    if meta.get("published_at"):
        try:
            meta["published_at"] = datetime.fromisoformat(meta["published_at"])
        except (TypeError, ValueError):
            raise ImportFailed(f"published_at “{meta['published_at']}” không đúng dạng ISO 8601.") from None
        if meta["published_at"].tzinfo is None:
            raise ImportFailed("published_at phải ghi rõ múi giờ, ví dụ 2017-02-15T17:30:00+07:00.")
    if "status" in meta and meta["status"] not in SIDECAR_STATUSES:
        raise ImportFailed(f"status “{meta['status']}” không hợp lệ (chỉ nhận draft hoặc published).")
    meta["photos"] = [folder / name for name in meta.get("photos") or []]
    for photo in meta["photos"]:
        if not photo.is_file():
            raise ImportFailed(f"không tìm thấy tệp ảnh {photo.name}.")
    return meta


def check_fits(parsed, meta):
    """What the database would refuse, refused first and in words the newsroom reads."""
    limits = {
        "tiêu đề": (parsed.title, Article._meta.get_field("title").max_length),
        "tác giả": (bylines.byline(author_names(parsed, meta)), Article._meta.get_field("author").max_length),
        "nguồn": (meta.get("source") or parsed.source, Article._meta.get_field("source").max_length),
        "chuyên mục": (meta.get("category") or "", Category._meta.get_field("name").max_length),
    }
    limits.update({f"tác giả “{name[:30]}”": (name, Author._meta.get_field("name").max_length)
                   for name in author_names(parsed, meta)})
    limits.update({f"thẻ “{name[:30]}”": (name, Tag._meta.get_field("name").max_length) for name in meta.get("tags") or []})
    for label, (value, limit) in limits.items():
        if len(value) > limit:
            raise ImportFailed(f"{label} dài {len(value)} ký tự, quá giới hạn {limit}.")


def author_names(parsed, meta):
    """The names of the article's authors, in order: the sidecar's or line's
    author (a byline or a list) over the text's last line. One rule for both formats."""
    return bylines.names_in(meta.get("author") or parsed.author)


def import_file(path):
    """Import one file; returns (article, created). Raises ImportFailed."""
    path = Path(path)
    parsed = parse_article(read_text(path))
    meta = read_sidecar(path)
    check_fits(parsed, meta)
    with uploads.files_removed_on_failure(), revisions.attributed(None, revisions.Kind.IMPORT):
        return save_parsed(path.stem, parsed, meta)


def save_parsed(key, parsed, meta):
    """Create or update the article imported under key, with its tags and photos."""
    article = Article.objects.filter(external_id=key).first()
    created = article is None
    article = article or Article(external_id=key)
    article.title = parsed.title
    article.lead = parsed.lead
    article.body = parsed.html or convert.from_paragraphs(parsed.paragraphs)
    article.source = meta.get("source") or parsed.source
    article.author = bylines.byline(author_names(parsed, meta))
    article.status, article.published_at = publication.publish_defaults(meta.get("status"), meta.get("published_at"))
    article.category = Category.objects.for_name(meta["category"]) if meta.get("category") else None
    if not created:
        article.slug = ""  # follow the title; a changed URL gets its redirect
    article.save()
    article.tags.set(Tag.objects.for_names(meta.get("tags") or []))
    authors.assign(article, author_names(parsed, meta))
    placed = _sync_photos(article, parsed.captions, meta["photos"] if meta else [])
    if placed and not parsed.html:
        # Photos stand where their captions stood: the body names them once they have ids.
        article.body = convert.from_paragraphs(parsed.paragraphs, placed)
        article.save(update_fields=["body"])
    return article, created


def _sync_photos(article, captions, image_paths):
    """The article's photos as the file names them; (position, photo id) pairs."""
    existing = list(article.photos.order_by("id"))
    count = max(len(captions), len(image_paths))
    placed = []
    for index in range(count):
        photo = existing[index] if index < len(existing) else Photo(article=article)
        position, caption = captions[index] if index < len(captions) else (10**9, "")
        photo.caption = caption
        path = image_paths[index] if index < len(image_paths) else None
        try:
            if path and not (photo.image and photo.source_digest == hashlib.sha256(path.read_bytes()).hexdigest()):
                with path.open("rb") as handle:
                    photo.image = File(handle, name=path.name)
                    photo.save()
            else:
                photo.save()
        except ValidationError as error:
            raise ImportFailed(f"ảnh {path.name if path else index + 1}: {' '.join(error.messages)}") from None
        placed.append((position, photo.pk))
    for extra in existing[count:]:
        extra.delete()
    return placed
