"""An article body as stored: HTML reduced to one allow-list (sanitize.py), made
from plain paragraphs by the importers and the conversion of old bodies
(convert.py), read back as plain text for search, JSON-LD and diffs (plain.py),
and laid out with its photos for readers and feeds (layout.py).

Photos stand in the stored HTML as empty placeholders, <figure data-photo="ID">
</figure>, at the top level only; the reader's page puts the captioned picture
there."""
