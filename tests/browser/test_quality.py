"""Every page type is valid HTML, accessible, fits a phone, and scores 100 in Lighthouse.

The pages are the HTML pages of the shared list (tests/public_pages.py). Each
check loads the content once (the 14 sample articles with their generated photos, plus
enough factory articles for a page 2), then checks every page in a subtest of its own, so
that a failure names the page and says what is wrong with it:

- vnu (the W3C Nu HTML checker): zero errors, all pages in one run of the checker;
- axe-core: no serious or critical violation, on a phone (375x800) and on a desktop;
- on a phone 375 px wide, no horizontal scroll;
- Lighthouse: performance 95 or more, accessibility, best practices and SEO 100 on the
  pages of LIGHTHOUSE_PAGES.

The tools come from package.json (node_modules/) and Debian's Chromium: `make test`
installs them. A missing tool fails these tests; it never skips them.
"""
import datetime
import urllib.error
import urllib.request
from typing import NamedTuple

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.models import Article, Author, Category, EventThread, Tag
from articles.reads import counting
from devtools import samples
from tests import quality
from tests.factories import ArticleFactory, CorrectionFactory, PhotoFactory, jpeg_bytes
from tests.public_pages import FILES, PAGES, World, select

pytestmark = pytest.mark.browser


class PageType(NamedTuple):
    name: str
    path: str
    status: int = 200


FOUNDING_ARTICLE_URL = "/2017/02/15/doi-moi-bien-phap-cach-lam-day-manh-phong-trao-thi-dua/"
CATEGORY_SLUG = "chinh-tri-xa-hoi"  # the founding article's category
TAG_SLUG = "thi-dua"  # one of its tags

# The founding article's tag has one page of articles; its category gets a second.
HTML_PAGES = select(without=[FILES, {"tag page 2"}])
LIGHTHOUSE_PAGES = ["home", "article"]

PHONE = {"viewport": {"width": 375, "height": 800}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
TIMEOUT_MS = 15_000


class Site(NamedTuple):
    url: str
    pages: list  # PageTypes

    def page(self, name):
        return next(page for page in self.pages if page.name == name)


@pytest.fixture(scope="module")
def tools():
    """The checkers are installed; otherwise fail (never skip) and say how to get them."""
    problems = quality.missing_tools()
    if problems:
        pytest.fail("The page-quality checks cannot run: " + "; ".join(problems) + ". "
                    + quality.INSTALL_HINT, pytrace=False)


@pytest.fixture
def content(live_server, newsroom_groups):
    """The sample articles, and factory articles in the founding article's category, one
    more than a page: home and category listings then have a page 2."""
    samples.load()
    category = Category.objects.get(slug=CATEGORY_SLUG)
    now = timezone.now()
    for hours in range(settings.ANTD["ARTICLES_PER_PAGE"] + 1):
        ArticleFactory(category=category, published_at=now - datetime.timedelta(hours=hours + 1))
    founding = Article.objects.get(external_id=samples.FOUNDING_ARTICLE)
    assert founding.get_absolute_url() == FOUNDING_ARTICLE_URL and founding.category == category
    # Reads in the last hour, so that "Đọc nhiều" is on the home and article pages.
    ranked = Article.objects.published().order_by("-published_at")[:6]
    counting.add_to_database({(article.pk, counting.hour_of(now)): 10 - n for n, article in enumerate(ranked)})
    # A featured thread, so that the front page shows its box.
    featured = EventThread.objects.create(title="Phong trào thi đua", introduction="Các bài về thi đua.", featured=True)
    featured.articles.add(founding, *Article.objects.published().exclude(pk=founding.pk)[:2])
    world = World(founding, category, Tag.objects.get(slug=TAG_SLUG))
    # The author page shows its author's photo, small and round.
    author = PAGES["author"].url(world).strip("/").rsplit("/", 1)[1]
    portrait = Author.objects.get(slug=author)
    portrait.photo = ContentFile(jpeg_bytes(480, 600), name="chan-dung.jpg")
    portrait.save()
    pages = [PageType(name, PAGES[name].url(world), PAGES[name].status) for name in HTML_PAGES]
    _, home = fetch(live_server.url, "/")
    assert 'class="most-read"' in home and 'class="featured-threads"' in home  # what the checks must see
    return Site(live_server.url, [*pages, PageType("article, every body element", rich_article(founding).get_absolute_url())])


def rich_article(linked):
    """An article whose body uses every element the editor offers, a placed photo and
    an unplaced one, and a link to another article; corrected and updated since."""
    article = ArticleFactory(title="Bài dùng mọi thành phần của nội dung", body="<p>Mở đầu.</p>")
    placed = PhotoFactory(article=article, caption="Ảnh đặt giữa bài", alt_text="Lực lượng chức năng", position=None)
    PhotoFactory(article=article, caption="Ảnh chưa đặt vào nội dung", position=None)
    # Corrected and updated: the notice, the corrections' section, "Cập nhật lúc" (and /dinh-chinh/).
    correction = CorrectionFactory(article=article, text="Bài viết ghi nhầm tên đơn vị; tên đúng là Công an quận Hoàn Kiếm.")
    article.modified_at = correction.published_at
    article.body = (
        "<h2>Diễn biến vụ việc</h2><p>Lực lượng <strong>chức năng</strong> đã <em>nhanh chóng</em> có mặt. "
        f'<a href="{linked.get_absolute_url()}" data-article="{linked.pk}">Xem thêm bài trước</a> và '
        '<a href="https://bocongan.gov.vn/">trang Bộ Công an</a>.<br>Dòng thứ hai.</p>'
        f'<figure data-photo="{placed.pk}"></figure><h3>Các biện pháp</h3>'
        "<ul><li><p>Tuần tra đêm</p></li><li><p>Kiểm tra nồng độ cồn</p></li></ul>"
        "<ol><li><p>Bước một</p></li><li><p>Bước hai</p></li></ol>"
        "<blockquote><p>“Không để xảy ra tình trạng ùn tắc kéo dài.”</p></blockquote>"
        "<table><tbody><tr><th><p>Đơn vị</p></th><th><p>Số vụ</p></th><th><p>Tang vật thu giữ trong đợt cao điểm</p>"
        "</th></tr><tr><td><p>Quận Hoàn Kiếm</p></td><td><p>12</p></td><td><p>Pháo nổ, xe máy không giấy tờ</p></td>"
        "</tr></tbody></table>"
    )
    article.save()
    return article


@pytest.fixture
def open_context(new_context):
    def make(device):
        # axe-core is injected as an inline script, which our own CSP rightly refuses.
        context = new_context(bypass_csp=True, **device)
        context.set_default_timeout(TIMEOUT_MS)
        return context

    return make


def fetch(base_url, path):
    """(status, html) of a GET, as a reader's browser receives it."""
    request = urllib.request.Request(base_url + path, headers={"Accept-Language": "vi"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def visit(page, target):
    """Open a page type in the browser; fail when the URL does not answer as it should."""
    response = page.goto(target.path, wait_until="load")
    status = response.status if response else None
    assert status == target.status, f"GET {target.path} answered {status}, expected {target.status}"


def test_pages_are_valid_html(tools, content, subtests):
    """(a) The Nu HTML checker finds no error on any page: one batch run, then a verdict per page."""
    answers = {page.name: fetch(content.url, page.path) for page in content.pages}
    errors = quality.validate_html_batch({name: html for name, (_, html) in answers.items()})

    for page in content.pages:
        with subtests.test(msg=f"{page.name} {page.path}"):
            status, _ = answers[page.name]
            assert status == page.status, f"GET {page.path} answered {status}, expected {page.status}"
            found = errors[page.name]
            assert not found, (f"{page.name} ({page.path}): {len(found)} HTML error(s) from vnu:\n"
                               + "\n".join(f"  {message}" for message in found))


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_pages_have_no_serious_accessibility_violations(tools, content, open_context, subtests, device):
    """(b) axe-core finds no serious or critical violation on any page."""
    page = open_context(PHONE if device == "phone" else DESKTOP).new_page()
    for target in content.pages:
        with subtests.test(msg=f"{target.name} {target.path} ({device})"):
            visit(page, target)
            violations = quality.axe_violations(page)
            lines = [line for violation in violations for line in quality.describe_violation(violation)]
            assert not violations, (f"{target.name} ({target.path}, {device}): axe-core violations "
                                    "(id (impact) target: help — html):\n"
                                    + "\n".join(f"  {line}" for line in lines))


def test_pages_do_not_scroll_sideways_on_a_phone(tools, content, open_context, subtests):
    """(c) At 375 px wide, nothing makes the page wider than the screen."""
    page = open_context(PHONE).new_page()
    for target in content.pages:
        with subtests.test(msg=f"{target.name} {target.path}"):
            visit(page, target)
            overflow = quality.horizontal_overflow(page, PHONE["viewport"]["width"])
            assert overflow <= 0, (f"{target.name} ({target.path}) scrolls {overflow} px sideways at "
                                   f"{PHONE['viewport']['width']} px. Wider than the screen:\n"
                                   + "\n".join(f"  {element}" for element in quality.wide_elements(page)))


def test_lighthouse_scores(tools, content, subtests):
    """(d) Lighthouse 12 (mobile, Debian's Chromium): accessibility, best practices and
    SEO 100, performance 95 or more."""
    for name in LIGHTHOUSE_PAGES:
        target = content.page(name)
        with subtests.test(msg=f"{target.name} {target.path}"):
            status, _ = fetch(content.url, target.path)
            assert status == target.status, f"GET {target.path} answered {status}, expected {target.status}"
            performance, lighthouse = lighthouse_performance(content.url + target.path)
            scores = quality.scores(lighthouse)
            strict = [c for c in quality.LIGHTHOUSE_CATEGORIES if c != "performance"]
            failing = quality.failing_audits(lighthouse, strict)
            assert performance >= PERFORMANCE_FLOOR and all(scores[c] == 100 for c in strict) and not failing, (
                f"{target.name} ({target.path}): Lighthouse scores {scores} (performance, median: {performance}); "
                "failing audits:\n" + "\n".join(quality.describe_audit(audit) for audit in quality.failing_audits(lighthouse))
            )


PERFORMANCE_FLOOR = 95


def lighthouse_performance(url):
    """(performance score, report). Lighthouse's performance varies from run to run on a
    busy machine, and its authors advise the median of several runs: one run when it
    clears the floor, else the median of three (the report is the median run's)."""
    runs = [quality.lighthouse_report(url)]
    if quality.scores(runs[0])["performance"] < PERFORMANCE_FLOOR:
        runs += [quality.lighthouse_report(url) for _ in range(2)]
    runs.sort(key=lambda report: quality.scores(report)["performance"])
    median = runs[len(runs) // 2]
    return quality.scores(median)["performance"], median


BROKEN_PAGE = """<!doctype html><html><head></head><body>
<img src="/static/none.png"><div style="width: 900px">rộng hơn màn hình</div></body></html>"""


def test_the_checkers_catch_a_broken_page(tools, open_context):
    """The harness itself: a page with known faults must fail every check (no silent pass)."""
    errors = quality.validate_html(BROKEN_PAGE)
    assert any("“title”" in message for message in errors), errors
    assert any("“alt”" in message for message in errors), errors

    page = open_context(PHONE).new_page()
    page.set_content(BROKEN_PAGE)
    found = {violation["id"] for violation in quality.axe_violations(page)}
    assert {"image-alt", "html-has-lang", "document-title"} <= found, found
    assert quality.horizontal_overflow(page) > 0
    assert any(element.startswith("div") for element in quality.wide_elements(page))
