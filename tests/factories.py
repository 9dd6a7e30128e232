import datetime
import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from articles.models import HANOI, Article, Category, Photo, Tag

PASSWORD = "mat-khau-thu-nghiem-2017"


def jpeg_bytes(width=640, height=480, color=(120, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG")
    return buffer.getvalue()


def hanoi(*args):
    return datetime.datetime(*args, tzinfo=HANOI)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Chuyên mục {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Thẻ {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Tin thử nghiệm số {n} về trật tự đô thị")
    lead = "Sapo của bài thử nghiệm: lực lượng chức năng ra quân bảo đảm an ninh trật tự."
    body = "Đoạn thứ nhất của bài.\n\nĐoạn thứ hai của bài.\n\nĐoạn thứ ba của bài."
    category = factory.SubFactory(CategoryFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    author = "PHÓNG VIÊN"

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    article = factory.SubFactory(ArticleFactory)
    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="anh-thu.jpg"))
    caption = "Chú thích ảnh thử nghiệm"
    position = 1


def editor_named(username, first_name, last_name, group="Biên tập viên"):
    """A newsroom member (groups made by migration 0002), named as the notices name them."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username, first_name=first_name, last_name=last_name, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user
