"""What a video card shows, asked of the video's host once an article's save has
committed (signals.py), and again by `manage.py fetch_videos` for those that failed.

YouTube answers its public oEmbed endpoint; Facebook's needs an app token
(ANTD["FACEBOOK_OEMBED_TOKEN"]): without one a Facebook video is a card titled
"Video trên Facebook" with no thumbnail, and nothing is asked. The thumbnail is
decoded and written again by the photo pipeline (photos/images.py) into our own
storage: readers never load it from the host. A host that is slow, away or
answers nonsense costs at most a few seconds after the commit; the error is
logged and kept on the row, and the article is saved all the same."""
import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from .models import Article, Video
from .photos import images, uploads
from .richtext import videos

log = logging.getLogger(__name__)

ENDPOINTS = {
    videos.YOUTUBE: "https://www.youtube.com/oembed",
    videos.FACEBOOK: "https://graph.facebook.com/v19.0/oembed_video",
}
# Where a thumbnail may be fetched from: the hosts' image servers, so that an
# oEmbed answer cannot send us to an address of our own network.
THUMBNAIL_HOSTS = ("i.ytimg.com", "img.youtube.com", ".fbcdn.net")
TIMEOUT_SECONDS = 3
MAX_ANSWER_BYTES = 256 * 1024
MAX_THUMBNAIL_BYTES = 5 * 1024 * 1024
THUMBNAIL_BOX = (960, 960)


class FetchFailed(Exception):
    pass


def _setting(name, default):
    return settings.ANTD.get(name) or default


def _opener():
    # http and https only, no redirects followed (a 3xx is an error), no proxy
    # settings read: what is asked is exactly the address we checked.
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _get(url, limit):
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchFailed(f"địa chỉ không phải http(s): {url[:200]}")
    request = urllib.request.Request(url, headers={"User-Agent": "antd-archive (oEmbed)"})
    try:
        with _opener().open(request, timeout=TIMEOUT_SECONDS) as response:
            data = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        raise FetchFailed(f"{urlsplit(url).hostname} trả lời HTTP {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise FetchFailed(f"không lấy được {urlsplit(url).hostname}: {error}") from None
    if len(data) > limit:
        raise FetchFailed(f"{urlsplit(url).hostname} trả lời quá {limit // 1024} KB")
    return data


def _answer(url, host):
    """The oEmbed answer for the video at url (a dict), or None when we may not ask."""
    query = {"url": url, "format": "json"}
    if host == videos.FACEBOOK:
        token = _setting("FACEBOOK_OEMBED_TOKEN", "")
        if not token:
            return None
        query = {"url": url, "access_token": token}
    endpoint = _setting("OEMBED_ENDPOINTS", {}).get(host) or ENDPOINTS[host]
    try:
        answer = json.loads(_get(f"{endpoint}?{urlencode(query)}", MAX_ANSWER_BYTES))
    except ValueError:
        raise FetchFailed("câu trả lời oEmbed không phải JSON") from None
    if not isinstance(answer, dict):
        raise FetchFailed("câu trả lời oEmbed không phải một đối tượng JSON")
    return answer


def _allowed_thumbnail(url):
    hostname = urlsplit(url).hostname or ""
    hosts = _setting("VIDEO_THUMBNAIL_HOSTS", THUMBNAIL_HOSTS)
    return any(hostname == host or (host.startswith(".") and hostname.endswith(host)) for host in hosts)


def _thumbnail(url):
    """Our own JPEG of the thumbnail at url, from its decoded pixels."""
    if not _allowed_thumbnail(url):
        raise FetchFailed(f"ảnh đại diện ở máy chủ không được phép: {urlsplit(url).hostname}")
    try:
        cleaned = images.clean(ContentFile(_get(url, MAX_THUMBNAIL_BYTES)))
    except images.Refused as refused:
        raise FetchFailed(f"ảnh đại diện bị từ chối: {' '.join(refused.messages)}") from None
    cleaned.image.thumbnail(THUMBNAIL_BOX)
    return ContentFile(images.encode(cleaned.image, "JPEG", **images.JPEG_OPTIONS), name="video.jpg")


def fetch(url):
    """Ask the host about one canonical video URL and keep what it said (or why it
    failed) on its row. Never raises for the host's sake."""
    video, _ = Video.objects.get_or_create(url=url)
    old_thumbnail = video.thumbnail.name
    try:
        _describe(video, videos.host_of(url))
        video.error = ""
    except FetchFailed as failure:
        log.warning("video %s: %s", url, failure)
        video.error = str(failure)
    video.fetched_at = timezone.now()
    video.save()  # its signal tells the cache that pages show a new card
    if old_thumbnail and old_thumbnail != video.thumbnail.name:
        uploads.delete_after_commit(video.thumbnail.storage, [old_thumbnail])
    return video


def _describe(video, host):
    answer = _answer(video.url, host) if host else None
    if answer is None:
        return  # nothing we may ask: the card says "Video trên Facebook"
    video.title = str(answer.get("title") or "")[:300]
    thumbnail_url = answer.get("thumbnail_url")
    if thumbnail_url and isinstance(thumbnail_url, str):
        video.thumbnail.save(f"{host}.jpg", _thumbnail(thumbnail_url), save=False)


def fetch_new(urls):
    """The videos of a body just saved that we know nothing of yet: a failed one is
    left to fetch_videos, so that a host that is away does not slow every save."""
    known = set(Video.objects.filter(url__in=urls).values_list("url", flat=True))
    for url in urls:
        if url not in known:
            fetch(url)


def pending(everything=False):
    """The videos to ask about again: those that failed or were never asked (an
    article written past the signals, by the NDJSON bulk path, has no row yet);
    everything: every video any body places."""
    placed = set()
    for body in Article.objects.filter(body__contains='<figure data-video="').values_list("body", flat=True).iterator():
        placed.update(videos.placed(body))
    rows = {video.url: video for video in Video.objects.filter(url__in=placed)}
    return sorted(url for url in placed if everything or url not in rows or rows[url].needs_fetch)
