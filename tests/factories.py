import datetime
import io
from html.parser import HTMLParser

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from articles import bylines
from articles.authors import assign as assign_authors
from articles.models import HANOI, Article, Category, Correction, Photo, Tag
from articles.richtext import convert

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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The byline text as articles/authors.py writes it, so that naming the
        # authors below changes nothing more (and records no second revision).
        kwargs["author"] = bylines.byline(bylines.names_in(kwargs.get("author", "")))
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        """Authors named by a list or byline; by default those of the author text."""
        if create:
            assign_authors(self, self.author if extracted is None else extracted)


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    published_at = factory.LazyFunction(timezone.now)
    text = factory.Sequence(lambda n: f"Bài viết đã ghi nhầm số liệu lần {n}; chúng tôi đã sửa lại cho đúng.")


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    article = factory.SubFactory(ArticleFactory)
    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="anh-thu.jpg"))
    caption = "Chú thích ảnh thử nghiệm"
    position = 1  # placed in the body after this many paragraphs; None: not placed

    @classmethod
    def _build(cls, model_class, *args, position=None, **kwargs):
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, position=None, **kwargs):
        photo = super()._create(model_class, *args, **kwargs)
        if position is not None:
            place(photo, position)
        return photo


class TopLevel(HTMLParser):
    """The top-level pieces of a stored body: (is a placeholder, its photo id, its HTML)."""

    def __init__(self, body):
        super().__init__(convert_charrefs=False)
        self.body, self.depth, self.start, self.pieces = body, 0, 0, []
        self.feed(body)
        self.close()

    def _offset(self):
        line, column = self.getpos()
        return sum(len(text) + 1 for text in self.body.split("\n")[: line - 1]) + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.start = self._offset()
            self.photo = dict(attrs).get("data-photo")
        self.depth += tag != "br"

    def handle_endtag(self, tag):
        self.depth -= 1
        if self.depth == 0:
            end = self._offset() + len(f"</{tag}>")
            self.pieces.append((tag == "figure", self.photo, self.body[self.start:end]))


def placements(article):
    """(blocks before it, photo) of each photo the body places, in reading order."""
    article.refresh_from_db()
    photos, found, blocks = {p.pk: p for p in article.photos.all()}, [], 0
    for is_photo, photo_id, _ in TopLevel(article.body).pieces:
        if is_photo:
            found.append((blocks, photos.get(int(photo_id))))
        else:
            blocks += 1
    return found


def place(photo, position):
    """Put photo's placeholder in its article's body after `position` blocks, after
    the photos already there."""
    article = Article.objects.get(pk=photo.article_id)
    parts, blocks, inserted = [], 0, False
    for is_photo, _, piece in TopLevel(article.body).pieces:
        if not is_photo and blocks == position and not inserted:
            parts.append(convert.placeholder(photo.pk))
            inserted = True
        parts.append(piece)
        blocks += not is_photo
    if not inserted:
        parts.append(convert.placeholder(photo.pk))
    article.body = "".join(parts)
    article.save()


def editor_named(username, first_name, last_name, group="Biên tập viên"):
    """A newsroom member (groups made by migration 0002), named as the notices name them."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username, first_name=first_name, last_name=last_name, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user
