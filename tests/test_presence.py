"""Who else has an article's form open (newsroom/presence.py, admin/live.py): each open
form says so every few seconds and is told the names of the others."""
import datetime
import json
import re

import pytest
from django.utils import timezone

from articles.models import Article, EditingSession
from tests.factories import ArticleFactory, UserFactory, editor_named

pytestmark = pytest.mark.django_db

URL = "/admin/articles/article/{}/{}"


@pytest.fixture
def article():
    return ArticleFactory(title="Bài đang mở", status=Article.Status.DRAFT, published_at=None)


@pytest.fixture
def an():
    return editor_named("bientap_an", "An", "Nguyễn Văn")


@pytest.fixture
def binh():
    return editor_named("bientap_binh", "Bình", "Trần Thị")


def beat(client, user, article, page=None):
    """A heartbeat, as the form's script sends it (naming its page), or bare."""
    client.force_login(user)
    body = {} if page is None else {"data": json.dumps({"page": page}), "content_type": "application/json"}
    response = client.post(URL.format(article.pk, "presence/"), **body)
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def test_a_heartbeat_registers_the_editor_and_names_nobody_when_alone(client, an, article):
    before = timezone.now()
    assert beat(client, an, article) == {"others": [], "notice": ""}
    session = EditingSession.objects.get(article=article, user=an)
    assert session.seen_at >= before
    beat(client, an, article)  # a second beat updates the row, never adds one
    assert EditingSession.objects.filter(article=article, user=an).count() == 1
    assert EditingSession.objects.get(pk=session.pk).seen_at >= session.seen_at


def test_others_are_named_ho_before_ten_and_oneself_is_not(client, an, binh, article):
    beat(client, an, article)
    answer = beat(client, binh, article)
    assert answer == {"others": ["Nguyễn Văn An"], "notice": "Nguyễn Văn An đang sửa bài này"}
    assert beat(client, an, article)["others"] == ["Trần Thị Bình"]


def test_several_others_are_listed_together(client, an, binh, article):
    chi = editor_named("bientap_chi", "Chi", "Lê")
    beat(client, an, article)
    beat(client, binh, article)
    assert beat(client, chi, article)["notice"] == "Nguyễn Văn An, Trần Thị Bình đang sửa bài này"


def test_someone_on_another_article_is_not_named(client, an, binh, article):
    beat(client, an, ArticleFactory(status=Article.Status.DRAFT, published_at=None))
    assert beat(client, binh, article)["others"] == []


def test_a_form_silent_for_more_than_30_seconds_is_gone_and_old_rows_are_forgotten(client, an, binh, article):
    beat(client, an, article)
    EditingSession.objects.filter(user=an).update(seen_at=timezone.now() - datetime.timedelta(seconds=31))
    assert beat(client, binh, article)["others"] == []
    EditingSession.objects.filter(user=an).update(seen_at=timezone.now() - datetime.timedelta(seconds=25))
    assert beat(client, binh, article)["others"] == ["Nguyễn Văn An"]
    EditingSession.objects.filter(user=an).update(seen_at=timezone.now() - datetime.timedelta(hours=2))
    beat(client, binh, article)
    assert not EditingSession.objects.filter(user=an).exists()


def test_leaving_removes_the_editor_at_once(client, an, binh, article):
    beat(client, an, article)
    # What navigator.sendBeacon sends: a form with the CSRF token in it.
    response = client.post(URL.format(article.pk, "presence/leave/"))
    assert response.status_code == 204
    assert not EditingSession.objects.filter(user=an).exists()
    assert beat(client, binh, article)["others"] == []


def leave(client, user, article, page):
    """The beacon of a closing tab: a form with its page in it."""
    client.force_login(user)
    assert client.post(URL.format(article.pk, "presence/leave/"), {"page": page}).status_code == 204


def test_a_heartbeat_sent_before_leaving_does_not_bring_the_page_back(client, an, binh, article):
    """A closing tab's last heartbeat may reach the server after its leave beacon
    (seen under load): that page stays gone; another page of the editor counts."""
    beat(client, an, article, page="tab-1")
    leave(client, an, article, "tab-1")
    assert beat(client, binh, article)["others"] == []
    beat(client, an, article, page="tab-1")  # sent before the beacon, arrived after
    assert beat(client, binh, article)["others"] == []
    beat(client, an, article, page="tab-1-reopened")  # the same form back from the bfcache, or a reload
    assert beat(client, binh, article)["others"] == ["Nguyễn Văn An"]


def test_one_tab_closing_leaves_the_editor_present_by_another(client, an, binh, article):
    beat(client, an, article, page="tab-1")
    beat(client, an, article, page="tab-2")  # the same article open in a second tab
    leave(client, an, article, "tab-1")
    assert beat(client, binh, article)["others"] == ["Nguyễn Văn An"]
    leave(client, an, article, "tab-2")
    assert beat(client, binh, article)["others"] == []


def test_the_form_names_its_page_and_closing_before_any_heartbeat_leaves(client, an, binh, article):
    client.force_login(an)
    html = client.get(URL.format(article.pk, "change/")).content.decode()
    [page] = re.findall(r'data-page="([^"]+)"', html)
    assert EditingSession.objects.get(article=article, user=an).page == page
    leave(client, an, article, page)  # the tab closed within its first interval
    assert beat(client, binh, article)["others"] == []


@pytest.mark.parametrize("page", ["", "<b>x</b>", "x" * 41, 7, None])
def test_a_page_that_is_no_page_name_is_taken_for_none(client, an, binh, article, page):
    client.force_login(an)
    response = client.post(
        URL.format(article.pk, "presence/"), data=json.dumps({"page": page}), content_type="application/json",
    )
    assert response.status_code == 200
    assert EditingSession.objects.get(article=article, user=an).page == ""
    broken = client.post(URL.format(article.pk, "presence/"), data="{not json", content_type="application/json")
    assert broken.status_code == 200
    assert client.post(URL.format(article.pk, "presence/leave/"), {"page": "<b>x</b>"}).status_code == 204
    assert not EditingSession.objects.filter(user=an).exists()  # no page named: the editor's session goes


def test_the_form_names_the_others_when_it_is_first_shown(client, an, binh, article):
    client.force_login(an)
    assert client.get(URL.format(article.pk, "change/")).status_code == 200  # opening counts as a beat
    client.force_login(binh)
    page = client.get(URL.format(article.pk, "change/")).content.decode()
    assert 'id="antd-live"' in page
    assert f'data-presence-url="/admin/articles/article/{article.pk}/presence/"' in page
    assert f'data-leave-url="/admin/articles/article/{article.pk}/presence/leave/"' in page
    assert 'data-interval="10"' in page
    assert "Nguyễn Văn An đang sửa bài này" in page
    assert "articles/admin/newsroom.js" in page


def test_the_interval_comes_from_the_settings(client, an, article, settings):
    settings.ANTD = {**settings.ANTD, "LIVE_INTERVAL_SECONDS": 2}
    client.force_login(an)
    assert 'data-interval="2"' in client.get(URL.format(article.pk, "change/")).content.decode()


def test_the_add_form_has_no_presence(client, an):
    client.force_login(an)
    page = client.get("/admin/articles/article/add/").content.decode()
    assert 'id="antd-live"' in page and "data-presence-url" not in page


def test_anonymous_visitors_are_sent_to_the_login_page(client, article):
    for action in ("presence/", "presence/leave/"):
        response = client.post(URL.format(article.pk, action))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not EditingSession.objects.exists()


def test_only_post_is_answered(client, an, article):
    client.force_login(an)
    assert client.get(URL.format(article.pk, "presence/")).status_code == 405
    assert client.get(URL.format(article.pk, "presence/leave/")).status_code == 405


def test_unknown_and_trashed_articles_are_not_found(client, an, article):
    client.force_login(an)
    assert client.post(URL.format(article.pk + 1000, "presence/")).status_code == 404
    Article.objects.filter(pk=article.pk).update(deleted_at=timezone.now())
    assert client.post(URL.format(article.pk, "presence/")).status_code == 404
    assert not EditingSession.objects.exists()


def test_a_reporter_reading_a_published_article_is_present_but_outsiders_are_refused(client, article):
    published = ArticleFactory()  # published: a reporter may read it, not change it
    reporter = editor_named("phongvien_cuong", "Cường", "Phạm", group="Phóng viên")
    assert beat(client, reporter, published)["others"] == []
    outsider = UserFactory(username="nhanvien", is_staff=True)  # staff without any newsroom right
    client.force_login(outsider)
    assert client.post(URL.format(article.pk, "presence/")).status_code == 403
    assert not EditingSession.objects.filter(user=outsider).exists()


def test_public_pages_do_not_carry_the_newsroom_script(client, an, article):
    published = ArticleFactory(title="Bài đã đăng")
    beat(client, an, published)
    client.logout()
    page = client.get(published.get_absolute_url())
    assert page.status_code == 200
    assert "newsroom.js" not in page.content.decode() and "đang sửa bài này" not in page.content.decode()
