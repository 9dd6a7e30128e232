"""Sample content for a new checkout: the founding ANTD article and articles
written for this project, with generated photos labelled as illustrations."""
import io
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from articles import search
from articles.imports.plaintext import import_file
from articles.models import Photo

CONTENT_DIR = Path(__file__).resolve().parent / "content"
FOUNDING_ARTICLE = "000_4774a156f2ff77b8"
ILLUSTRATION_CREDIT = "Ảnh minh họa"
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",)
# Muted newsroom colours, one per illustration, so neighbouring photos differ.
PALETTE = [((36, 59, 85), (120, 148, 170)), ((92, 38, 33), (196, 128, 96)), ((40, 70, 52), (150, 176, 120))]


def _font(size):
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def illustration(index, width=1600, height=1067):
    """A JPEG that says plainly it is not the original photograph."""
    top, bottom = PALETTE[index % len(PALETTE)]
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * mix) for a, b in zip(top, bottom)))
    draw.rectangle([60, 60, width - 60, height - 60], outline=(255, 255, 255), width=6)
    label = ILLUSTRATION_CREDIT.upper()
    font = _font(96)
    box = draw.textbbox((0, 0), label, font=font)
    draw.text(((width - box[2]) / 2, (height - box[3]) / 2), label, font=font, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def illustrate(article):
    for index, photo in enumerate(article.photos.all()):
        if photo.image:
            continue
        photo.image = ContentFile(illustration(index), name=f"minh-hoa-{article.slug[:40]}-{index + 1}.jpg")
        photo.credit = ILLUSTRATION_CREDIT
        photo.alt_text = photo.alt_text or f"{ILLUSTRATION_CREDIT}: {photo.caption}"[: Photo._meta.get_field("alt_text").max_length]
        photo.save()


def load(stdout=None):
    """Import every sample file (idempotent) and illustrate photos that lack one."""
    articles = []
    for path in sorted(CONTENT_DIR.glob("*.txt")):
        article, created = import_file(path)
        illustrate(article)
        articles.append(article)
        if stdout:
            stdout.write(f"{'Thêm' if created else 'Cập nhật'}: {article.title}")
    search.refresh_terms()
    return articles
