"""Photos: what we accept, how we store it, and the renditions readers get.

Every stored file is written from decoded pixels: nothing an upload carried
besides its image data (appended HTML, GPS positions, serial numbers) survives.
"""
import hashlib
import io
import posixpath
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from PIL import Image, ImageCms, ImageFile, ImageOps, ImageSequence, features

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 50_000_000
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
WIDTHS = (320, 640, 960, 1280, 1920)
# An author's portrait is shown small and round (6rem): one width for ordinary
# screens and one for dense ones, not an article photo's five.
PORTRAIT_WIDTHS = (160, 320)
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
# Renditions are made again from the stored original, so it keeps more quality
# than a reader ever downloads.
ORIGINAL_OPTIONS = {"JPEG": {"quality": 90}, "PNG": {"optimize": False}, "WEBP": {"quality": 90}}
# WebP encoding is most of the cost. Method 0 takes a third of the time of the
# default method 4 and its files were within 1% of the size in bench/images.py.
WEBP_OPTIONS = {"quality": 78, "method": 0}
# Every current phone browser takes the WebP source; the JPEG is the fallback,
# so it is baseline: progressive encoding cost 10× the time for 11% fewer bytes.
JPEG_OPTIONS = {"quality": 82, "optimize": False, "progressive": False}
# Each width is made from the previous, at most 1.5× larger, where bicubic is
# as sharp as Lanczos and a third faster.
RESAMPLE = Image.Resampling.BICUBIC
AVIF_SUPPORTED = features.check("avif")
# AVIF is a third smaller than WebP but costs more than the other ten files
# together (bench/images.py), so it is made last, for browsers that take it.
FORMATS = ("WEBP", "JPEG", "AVIF") if AVIF_SUPPORTED else ("WEBP", "JPEG")
AVIF_OPTIONS = {"quality": 60, "speed": 8}
RENDITION_OPTIONS = {"JPEG": JPEG_OPTIONS, "WEBP": WEBP_OPTIONS, "AVIF": AVIF_OPTIONS}

# EXIF tags worth keeping on the stored original: authorship and capture time.
# Everything else goes, GPS and serial numbers first.
KEPT_EXIF_TAGS = {
    0x010E,  # ImageDescription
    0x010F,  # Make
    0x0110,  # Model
    0x013B,  # Artist
    0x8298,  # Copyright
    0x0132,  # DateTime
}
KEPT_EXIF_IFD_TAGS = {0x9003, 0x9004, 0x9010, 0x9011}  # DateTimeOriginal, Digitized, offsets
EXIF_IFD = 0x8769

ImageFile.LOAD_TRUNCATED_IMAGES = False
# Our own limit is checked on every frame before decoding; Pillow's stays as a
# second line of defence for formats we never reach.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

SRGB = ImageCms.createProfile("sRGB")
SRGB_BYTES = ImageCms.ImageCmsProfile(SRGB).tobytes()


class Refused(ValidationError):
    pass


@dataclass
class CleanImage:
    image: Image.Image
    format: str
    exif: bytes

    @property
    def extension(self):
        return EXTENSIONS[self.format]


def _read(upload):
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def digest(upload):
    return hashlib.sha256(_read(upload)).hexdigest()


def open_checked(data):
    """Decode every frame of an upload, or refuse it with a message for the newsroom."""
    if not data:
        raise Refused("Tệp rỗng, không có dữ liệu ảnh.", code="empty")
    if len(data) > MAX_BYTES:
        raise Refused(f"Tệp quá lớn ({len(data) / 1048576:.1f} MB); giới hạn là {MAX_BYTES // 1048576} MB.", code="too_big")
    try:
        image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except Image.DecompressionBombError:
        raise Refused("Ảnh có kích thước khai báo quá lớn (nghi là “bom giải nén”).", code="bomb") from None
    except Exception:
        raise Refused("Tệp không phải ảnh JPEG, PNG, WebP hoặc GIF.", code="not_image") from None
    try:
        for frame in ImageSequence.Iterator(image):
            width, height = frame.size
            if width * height > MAX_PIXELS or not width or not height:
                raise Refused(
                    f"Ảnh {width}×{height} điểm vượt giới hạn {MAX_PIXELS // 1_000_000} megapixel.", code="bomb"
                )
            frame.load()
    except Refused:
        raise
    except Image.DecompressionBombError:
        raise Refused("Ảnh có kích thước khai báo quá lớn (nghi là “bom giải nén”).", code="bomb") from None
    except Exception:
        raise Refused("Tệp ảnh bị hỏng hoặc không trọn vẹn (bị cắt cụt).", code="truncated") from None
    image.seek(0)
    return image


def _to_srgb(image):
    icc = image.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = _flat_mode(image)
            if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
                image = image.convert(mode)
            return ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: fall back to Pillow's own conversion
    return image


def _eight_bit(image):
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        image = image.convert("I")
    if image.mode == "I":
        return image.point(lambda value: value / 256).convert("L")
    if image.mode == "F":
        return image.convert("L")
    return image


def _flat_mode(image):
    # A transparent colour key (palette, RGB or grey) is transparency too.
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    return "RGBA" if has_alpha else "RGB"


def _kept_exif(image):
    exif = image.getexif()
    kept = Image.Exif()
    for tag in KEPT_EXIF_TAGS & set(exif):
        kept[tag] = exif[tag]
    ifd = exif.get_ifd(EXIF_IFD)
    for tag in KEPT_EXIF_IFD_TAGS & set(ifd):
        kept.get_ifd(EXIF_IFD)[tag] = ifd[tag]
    return kept.tobytes() if len(kept) or kept.get_ifd(EXIF_IFD) else b""


def clean(upload):
    """The upload as an upright sRGB image, decoded and checked, with the EXIF worth keeping."""
    image = open_checked(_read(upload))
    # Pillow names a JPEG that carries a second picture (phones write them) "MPO".
    source_format = "JPEG" if image.format == "MPO" else image.format
    exif = _kept_exif(image)
    image = ImageOps.exif_transpose(image)  # first frame only, upright
    image = _eight_bit(_to_srgb(image))
    image = image.convert(_flat_mode(image))
    # Nothing of the source's metadata rides along (a JPEG comment would be
    # written out again): the profile and EXIF we keep are passed explicitly.
    image.info = {}
    # A GIF's first frame is kept losslessly, as PNG.
    return CleanImage(image=image, format="PNG" if source_format == "GIF" else source_format, exif=exif)


def _opaque(image):
    """JPEG has no transparency: lay the image on white rather than black."""
    if image.mode == "RGB":
        return image  # a copy of a 50-megapixel original would cost 150 MB for nothing
    if image.mode != "RGBA":
        return image.convert("RGB")
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def encode(image, fmt, **options):
    """The bytes of image written as fmt, for the stored original and every rendition."""
    if fmt == "JPEG":
        image = _opaque(image)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _original_options(cleaned):
    # The profile and EXIF are passed explicitly: clean() dropped everything else.
    options = {**ORIGINAL_OPTIONS[cleaned.format], "icc_profile": SRGB_BYTES}
    if cleaned.exif:
        options["exif"] = cleaned.exif
    return options


def sanitized_upload(upload, stem):
    """A new file with the upload's pixels only, named for the format it really is."""
    cleaned = clean(upload)
    data = encode(cleaned.image, cleaned.format, **_original_options(cleaned))
    return ContentFile(data, name=f"{stem}.{cleaned.extension}")


class PhotoFormField(forms.ImageField):
    """Decides by content, never by extension or Content-Type, with our messages."""

    default_validators = []

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is not None:
            open_checked(_read(upload))
        return upload


class PhotoField(models.ImageField):
    default_validators = []  # the extension says nothing; the content is checked

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhotoFormField, **kwargs})


# Renditions ---------------------------------------------------------------


def target_widths(width, steps=WIDTHS):
    """The fixed widths below the original, and the original's own width when it is
    narrower than the next step: never upscaled."""
    widths = [w for w in steps if w < width]
    if width <= steps[-1] and width not in widths:
        widths.append(width)
    return widths or [width]


def _shrunk_sizes(width, height, widths):
    return [(w, max(1, round(height * w / width))) for w in widths]


def scaled_versions(source_bytes, steps=WIDTHS):
    """Yield (width, height, RGB image) from the largest to the smallest width.

    JPEGs are decoded once at the smallest DCT scale that still covers the largest
    width (draft mode), then each width is made from the previous one.
    """
    image = Image.open(io.BytesIO(source_bytes))
    width, height = image.size
    sizes = _shrunk_sizes(width, height, target_widths(width, steps))
    largest = sizes[-1]
    if image.format == "JPEG":
        image.draft("RGB", largest)
    image = image.convert(_flat_mode(image))
    current = image
    for w, h in reversed(sizes):
        if current.size != (w, h):
            current = current.resize((w, h), RESAMPLE)
        yield w, h, current


def _save_rendition(image, fmt, width, digest):
    data = encode(image, fmt, **RENDITION_OPTIONS[fmt])
    content_hash = hashlib.sha256(data).hexdigest()[:16]
    # Content-hashed names never change meaning, so they can be cached for a year.
    name = posixpath.join("renditions", digest[:2], f"{digest[:12]}-{width}w-{content_hash}.{EXTENSIONS[fmt]}")
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    return name


def make_renditions(source_bytes, owner, formats=FORMATS, steps=WIDTHS):
    """{format: [[width, height, storage name], ...]} from smallest to largest.

    owner (the original's stored name) is part of the names, so two photos of
    the same picture never share, and never delete, each other's files."""
    digest = hashlib.sha256(owner.encode() + source_bytes).hexdigest()
    made = {fmt.lower(): [] for fmt in formats}
    for width, height, image in scaled_versions(source_bytes, steps):
        for fmt in formats:
            made[fmt.lower()].insert(0, [width, height, _save_rendition(image, fmt, width, digest)])
    return made


def rendition_names(renditions):
    return [name for entries in (renditions or {}).values() for _, _, name in entries]
