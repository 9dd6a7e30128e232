import pytest
from django.contrib.auth.models import Group

from articles.models import Article
from django.contrib.contenttypes.models import ContentType

from tests.factories import ArticleFactory, CategoryFactory, PhotoFactory, TagFactory, hanoi

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"
LIST_URL = "/admin/articles/article/"


def form_data(**overrides):
    data = {
        "title": "Đảm bảo trật tự dịp lễ",
        "slug": "",
        "lead": "Sapo.",
        "body": "Đoạn một.\r\n\r\nĐoạn hai.",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "author": "",
        "source": "ANTD.VN",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        # The desk's inlines (admin/desk.py): no correction, no new note; no author named.
        **{f"{prefix}-{name}": "0" for prefix in ("corrections", "editorial_notes", "authorships")
           for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")},
    }
    data.update(overrides)
    return data


def login(client, user):
    client.force_login(user)  # axes checks real logins (tests/test_security.py)
    return client


def test_newsroom_groups_exist_with_the_right_powers():
    reporters = set(Group.objects.get(name="Phóng viên").permissions.values_list("codename", flat=True))
    editors = set(Group.objects.get(name="Biên tập viên").permissions.values_list("codename", flat=True))
    assert "publish_article" in editors and "publish_article" not in reporters
    assert {"add_article", "change_article", "add_photo"} <= reporters
    assert "delete_article" not in reporters


def test_admin_is_in_vietnamese(client, editor):
    page = login(client, editor).get(LIST_URL).content.decode()
    assert "Chọn bài viết để thay đổi" in page or "bài viết" in page
    assert "Trạng thái" in page or "trạng thái" in page


def test_dates_are_entered_day_first(client, editor):
    category = CategoryFactory()
    response = login(client, editor).post(ADD_URL, form_data(
        status="published", published_at_0="15/02/2017", published_at_1="17:30", category=category.pk,
    ))
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.published_at == hanoi(2017, 2, 15, 17, 30)
    assert article.created_by == editor and article.updated_by == editor


def test_a_reporter_saves_drafts_but_cannot_publish(client, reporter):
    login(client, reporter)
    response = client.post(ADD_URL, form_data(status="published", published_at_0="15/02/2017", published_at_1="17:30"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT  # the status field is read-only for reporters
    page = client.get(LIST_URL).content.decode()
    assert 'value="publish"' not in page and 'value="unpublish"' not in page


def test_a_reporter_cannot_change_a_published_article(client, reporter):
    article = ArticleFactory()
    login(client, reporter)
    response = client.post(f"{LIST_URL}{article.pk}/change/", form_data(title="Sửa trộm"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "Sửa trộm"


def test_editors_publish_and_unpublish_from_the_list(client, editor):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    login(client, editor)
    client.post(LIST_URL, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED and draft.published_at is not None
    client.post(LIST_URL, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_list_shows_thumbnails_and_filters(client, editor):
    PhotoFactory(article=ArticleFactory(title="Có ảnh", tags=[TagFactory()]))
    page = login(client, editor).get(LIST_URL).content.decode()
    assert "Có ảnh" in page
    assert '<img src="/media/photos/' in page
    for filter_name in ("status__exact", "category__id__exact", "tags__id__exact"):
        assert f"?{filter_name}=" in page


def test_a_photo_without_file_or_caption_is_refused_and_nothing_is_saved(client, editor):
    response = login(client, editor).post(ADD_URL, form_data(**{
        "photos-TOTAL_FORMS": "1", "photos-0-caption": "", "photos-0-credit": "Ảnh: Minh",
    }))
    assert response.status_code == 200
    assert "Ảnh cần có tệp ảnh hoặc chú thích." in response.content.decode()
    assert not Article.objects.exists()


def test_duplicate_tag_by_tone_placement_is_refused_in_admin(client, editor):
    login(client, editor).post("/admin/articles/tag/add/", {"name": "Thanh Hoá"})
    response = client.post("/admin/articles/tag/add/", {"name": "Thanh Hóa"})
    assert response.status_code == 200
    assert "trùng với thẻ" in response.content.decode()


def test_view_on_site_points_at_the_public_url(client, editor):
    article = ArticleFactory(published_at=hanoi(2017, 2, 15, 9), title="Xem trên trang")
    page = login(client, editor).get(f"{LIST_URL}{article.pk}/change/").content.decode()
    assert "/admin/r/" in page  # Django's view-on-site shortcut
    content_type = ContentType.objects.get_for_model(Article)
    response = client.get(f"/admin/r/{content_type.pk}/{article.pk}/")
    assert response.status_code == 302 and response["Location"].endswith("/2017/02/15/xem-tren-trang/")
