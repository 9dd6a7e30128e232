import datetime
import re

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, PhotoFactory, TagFactory, hanoi

pytestmark = pytest.mark.django_db

FOUNDING_URL = "/2017/02/15/doi-moi-bien-phap-cach-lam-day-manh-phong-trao-thi-dua/"


def html(response):
    return response.content.decode()


def test_home_lists_the_latest_public_articles_linking_to_their_pages(client):
    older = ArticleFactory(title="Tin cũ hơn", published_at=hanoi(2020, 1, 1, 8))
    newer = ArticleFactory(title="Tin mới hơn", published_at=hanoi(2021, 1, 1, 8))
    ArticleFactory(title="Bản nháp bí mật", status=Article.Status.DRAFT)
    ArticleFactory(title="Tin hẹn giờ", published_at=timezone.now() + datetime.timedelta(hours=2))
    page = html(client.get("/"))
    assert page.index(newer.title) < page.index(older.title)
    assert f'href="{newer.get_absolute_url()}"' in page
    assert "Bản nháp bí mật" not in page and "Tin hẹn giờ" not in page


def test_article_page_shows_the_founding_example_whole_and_in_order(client, founding_article):
    PhotoFactory(article=founding_article)  # a third photo, with a file, at position 1
    response = client.get(FOUNDING_URL)
    assert response.status_code == 200
    page = html(response)
    assert '<h1 class="story-title">Đổi mới biện pháp, cách làm đẩy mạnh phong trào thi đua</h1>' in page
    assert '<time datetime="2017-02-15T17:30:00+07:00">Thứ Tư, 15/02/2017, 17:30 (GMT+7)</time>' in page
    assert '<p class="sapo">Chiều 15-2, Đại tá Đoàn Ngọc Hùng' in page
    # Paragraphs and figures interleave exactly as in the source text.
    order = re.findall(r"<p>(Cụm|Tại|Với|Hội nghị đã|Đại tá|Nhấn|“Trong)|<figcaption>(Đại tá|Hội nghị ký|Chú thích)", page)
    assert ["".join(pair) for pair in order] == [
        "Cụm", "Chú thích", "Tại", "Đại tá", "Với", "Hội nghị đã", "Đại tá", "Hội nghị ký", "Nhấn", "“Trong",
    ]
    assert page.count("<figure") == 3
    assert page.count('class="photo-placeholder"') == 2  # imported captions whose pictures are not here
    assert 'rel="tag" href="/tag/thi-dua/"' in page
    assert 'href="/chuyen-muc/chinh-tri-xa-hoi/"' in page
    assert "Nguồn: ANTD.VN" in page


def test_first_photo_loads_eagerly_the_rest_lazily(client):
    article = ArticleFactory()
    PhotoFactory(article=article, position=0)
    PhotoFactory(article=article, position=2)
    page = html(client.get(article.get_absolute_url()))
    images = re.findall(r"<img [^>]*>", page)
    assert len(images) == 2
    assert "loading" not in images[0] and 'loading="lazy"' in images[1]
    assert all('width="640"' in tag and 'height="480"' in tag for tag in images)


@pytest.mark.parametrize("status, delta", [("draft", -1), ("published", +1), ("draft", None)])
def test_drafts_and_scheduled_articles_are_hidden_from_readers_but_not_staff(client, admin_client, status, delta):
    when = None if delta is None else timezone.now() + datetime.timedelta(hours=delta)
    article = ArticleFactory(title="Chưa được đọc", status=status, published_at=when)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404
    staff_view = admin_client.get(url)
    assert staff_view.status_code == 200
    assert '<meta name="robots" content="noindex, nofollow">' in html(staff_view)
    assert "Bản xem trước" in html(staff_view)
    for public_url in ("/", f"/{article.category.get_absolute_url().strip('/')}/"):
        assert "Chưa được đọc" not in html(client.get(public_url))


def test_old_url_redirects_permanently_after_a_rename(client):
    article = ArticleFactory(title="Tên cũ", published_at=hanoi(2017, 2, 15, 9))
    article.title, article.slug = "Tên mới", ""
    article.save()
    response = client.get("/2017/02/15/ten-cu/")
    assert response.status_code == 301
    assert response["Location"] == "/2017/02/15/ten-moi/"


def test_listings_by_category_tag_and_date(client):
    tag = TagFactory(name="Phòng cháy chữa cháy")
    article = ArticleFactory(title="Diễn tập cứu hộ", published_at=hanoi(2019, 5, 20, 9), tags=[tag])
    ArticleFactory(title="Tin khác", published_at=hanoi(2018, 5, 20, 9))
    for url in (article.category.get_absolute_url(), "/tag/phong-chay-chua-chay/", "/2019/", "/2019/05/", "/2019/05/20/"):
        page = html(client.get(url))
        assert "Diễn tập cứu hộ" in page and "Tin khác" not in page, url
    assert "Tháng 5 năm 2019" in html(client.get("/2019/05/"))


@pytest.mark.parametrize("url", ["/?page=abc", "/?page=999", "/2019/13/", "/2019/02/30/", "/tag/khong-co/", "/9999/"])
def test_bad_pages_are_404_in_vietnamese(client, url):
    ArticleFactory(published_at=hanoi(2019, 2, 1, 9))
    response = client.get(url)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html(response)


def test_preview_is_for_staff_only(client, admin_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert draft.get_absolute_url() == f"/xem-truoc/{draft.pk}/"
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert admin_client.get(draft.get_absolute_url()).status_code == 200


def test_uploaded_photos_and_static_files_are_served(client):
    photo = PhotoFactory()
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert client.get("/static/css/site.css").status_code == 200
