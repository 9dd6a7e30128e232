"""Two revisions side by side: texts word by word, other fields as values."""
import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

from .. import dates
from ..richtext import plain
from .revisions import FIELDS, published_at

# A word is a run of letters and digits (\w knows Vietnamese letters, so "Đổi"
# stays whole in NFC), then runs of spaces, then single marks.
TOKENS = re.compile(r"\w+|\s+|[^\w\s]")
TEXTS = ("title", "lead", "body")


@dataclass(frozen=True)
class Row:
    label: str
    changed: bool
    is_text: bool
    marked: str = ""  # texts: one column, deletions and insertions marked
    before: str = ""  # other fields: each side as a value
    after: str = ""


def marked(before, after):
    """HTML of after against before: <del> what went, <ins> what came, word by word."""
    old, new = TOKENS.findall(before or ""), TOKENS.findall(after or "")
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
    return mark_safe("".join(parts))


def words(key, content):
    """A text field as compared: a body by its words and paragraphs, not its markup
    (a phrase made bold still marks the field as changed)."""
    value = content.get(key) or ""
    return plain.to_text(value) if key == "body" else value


def shown(key, content):
    """A field's value as an editor reads it."""
    value = content.get(key)
    if key == "published_at":
        when = published_at(content)
        return dates.newsroom_stamp(when) if when else ""
    if key == "status":
        return {"published": "Đã xuất bản", "draft": "Bản nháp"}.get(value, value)
    if key == "category":
        return value["name"] if value else ""
    if key == "tags":
        return ", ".join(tag["name"] for tag in value)
    if key == "photos":
        return format_html_join(
            "", "<p>{} — {} ({})</p>",
            ((p["caption"] or p["alt_text"] or "(không chú thích)", p["credit"] or "—",
              (p["image"] or "không tệp").rsplit("/", 1)[-1]) for p in value),
        )
    return value or ""


def compare(older, newer):
    """Rows of every field of two contents, texts marked word by word."""
    rows = []
    for key, label in FIELDS.items():
        changed = older.get(key) != newer.get(key)
        if key in TEXTS:
            rows.append(Row(label, changed, True, marked=marked(words(key, older), words(key, newer))))
        else:
            rows.append(Row(label, changed, False, before=shown(key, older), after=shown(key, newer)))
    return rows
