"""Test images, made in code with Pillow: nothing binary lives in the repository.

Every function returns the bytes of a file as a browser would upload it; `upload()`
wraps bytes for a form or a model. The helpers at the bottom read images back.
"""
import functools
import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, ImageDraw

RED = (220, 20, 20)
BLUE = (20, 40, 200)
GREEN = (20, 180, 40)
WHITE = (255, 255, 255)

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
ORIENTATION = 0x0112
ARTIST = 0x013B
COPYRIGHT = 0x8298
BODY_SERIAL_NUMBER = 0xA431
SERIAL = "SN-7731-BODY"
ARTIST_NAME = "Nguyen Van Anh"
COPYRIGHT_TEXT = "(c) Bao ANTD 2017"


def upload(data, name="anh.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def encode(image, fmt, **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def decode(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# Pictures ------------------------------------------------------------------


def picture(width=640, height=480, color=BLUE, corner=RED, mode="RGB"):
    """A plain picture with a coloured block in its top-left corner, a quarter of
    each side: where the block ends up tells which way up the picture is."""
    image = Image.new("RGB", (width, height), color)
    ImageDraw.Draw(image).rectangle((0, 0, width // 4 - 1, height // 4 - 1), fill=corner)
    return image.convert(mode) if mode != "RGB" else image


def detailed(width=640, height=480):
    """A picture JPEG cannot compress to almost nothing (for truncation tests)."""
    noise = Image.effect_noise((width, height), 80).convert("L")
    gradient = Image.linear_gradient("L").resize((width, height))
    return Image.merge("RGB", (noise, gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))


def jpeg(width=640, height=480, **options):
    return encode(picture(width, height), "JPEG", quality=92, **options)


def png(width=640, height=480):
    return encode(picture(width, height), "PNG")


def webp(width=640, height=480):
    return encode(picture(width, height), "WEBP", quality=90)


def animated_gif(width=160, height=120):
    """Two frames: the first is red, the second green. Only the first is kept."""
    first = Image.new("RGB", (width, height), RED).convert("P", palette=Image.Palette.ADAPTIVE)
    second = Image.new("RGB", (width, height), GREEN).convert("P", palette=Image.Palette.ADAPTIVE)
    return encode(first, "GIF", save_all=True, append_images=[second], duration=200, loop=0)


def cmyk_jpeg(width=200, height=150):
    """Print-room JPEG: CMYK, cyan-free magenta+yellow, i.e. red once converted."""
    image = Image.new("CMYK", (width, height), (0, 255, 255, 0))
    return encode(image, "JPEG", quality=95)


def gray16_png(width=256, height=64):
    """A 16-bit grayscale PNG (Pillow mode I;16): a left-to-right ramp 0..65535."""
    image = Image.new("I;16", (width, height))
    row = [round(x * 65535 / (width - 1)) for x in range(width)]
    image.putdata(row * height)
    return encode(image, "PNG")


def palette_png(width=160, height=120):
    image = picture(width, height).convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    return encode(image, "PNG")


def _transparent_palette_image(width, height):
    image = Image.new("P", (width, height), 0)
    image.putpalette([255, 255, 255, *RED] + [0, 0, 0] * 254)
    ImageDraw.Draw(image).rectangle((0, 0, width // 4 - 1, height // 4 - 1), fill=1)
    return image


def palette_png_transparent(width=160, height=120, **options):
    """Palette PNG whose background index is transparent (tRNS chunk); the corner is opaque red."""
    return encode(_transparent_palette_image(width, height), "PNG", transparency=0, **options)


def palette_png_transparent_srgb(width=160, height=120):
    """The same with an embedded sRGB profile (iCCP chunk), as image editors export them."""
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return palette_png_transparent(width, height, icc_profile=srgb)


def transparent_gif(width=160, height=120):
    return encode(_transparent_palette_image(width, height), "GIF", transparency=0)


def rgba_png(width=160, height=120):
    """Transparent everywhere but an opaque red corner."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((0, 0, width // 4 - 1, height // 4 - 1), fill=(*RED, 255))
    return encode(image, "PNG")


def oriented_jpeg(orientation, width=400, height=300, private=False):
    """A camera JPEG stored sideways with the EXIF Orientation telling how to turn it.
    The red block is in the top-left corner of the pixels as stored. `private` adds
    what private_jpeg() carries (GPS position, body serial number, artist)."""
    exif = _private_exif() if private else Image.Exif()
    exif[ORIENTATION] = orientation
    return encode(picture(width, height), "JPEG", quality=92, exif=exif.tobytes())


# Where the stored top-left corner is seen once the picture is upright, per EXIF Orientation.
UPRIGHT_CORNER = {1: "top-left", 3: "bottom-right", 6: "top-right", 8: "bottom-left"}


def private_jpeg(width=320, height=240):
    """A JPEG as a reporter's camera writes it: where it was (GPS), which body took
    it (serial number), who took it (artist, copyright)."""
    return encode(picture(width, height), "JPEG", quality=90, exif=_private_exif().tobytes(), xmp=PRIVATE_XMP)


PRIVATE_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="21,1.7083N" '
    b'exif:GPSLongitude="105,51.2E"/></rdf:RDF></x:xmpmeta>'
)


def _private_exif():
    exif = Image.Exif()
    exif[ARTIST] = ARTIST_NAME
    exif[COPYRIGHT] = COPYRIGHT_TEXT
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (21.0, 1.0, 42.5)  # GPSLatitude: Hoàn Kiếm
    gps[3] = "E"
    gps[4] = (105.0, 51.0, 12.0)
    exif.get_ifd(EXIF_IFD)[BODY_SERIAL_NUMBER] = SERIAL
    return exif


def mpo(width=320, height=240):
    """A JPEG carrying a second picture (MPO), as many phones and cameras write them
    (depth maps, previews). Pillow reports its format as MPO."""
    first, second = picture(width, height), picture(width, height, color=GREEN)
    return encode(first, "MPO", save_all=True, append_images=[second], quality=90)


# Colour ----------------------------------------------------------------------


def _s15(value):
    return struct.pack(">i", round(value * 65536))


def _xyz(x, y, z):
    return b"XYZ " + bytes(4) + _s15(x) + _s15(y) + _s15(z)


def _curve(gamma):
    return b"curv" + bytes(4) + struct.pack(">IH", 1, round(gamma * 256)) + bytes(2)


def _description(text):
    ascii_text = text.encode("ascii") + b"\0"
    return (
        b"desc" + bytes(4) + struct.pack(">I", len(ascii_text)) + ascii_text
        + struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + bytes(67)
    )


def _pad(data):
    return data + bytes(-len(data) % 4)


# sRGB's primaries adapted to D50, the PCS white.
SRGB_RED = (0.4361, 0.2225, 0.0139)
SRGB_GREEN = (0.3851, 0.7169, 0.0971)
SRGB_BLUE = (0.1431, 0.0606, 0.7141)
D50 = (0.9642, 1.0, 0.8249)


def swapped_rgb_profile():
    """An RGB ICC profile (v2 matrix/TRC) whose red and blue primaries are sRGB's blue
    and red. A pixel (255, 0, 0) in it is sRGB blue: a converter that honours the
    profile turns red into blue, one that ignores it leaves red."""
    tags = [
        (b"desc", _description("Swapped red-blue test RGB")),
        (b"wtpt", _xyz(*D50)),
        (b"rXYZ", _xyz(*SRGB_BLUE)),
        (b"gXYZ", _xyz(*SRGB_GREEN)),
        (b"bXYZ", _xyz(*SRGB_RED)),
        (b"rTRC", _curve(2.2)),
        (b"gTRC", _curve(2.2)),
        (b"bTRC", _curve(2.2)),
        (b"cprt", b"text" + bytes(4) + b"No copyright, test data\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = [], b""
    for signature, data in tags:
        data = _pad(data)
        table.append(struct.pack(">4sII", signature, offset + len(body), len(data)))
        body += data
    tag_table = struct.pack(">I", len(tags)) + b"".join(table)
    size = 128 + len(tag_table) + len(body)
    header = (
        struct.pack(">I", size) + b"lcms" + struct.pack(">I", 0x02100000) + b"mntr" + b"RGB " + b"XYZ "
        + struct.pack(">6H", 2017, 2, 15, 9, 0, 0) + b"acsp" + b"APPL" + bytes(4) + bytes(4) + bytes(4)
        + bytes(8) + bytes(4) + _s15(D50[0]) + _s15(D50[1]) + _s15(D50[2]) + bytes(4) + bytes(16) + bytes(28)
    )
    assert len(header) == 128
    return header + tag_table + body


def red_in_swapped_profile(fmt="JPEG", width=160, height=120):
    """Pure red pixels tagged with swapped_rgb_profile(): really sRGB blue."""
    image = Image.new("RGB", (width, height), (255, 0, 0))
    options = {"quality": 95} if fmt == "JPEG" else {}
    return encode(image, fmt, icc_profile=swapped_rgb_profile(), **options)


def profile_description(image):
    icc = image.info.get("icc_profile")
    if not icc:
        return None
    return ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc))).strip()


# Files to refuse -----------------------------------------------------------


def text_named_jpeg():
    return "Đây là một tệp văn bản, không phải ảnh.\n".encode() * 20


def truncated_jpeg():
    """The first half of a real, detailed JPEG."""
    data = encode(detailed(), "JPEG", quality=90)
    return data[: len(data) // 2]


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@functools.lru_cache(maxsize=4)
def png_bomb(width=20000, height=20000):
    """A valid 1-bit PNG of width × height white pixels, a few kilobytes on disk but
    `width*height` pixels once decoded. Rows are compressed as a stream, so making
    it needs no memory for the pixels."""
    row = b"\0" + b"\xff" * ((width + 7) // 8)  # filter byte "None", then the bits
    compressor = zlib.compressobj(1)  # fast; the file stays well under a megabyte
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grayscale
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", b"".join(parts)) + _png_chunk(b"IEND", b"")


def gif_bomb(width=8000, height=8000):
    """A GIF declaring width × height (64 megapixels by default, under Pillow's own
    bomb threshold of twice our limit) with almost no pixel data."""
    return (
        b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
        + b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0)
        + b"\x02\x02\x44\x01\x00" + b"\x3b"
    )


def svg():
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
        b'<script>alert(document.cookie)</script><rect width="100" height="100" fill="red"/></svg>'
    )


def html():
    return "<!doctype html><html><body><script>alert('xss')</script>Ảnh</body></html>".encode()


def gif_js_polyglot():
    """Starts like a GIF, reads as JavaScript, is not a decodable image."""
    return b"GIF89a/*\x00\x00\x00\x00*/=1;alert(document.domain);/*" + b"\x00" * 32 + b"*/<script>alert(1)</script>"


def png_with_html(width=160, height=120):
    """A valid PNG with an HTML page appended after IEND: browsers sniffing it may run the script."""
    return png(width, height) + HTML_PAYLOAD


HTML_PAYLOAD = b"<html><script>alert('appended')</script></html>"


def jpeg_with_html_comment(width=160, height=120):
    """A valid JPEG whose COM marker holds an HTML payload."""
    return encode(picture(width, height), "JPEG", quality=90, comment=HTML_PAYLOAD)


def tiff(width=160, height=120):
    return encode(picture(width, height), "TIFF")


def bmp(width=160, height=120):
    return encode(picture(width, height), "BMP")


# Reading back ----------------------------------------------------------------


def close(actual, expected, tolerance=40):
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected))


def corner_colours(image):
    """Colours at the middle of each corner block (an eighth of each side in)."""
    image = image.convert("RGB")
    width, height = image.size
    x0, y0, x1, y1 = width // 8, height // 8, width - 1 - width // 8, height - 1 - height // 8
    return {
        "top-left": image.getpixel((x0, y0)),
        "top-right": image.getpixel((x1, y0)),
        "bottom-left": image.getpixel((x0, y1)),
        "bottom-right": image.getpixel((x1, y1)),
    }


def red_corner(image):
    """Which corner holds the red block (exactly one must)."""
    reds = [name for name, colour in corner_colours(image).items() if close(colour, RED, 60)]
    assert len(reds) == 1, corner_colours(image)
    return reds[0]
