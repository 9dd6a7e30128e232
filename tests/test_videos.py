"""Video cards in article bodies (issue 13): the stored placeholder and its one URL
spelling (articles/richtext/videos.py), what the host says of a video, fetched
after commit and kept with our own copy of the thumbnail (articles/oembed.py), and
the card on the page and in the feed, which load nothing from another host.

The hosts are a real HTTP server on 127.0.0.1 (VideoHost), answering oEmbed and
serving a JPEG; tests/conftest.py points every other test at a closed port."""
import io
import json
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from PIL import Image

from articles import oembed
from articles.models import Article, Video
from articles.richtext import sanitize, videos
from tests.factories import ArticleFactory, CategoryFactory, jpeg_bytes
from tests.test_admin import form_data, login

YOUTUBE_ID = "dQw4w9WgXcQ"
YOUTUBE_URL = f"https://www.youtube.com/watch?v={YOUTUBE_ID}"
FACEBOOK_URL = "https://www.facebook.com/antd.vn/videos/1234567890/"
TITLE = "Công an Hà Nội ra quân bảo đảm trật tự"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
# What a careless or hostile image server may append to a JPEG.
TRAILER = b"<script>alert(1)</script>"


class VideoHost(ThreadingHTTPServer):
    """An oEmbed endpoint and an image server, recording what it was asked."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Answer)
        self.asked, self.failing = [], False
        self.title = TITLE

    @property
    def root(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Answer(BaseHTTPRequestHandler):
    def do_GET(self):
        split = urlsplit(self.path)
        self.server.asked.append(self.path)
        if self.server.failing:
            return self._send(500, b"loi", "text/plain")
        if split.path == "/oembed":
            answer = {"title": self.server.title, "thumbnail_url": f"{self.server.root}/hqdefault.jpg",
                      "asked_for": parse_qs(split.query)["url"][0]}
            return self._send(200, json.dumps(answer).encode(), "application/json")
        if split.path == "/hqdefault.jpg":
            return self._send(200, jpeg_bytes(480, 360, (20, 90, 160)) + TRAILER, "image/jpeg")
        return self._send(404, b"", "text/plain")

    def _send(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def host(settings):
    server = VideoHost()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = f"{server.root}/oembed"
    settings.ANTD = {**settings.ANTD, "OEMBED_ENDPOINTS": {"youtube": endpoint, "facebook": endpoint}}
    yield server
    server.shutdown()
    server.server_close()


def video_body(url=YOUTUBE_URL):
    return f'<p>Mở đầu bài.</p><figure data-video="{url}"></figure><p>Kết thúc bài.</p>'


def saved(body, capture):
    """An article written and committed, its after-commit work done."""
    with capture(execute=True):
        article = ArticleFactory(body=body)
    return Article.objects.get(pk=article.pk)


class Loads(HTMLParser):
    """Every address the page makes the browser load by itself, and every link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.loaded, self.links, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        for name in ("src", "poster", "data"):
            if attrs.get(name):
                self.loaded.append(attrs[name])
        for name in ("srcset", "imagesrcset"):
            self.loaded += [item.strip().split(" ")[0] for item in (attrs.get(name) or "").split(",") if item.strip()]
        if tag == "link" and set((attrs.get("rel") or "").split()) & {"preload", "stylesheet", "icon", "modulepreload"}:
            self.loaded.append(attrs.get("href") or "")
        if tag == "a":
            self.links.append(attrs.get("href"))

    handle_startendtag = handle_starttag


def loads(page):
    parser = Loads()
    parser.feed(page)
    parser.close()
    return parser


def same_origin(url):
    return url.startswith("/") and not url.startswith("//")


# --- the stored form ---------------------------------------------------------------------------


@pytest.mark.parametrize("given, stored", [
    (YOUTUBE_URL, YOUTUBE_URL),
    (f"https://youtu.be/{YOUTUBE_ID}", YOUTUBE_URL),
    (f"https://youtu.be/{YOUTUBE_ID}?si=abc&t=30", YOUTUBE_URL),
    (f"http://m.youtube.com/watch?feature=share&v={YOUTUBE_ID}", YOUTUBE_URL),
    (f"https://www.youtube.com/shorts/{YOUTUBE_ID}", YOUTUBE_URL),
    (f"youtube.com/watch?v={YOUTUBE_ID}", YOUTUBE_URL),
    ("https://facebook.com/antd.vn/videos/1234567890", FACEBOOK_URL),
    ("https://m.facebook.com/antd.vn/videos/ten-video/1234567890/?ref=share", FACEBOOK_URL),
    ("https://fb.watch/aBc-12_x/", "https://fb.watch/aBc-12_x/"),
])
def test_a_video_link_is_stored_in_its_one_spelling(given, stored):
    cleaned = sanitize.clean(f'<p>Một.</p><figure data-video="{given}"></figure>')
    assert cleaned.html == f'<p>Một.</p><figure data-video="{stored}"></figure>'
    assert cleaned.dropped == ()
    assert videos.canonical(stored) == stored


@pytest.mark.parametrize("given", [
    "javascript:alert(1)",
    "jav&#x61;script:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "https://vimeo.com/123456",
    f"https://youtube.com.evil.example/watch?v={YOUTUBE_ID}",
    f"https://evil.example/youtube.com/watch?v={YOUTUBE_ID}",
    f"https://www.youtube.com@evil.example/watch?v={YOUTUBE_ID}",
    f"https://evilyoutube.com/watch?v={YOUTUBE_ID}",
    f"https://www.youtube.com:8443/watch?v={YOUTUBE_ID}",
    f"https://www.youtube.com\\@evil.example/watch?v={YOUTUBE_ID}",
    "https://www.youtube.com/watch?v=short",
    f"https://www.youtube.com/watch?v={YOUTUBE_ID}%22%3E%3Cscript%3E",
    "https://www.facebook.com.evil.example/antd/videos/123/",
    "https://www.facebook.com/antd.vn/posts/123/",
    "ftp://youtu.be/dQw4w9WgXcQ",
    "",
])
def test_any_other_link_is_no_video_and_the_editor_hears_it(given):
    cleaned = sanitize.clean(f'<p>Một.</p><figure data-video="{given}"></figure>')
    assert cleaned.html == "<p>Một.</p>"
    assert "1 video không phải YouTube hay Facebook" in cleaned.dropped


def test_a_video_stands_between_blocks_empty_and_never_with_a_photo():
    iframe = '<iframe src="https://evil.example/"></iframe>'
    inside = f'<ul><li><figure data-video="{YOUTUBE_URL}">{iframe}</figure></li></ul>'
    assert sanitize.clean(inside).html == "<ul><li></li></ul>"
    filled = f'<figure data-video="{YOUTUBE_URL}"><img src="https://i.ytimg.com/x.jpg"><p>chữ</p></figure>'
    assert sanitize.clean(filled).html == f'<figure data-video="{YOUTUBE_URL}"></figure>'
    both = f'<figure data-photo="7" data-video="{YOUTUBE_URL}"></figure>'
    assert sanitize.clean(both).html == '<figure data-photo="7"></figure>'
    assert sanitize.safe('<figure data-video="https://evil.example/"></figure>') == "<figure></figure>"


# --- fetched after commit ------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_admin_save_gets_the_title_and_keeps_our_own_thumbnail(client, editor, host, media_root,
                                                                  django_capture_on_commit_callbacks):
    body = f'<p>Mở đầu bài.</p><figure data-video="https://youtu.be/{YOUTUBE_ID}"></figure>'
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, editor).post("/admin/articles/article/add/", form_data(
            body=body, status="published", published_at_0="15/02/2017", published_at_1="17:30",
            category=CategoryFactory().pk,
        ))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert Article.objects.get().body == f'<p>Mở đầu bài.</p><figure data-video="{YOUTUBE_URL}"></figure>'
    video = Video.objects.get()
    assert (video.url, video.title, video.error) == (YOUTUBE_URL, TITLE, "")
    assert video.thumbnail.name.startswith("videos/") and video.thumbnail.name.endswith(".jpg")
    assert (video.thumbnail_width, video.thumbnail_height) == (480, 360)
    stored = (media_root / video.thumbnail.name).read_bytes()
    assert TRAILER not in stored  # written from decoded pixels, never the bytes sent
    assert Image.open(io.BytesIO(stored)).format == "JPEG"
    asked = [path for path in host.asked if path.startswith("/oembed")]
    assert len(asked) == 1 and parse_qs(urlsplit(asked[0]).query)["url"] == [YOUTUBE_URL]


@pytest.mark.django_db
def test_nothing_is_asked_before_the_commit_nor_again_for_a_known_video(host, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ArticleFactory(body=video_body())
    assert host.asked == [] and not Video.objects.exists()  # a rollback here would have asked nothing
    for callback in callbacks:
        callback()
    assert Video.objects.get().title == TITLE
    host.asked.clear()
    saved(video_body(), django_capture_on_commit_callbacks)
    assert host.asked == []


@pytest.mark.django_db
def test_the_page_shows_the_card_and_loads_nothing_from_another_host(client, host, django_capture_on_commit_callbacks):
    article = saved(video_body(), django_capture_on_commit_callbacks)
    page = client.get(article.get_absolute_url()).content.decode()
    story = page[page.index('class="story-body"'):page.index('class="byline"') if 'class="byline"' in page else None]
    assert story.index("Mở đầu bài.") < story.index('class="video"') < story.index("Kết thúc bài.")
    card = loads(story[story.index('<figure class="video"'):story.index("</figure>", story.index('class="video"'))])
    thumbnail = Video.objects.get().thumbnail
    assert card.loaded == [thumbnail.url] and same_origin(thumbnail.url)
    assert card.links == [YOUTUBE_URL]
    assert f'href="{YOUTUBE_URL}" rel="noopener noreferrer"' in story
    assert "Xem video trên YouTube" in story and TITLE in story
    assert 'loading="lazy"' in story and 'width="480" height="360"' in story
    everything = loads(page)
    assert "iframe" not in everything.tags and "embed" not in everything.tags
    assert [url for url in everything.loaded if not same_origin(url)] == []
    assert "ytimg" not in page


@pytest.mark.django_db
def test_a_failed_fetch_leaves_the_save_and_the_card_says_what_it_can(client, host, django_capture_on_commit_callbacks):
    host.failing = True
    article = saved(video_body(), django_capture_on_commit_callbacks)
    assert article.body == video_body()
    video = Video.objects.get()
    assert video.error and "HTTP 500" in video.error and video.fetched_at and not video.thumbnail
    page = client.get(article.get_absolute_url()).content.decode()
    story = page[page.index('class="story-body"'):]
    assert "Video trên YouTube" in story and f'href="{YOUTUBE_URL}"' in story
    assert "<img" not in story[story.index('class="video"'):story.index("</figure>", story.index('class="video"'))]


@pytest.mark.django_db
def test_a_host_that_does_not_answer_leaves_the_save_whole(client, django_capture_on_commit_callbacks):
    article = saved(video_body(), django_capture_on_commit_callbacks)  # conftest: a closed port
    assert Article.objects.get(pk=article.pk).body == video_body()
    assert "không lấy được" in Video.objects.get().error
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_thumbnail_from_another_server_is_refused(settings, host, django_capture_on_commit_callbacks):
    settings.ANTD = {**settings.ANTD, "VIDEO_THUMBNAIL_HOSTS": ("i.ytimg.com",)}
    saved(video_body(), django_capture_on_commit_callbacks)
    video = Video.objects.get()
    assert video.title == TITLE and not video.thumbnail and "không được phép" in video.error
    assert not any(path.endswith(".jpg") for path in host.asked)


@pytest.mark.django_db
def test_the_fetch_tells_the_cache_the_page_changed(client, host):
    article = ArticleFactory(body=video_body())  # inside the test's transaction: nothing fetched
    url = article.get_absolute_url()
    assert "Video trên YouTube" in client.get(url).content.decode()
    oembed.fetch(YOUTUBE_URL)
    page = client.get(url).content.decode()
    assert TITLE in page and Video.objects.get().thumbnail.url in page


@pytest.mark.django_db
def test_fetch_videos_retries_the_failed_and_the_never_asked(client, host, capsys, django_capture_on_commit_callbacks):
    host.failing = True
    article = saved(video_body(), django_capture_on_commit_callbacks)
    # The NDJSON bulk path writes past the signals: a video with no row at all.
    other = f"https://www.youtube.com/watch?v={'b' * 11}"
    Article.objects.filter(pk=ArticleFactory(body=video_body()).pk).update(body=video_body(other))
    call_command("fetch_videos")
    assert "Lỗi:" in capsys.readouterr().err
    host.failing = False
    call_command("fetch_videos")
    assert "Đã hỏi lại 2 video, 2 thành công." in capsys.readouterr().out
    assert set(Video.objects.values_list("title", "error")) == {(TITLE, "")}
    assert TITLE in client.get(article.get_absolute_url()).content.decode()
    host.asked.clear()
    call_command("fetch_videos")
    assert host.asked == []
    call_command("fetch_videos", "--all")
    assert len([path for path in host.asked if path.startswith("/oembed")]) == 2


@pytest.mark.django_db
def test_facebook_without_a_token_is_a_card_asking_nothing(client, settings, host, django_capture_on_commit_callbacks):
    settings.ANTD = {**settings.ANTD, "FACEBOOK_OEMBED_TOKEN": ""}
    article = saved(video_body(FACEBOOK_URL), django_capture_on_commit_callbacks)
    assert host.asked == []
    assert Video.objects.get().error == ""
    story = client.get(article.get_absolute_url()).content.decode()
    assert "Video trên Facebook" in story and "Xem video trên Facebook" in story and f'href="{FACEBOOK_URL}"' in story


@pytest.mark.django_db
def test_facebook_with_a_token_is_asked_with_it(settings, host, django_capture_on_commit_callbacks):
    settings.ANTD = {**settings.ANTD, "FACEBOOK_OEMBED_TOKEN": "app|secret"}
    saved(video_body(FACEBOOK_URL), django_capture_on_commit_callbacks)
    query = parse_qs(urlsplit(host.asked[0]).query)
    assert query["url"] == [FACEBOOK_URL] and query["access_token"] == ["app|secret"]
    assert Video.objects.get().title == TITLE


@pytest.mark.django_db
def test_the_feed_carries_a_link_and_our_thumbnail_at_its_full_address(client, host,
                                                                      django_capture_on_commit_callbacks):
    saved(video_body(), django_capture_on_commit_callbacks)
    root = ET.fromstring(client.get("/rss/").content)
    content = next(root.iter(CONTENT)).text
    assert f'<a href="{YOUTUBE_URL}" rel="noopener noreferrer">Xem video trên YouTube: {TITLE}</a>' in content
    thumbnail = Video.objects.get().thumbnail.url
    assert f'<img src="http://antd.vn{thumbnail}" alt="">' in content  # the Site's domain
    assert "iframe" not in content


@pytest.mark.django_db
def test_json_ld_and_search_words_leave_the_video_out(client, host, django_capture_on_commit_callbacks):
    article = saved(video_body(), django_capture_on_commit_callbacks)
    page = client.get(article.get_absolute_url()).content.decode()
    ld = page[page.index('application/ld+json'):]
    ld = ld[:ld.index("</script>")]
    assert "youtube" not in ld.lower() and "Mở đầu bài." in ld
    assert client.get("/tim-kiem/?q=youtube").content.decode().count(article.title) == 0


@pytest.mark.django_db
def test_a_body_with_a_video_costs_one_query_more_and_none_warm(client, host, django_capture_on_commit_callbacks):
    from tests.test_query_counts import measure

    plain = saved("<p>Mở đầu bài.</p><p>Kết thúc bài.</p>", django_capture_on_commit_callbacks)
    with_video = saved(video_body(), django_capture_on_commit_callbacks)
    without, _ = measure(client, plain.get_absolute_url(), warm=False)
    cold, _ = measure(client, with_video.get_absolute_url(), warm=False)
    warm, _ = measure(client, with_video.get_absolute_url(), warm=True)
    assert (cold, warm) == (without + 1, 0)
