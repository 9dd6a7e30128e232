"""Which video links a body may carry, and the one spelling each is stored in.

A placeholder <figure data-video="URL"></figure> names a video by its canonical
URL: rebuilt from the parts we recognise (an id, a page name), never the text as
sent, so a stored URL holds only letters, digits and :/?=._- and needs no
escaping anywhere. A host is matched exactly: youtube.com.evil.example is not
YouTube."""
import re
from urllib.parse import parse_qs, urlsplit

YOUTUBE = "youtube"
FACEBOOK = "facebook"
HOST_LABELS = {YOUTUBE: "YouTube", FACEBOOK: "Facebook"}

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                  "www.youtube-nocookie.com"}
_FACEBOOK_HOSTS = {"facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com"}
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_PATH = re.compile(r"/(?:shorts|embed|live)/([A-Za-z0-9_-]{11})/?")
_FACEBOOK_VIDEO_PATH = re.compile(r"/((?:[A-Za-z0-9._-]+/)*?)videos/(?:[A-Za-z0-9._-]+/)?(\d{1,20})/?")
_FB_WATCH_PATH = re.compile(r"/([A-Za-z0-9_-]{1,40})/?")
_DIGITS = re.compile(r"\d{1,20}")
# The stored placeholder, as sanitize.Canonical writes it.
PLACEHOLDER = re.compile(r'<figure data-video="([^"<>]+)"></figure>')
# Characters no link an editor pastes needs, which only make a host or a path mean two things.
_SUSPECT = re.compile(r"[\s\\\x00-\x1f\x7f]")


def canonical(value):
    """The stored spelling of a video link, or None if it is not one we show."""
    parts = _parts(value)
    if parts is None:
        return None
    host, path, query = parts
    if host in _YOUTUBE_HOSTS or host == "youtu.be":
        return _youtube(host, path, query)
    if host in _FACEBOOK_HOSTS or host == "fb.watch":
        return _facebook(host, path, query)
    return None


def placed(html):
    """The videos a body places, each once, in order."""
    return list(dict.fromkeys(PLACEHOLDER.findall(html or "")))


def host_of(url):
    """YOUTUBE or FACEBOOK for a canonical URL (None for anything else)."""
    if url.startswith("https://www.youtube.com/"):
        return YOUTUBE
    if url.startswith(("https://www.facebook.com/", "https://fb.watch/")):
        return FACEBOOK
    return None


def _parts(value):
    value = (value or "").strip()
    if not value or len(value) > 500 or _SUSPECT.search(value):
        return None
    if "://" not in value and re.match(r"(?:www\.|m\.)?(?:youtube\.com|youtu\.be|facebook\.com|fb\.watch)/", value):
        value = "https://" + value  # pasted without its scheme
    try:
        split = urlsplit(value)
        port = split.port
    except ValueError:
        return None
    if split.scheme.lower() not in ("http", "https") or split.username or split.password or port not in (None, 80, 443):
        return None
    return (split.hostname or ""), split.path, split.query


def _youtube(host, path, query):
    if host == "youtu.be":
        found = _YOUTUBE_ID.fullmatch(path[1:].rstrip("/"))
        video = found and found.group(0)
    elif path in ("/watch", "/watch/"):
        ids = parse_qs(query).get("v", [])
        video = ids[0] if ids and _YOUTUBE_ID.fullmatch(ids[0]) else None
    else:
        found = _YOUTUBE_PATH.fullmatch(path)
        video = found and found.group(1)
    return f"https://www.youtube.com/watch?v={video}" if video else None


def _facebook(host, path, query):
    if host == "fb.watch":
        found = _FB_WATCH_PATH.fullmatch(path)
        return f"https://fb.watch/{found.group(1)}/" if found else None
    if path in ("/watch", "/watch/"):
        ids = parse_qs(query).get("v", [])
        return f"https://www.facebook.com/watch/?v={ids[0]}" if ids and _DIGITS.fullmatch(ids[0]) else None
    found = _FACEBOOK_VIDEO_PATH.fullmatch(path)
    return f"https://www.facebook.com/{found.group(1)}videos/{found.group(2)}/" if found else None
