"""Plain paragraphs as a stored body: what the plain-text importer, make_archive
and the conversion of old bodies (migration 0011) write. Escaped text in <p> and
empty placeholders is already within the allow-list and in its canonical form,
so bulk writers need not run the sanitiser over millions of bodies."""
import html


def placeholder(photo_id):
    return f'<figure data-photo="{int(photo_id)}"></figure>'


def paragraph(value):
    return f"<p>{html.escape(value, quote=False)}</p>".replace("\u00a0", "&nbsp;")


def from_paragraphs(paragraphs, photos=()):
    """paragraphs: texts; photos: (position, photo id) pairs, a position counting
    the paragraphs before the photo (one past the end stands after the last)."""
    at = {}
    for position, photo_id in sorted(photos, key=lambda pair: (min(pair[0], len(paragraphs)), pair[1])):
        at.setdefault(min(position, len(paragraphs)), []).append(placeholder(photo_id))
    parts = []
    for index, value in enumerate([*paragraphs, None]):
        parts.extend(at.get(index, ()))
        if value is not None:
            parts.append(paragraph(value))
    return "".join(parts)
