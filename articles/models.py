from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from . import cache as content_cache
from . import images, text, uploads
from .uploads import photo_upload_to

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
VI_COLLATION = "vi-VN-x-icu"


class HanoiDate(models.Func):
    """The calendar day of a timestamp in Hanoi, the day an article's URL carries.

    Spelled out rather than TruncDate(tzinfo=...) so that migrations can
    serialise the unique constraint that uses it."""

    template = "((%(expressions)s AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)"
    output_field = models.DateField()


def archive_path(day, kind="day"):
    """/YYYY/, /YYYY/MM/ or /YYYY/MM/DD/, as articles:year, :month and :day (and
    the prefix of articles:article). Written directly, not reverse()d: a sitemap
    file makes thousands of them; tests/test_urls.py holds the two in step."""
    return {"year": f"/{day:%Y}/", "month": f"/{day:%Y/%m}/", "day": f"/{day:%Y/%m/%d}/"}[kind]


class NormalizedModel(models.Model):
    """Stores every text field in NFC, whatever form the browser or file sent."""

    class Meta:
        abstract = True

    def normalize_text(self):
        for field in self._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, text.normalized(value))

    def clean(self):
        self.normalize_text()

    def save(self, *args, **kwargs):
        self.normalize_text()
        super().save(*args, **kwargs)


class SluggedByName(NormalizedModel):
    """A name whose slug is its identity: "Thanh Hoá" and "Thanh Hóa" are one."""

    duplicate_message = "“{name}” trùng với “{other}” đã có."

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.slug = text.slugify(self.name)
        if not self.slug:
            raise ValidationError({"name": "Tên phải có ít nhất một chữ cái hoặc chữ số."})
        other = type(self).objects.filter(slug=self.slug).exclude(pk=self.pk).first()
        if other:
            raise ValidationError({"name": self.duplicate_message.format(name=self.name, other=other.name)})

    def save(self, *args, **kwargs):
        self.normalize_text()
        self.slug = text.slugify(self.slug or self.name)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.name


class Category(SluggedByName):
    name = models.CharField("tên", max_length=120, db_collation=VI_COLLATION)
    slug = models.SlugField("đường dẫn", max_length=140, unique=True, blank=True)
    description = models.TextField("mô tả", blank=True)
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    duplicate_message = "Chuyên mục “{name}” trùng với chuyên mục “{other}” đã có."

    class Meta:
        verbose_name = "chuyên mục"
        verbose_name_plural = "chuyên mục"
        ordering = ["position", "name"]

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


class TagQuerySet(models.QuerySet):
    def for_names(self, names):
        """The tags for these names, created when missing, one per normalized slug."""
        tags = {}
        for name in names:
            name = text.collapse_spaces(text.nfc(name))
            slug = text.slugify(name)
            if slug and slug not in tags:
                tags[slug], _ = self.get_or_create(slug=slug, defaults={"name": name})
        return list(tags.values())


class Tag(SluggedByName):
    name = models.CharField("tên", max_length=100, db_collation=VI_COLLATION)
    slug = models.SlugField("đường dẫn", max_length=120, unique=True, blank=True)

    objects = TagQuerySet.as_manager()
    duplicate_message = "Thẻ “{name}” trùng với thẻ “{other}” đã có."

    class Meta:
        verbose_name = "thẻ"
        verbose_name_plural = "thẻ"
        ordering = ["name"]
        # The tag index walks this, in Vietnamese order (the column's collation),
        # instead of sorting every tag for each page.
        indexes = [models.Index(fields=["name"], name="tag_by_name")]

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


# The newest public articles of each category, category by category in menu
# order, each a LIMIT on article_public_by_category: never a scan of the archive.
CATEGORY_BLOCKS = """
SELECT newest.id FROM articles_category c
CROSS JOIN LATERAL (
    SELECT a.id, a.published_at FROM articles_article a
     WHERE a.category_id = c.id AND a.status = 'published' AND a.published_at <= now()
     ORDER BY a.published_at DESC, a.id DESC LIMIT %s
) newest
ORDER BY c.position, c.name, c.id, newest.published_at DESC, newest.id DESC
"""

# The newest public articles of each of an article's tags (tagging_public_by_date),
# merged newest first.
RELATED = """
SELECT id FROM (
    SELECT DISTINCT ON (newest.article_id) newest.article_id AS id, newest.published_at
      FROM unnest(%s::bigint[]) AS tag(id)
     CROSS JOIN LATERAL (
        SELECT t.article_id, t.published_at FROM articles_article_tags t
         WHERE t.tag_id = tag.id AND t.status = 'published' AND t.published_at <= now() AND t.article_id <> %s
         ORDER BY t.published_at DESC, t.article_id DESC LIMIT %s
     ) newest
     ORDER BY newest.article_id
) merged
ORDER BY published_at DESC, id DESC LIMIT %s
"""


NEIGHBOURS = """
(SELECT 'previous', id FROM articles_article
  WHERE status = 'published' AND published_at <= now() AND (published_at, id) < (%s, %s)
  ORDER BY published_at DESC, id DESC LIMIT 1)
UNION ALL
(SELECT 'next', id FROM articles_article
  WHERE status = 'published' AND published_at <= now() AND (published_at, id) > (%s, %s)
  ORDER BY published_at, id LIMIT 1)
"""

# Every Hanoi day with a public article, newest first: from each day, one step
# down article_public_by_date to the day before it that has one. As many steps as
# days (about 8,000 in twenty years), however many articles each day holds.
PUBLICATION_DAYS = """
WITH RECURSIVE day(d) AS (
    SELECT (max(published_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date FROM articles_article
     WHERE status = 'published' AND published_at <= now()
    UNION ALL
    SELECT (SELECT (a.published_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date FROM articles_article a
             WHERE a.status = 'published' AND a.published_at < (day.d::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
             ORDER BY a.published_at DESC LIMIT 1)
      FROM day WHERE day.d IS NOT NULL
)
SELECT d FROM day WHERE d IS NOT NULL
"""


def _rows(sql, params):
    from django.db import connections, router

    with connections[router.db_for_read(Article)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _ids(sql, params):
    return [row[0] for row in _rows(sql, params)]


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, and not scheduled for later.

        Every public surface (pages, feeds, sitemaps, search) starts here.
        """
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        """What a list of cards shows: category and photos fetched, the heavy text left."""
        return self.select_related("category").prefetch_related("photos").defer("body", "search_vector")

    def category_blocks(self, per_category=4):
        """The newest public articles of every category: [(category, [articles])] in
        the categories' order. Each category is one short range of its index."""
        ids = _ids(CATEGORY_BLOCKS, [per_category])
        articles = {a.pk: a for a in self.filter(pk__in=ids).for_listing()}
        blocks = {}
        for pk in ids:
            if pk in articles:
                blocks.setdefault(articles[pk].category, []).append(articles[pk])
        return list(blocks.items())

    def related_to(self, article, limit=5):
        """Public articles sharing a tag with this one, newest first: the newest few
        of each tag, from the tag's own index, then merged."""
        tag_ids = [tag.pk for tag in article.tags.all()]
        if not tag_ids:
            return []
        ids = _ids(RELATED, [tag_ids, article.pk, limit, limit])
        articles = {a.pk: a for a in self.filter(pk__in=ids).for_listing()}
        return [articles[pk] for pk in ids if pk in articles]

    def publication_days(self):
        """Every day (Hanoi time) with a public article, newest first."""
        return _ids(PUBLICATION_DAYS, [])

    def neighbours(self, article):
        """The public articles just before and just after this one (None at the ends).

        Row comparisons, so that each is one step along article_public_by_date."""
        rows = dict(_rows(NEIGHBOURS, [article.published_at, article.pk] * 2))
        found = {a.pk: a for a in self.filter(pk__in=rows.values()).only("title", "slug", "published_at")}
        return found.get(rows.get("previous")), found.get(rows.get("next"))


class Article(NormalizedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        PUBLISHED = "published", "Đã xuất bản"

    title = models.CharField("tiêu đề", max_length=300)
    slug = models.SlugField(
        "đường dẫn", max_length=200, blank=True,
        help_text="Để trống để tạo từ tiêu đề. Chỉ gồm chữ không dấu, số và dấu gạch ngang.",
    )
    lead = models.TextField("sapo", help_text="Đoạn mở đầu, in đậm dưới tiêu đề.")
    body = models.TextField("nội dung", help_text="Các đoạn văn cách nhau bằng một dòng trống.")
    category = models.ForeignKey(
        Category, verbose_name="chuyên mục", on_delete=models.PROTECT,
        null=True, blank=True, related_name="articles",
    )
    tags = models.ManyToManyField(Tag, verbose_name="thẻ", blank=True, related_name="articles")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "thời gian xuất bản", null=True, blank=True,
        help_text="Để trống khi xuất bản nghĩa là ngay bây giờ; một thời điểm trong tương lai là hẹn giờ.",
    )
    author = models.CharField("tác giả", max_length=200, blank=True)
    source = models.CharField("nguồn", max_length=100, blank=True, default="ANTD.VN")
    external_id = models.CharField(
        "mã nhập", max_length=200, null=True, blank=True, unique=True, editable=False,
        help_text="Tên tệp đã nhập bài này, để nhập lại thì cập nhật chứ không tạo bài mới.",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tạo", on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người sửa", on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    # Written by database triggers (migration 0004) from the title, tags, category,
    # sapo and body, so it is current whatever changed them; see articles/search.py.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "bài viết"
        verbose_name_plural = "bài viết"
        ordering = ["-published_at", "-id"]
        permissions = [("publish_article", "Có thể xuất bản và gỡ bài")]
        constraints = [
            models.UniqueConstraint(
                HanoiDate("published_at"), "slug", name="article_slug_unique_per_day"
            ),
        ]
        indexes = [
            # Every listing is a range of one of these, newest first: pages cost
            # the same however large the archive is.
            models.Index(
                F("published_at").desc(), F("id").desc(),
                condition=models.Q(status="published"), name="article_public_by_date",
            ),
            models.Index(
                "category", F("published_at").desc(), F("id").desc(),
                condition=models.Q(status="published"), name="article_public_by_category",
            ),
            # The sitemaps' "last changed": one step down this index.
            models.Index(
                F("updated_at").desc(), condition=models.Q(status="published"), name="article_public_by_change",
            ),
            GinIndex(fields=["search_vector"], name="article_search_vector"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def local_date(self):
        return timezone.localtime(self.published_at, HANOI).date() if self.published_at else None

    def get_absolute_url(self):
        day = self.local_date
        if day is None:
            return reverse("articles:preview", kwargs={"pk": self.pk})
        return f"{archive_path(day)}{self.slug}/"

    @property
    def lead_photo(self):
        """The first photo that has a file (uses prefetched photos)."""
        return next((photo for photo in self.photos.all() if photo.image), None)

    def paragraphs(self):
        return text.split_paragraphs(self.body)

    def _same_day(self):
        start = timezone.make_aware(timezone.datetime.combine(self.local_date, timezone.datetime.min.time()), HANOI)
        return Article.objects.filter(
            published_at__gte=start, published_at__lt=start + timezone.timedelta(days=1)
        ).exclude(pk=self.pk)

    def _unique_slug(self, base):
        if self.published_at is None:
            return base
        taken = set(self._same_day().filter(slug__startswith=base).values_list("slug", flat=True))
        slug, n = base, 2
        while slug in taken:
            suffix = f"-{n}"
            slug, n = base[: 200 - len(suffix)] + suffix, n + 1
        return slug

    def save(self, *args, **kwargs):
        self.normalize_text()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.slug = self._unique_slug(text.slugify(self.slug or self.title) or "bai-viet")
        old_url = self._old_public_url()
        super().save(*args, **kwargs)
        if old_url and old_url != self.get_absolute_url():
            record_move(old_url, self.get_absolute_url())

    def _old_public_url(self):
        if self.pk is None:
            return None
        old = Article.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).first()
        return old.get_absolute_url() if old and old.published_at else None


def record_move(old_path, new_path):
    """Make old_path answer 301 to new_path, keeping earlier moves one hop long."""
    site_id = settings.SITE_ID
    Redirect.objects.filter(site_id=site_id, old_path=new_path).delete()
    Redirect.objects.filter(site_id=site_id, new_path=old_path).update(new_path=new_path)
    Redirect.objects.update_or_create(site_id=site_id, old_path=old_path, defaults={"new_path": new_path})


class Photo(NormalizedModel):
    article = models.ForeignKey(Article, verbose_name="bài viết", on_delete=models.CASCADE, related_name="photos")
    image = images.PhotoField(
        "tệp ảnh", upload_to=photo_upload_to, blank=True, width_field="width", height_field="height",
        help_text="JPEG, PNG, WebP hoặc GIF, tối đa 25 MB và 50 megapixel. Có thể để trống với ảnh lưu trữ "
        "đã mất tệp: chú thích vẫn hiện.",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.TextField("chú thích", blank=True)
    credit = models.CharField("nguồn ảnh", max_length=200, blank=True)
    alt_text = models.CharField(
        "mô tả thay thế", max_length=300, blank=True,
        help_text="Mô tả ảnh cho người khiếm thị; để trống thì dùng chú thích.",
    )
    position = models.PositiveIntegerField(
        "vị trí", default=0, help_text="Số đoạn văn đứng trước ảnh (0 là trước đoạn đầu tiên)."
    )
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    source_digest = models.CharField(
        max_length=64, blank=True, editable=False, help_text="SHA-256 of the file as uploaded, to spot re-imports."
    )

    class Meta:
        verbose_name = "ảnh"
        verbose_name_plural = "ảnh"
        ordering = ["position", "id"]

    def __str__(self):
        return self.caption[:80] or self.alt_text or f"Ảnh #{self.pk}"

    def clean(self):
        super().clean()
        if not self.image and not self.caption:
            raise ValidationError("Ảnh cần có tệp ảnh hoặc chú thích.")

    @property
    def alt(self):
        return self.alt_text or self.caption

    def save(self, *args, **kwargs):
        self.normalize_text()
        if self.image and not self.image._committed:
            # Store what was decoded, never the bytes that were sent.
            stem = self.image.name.rsplit(".", 1)[0]
            self.source_digest = images.digest(self.image.file)
            clean_file = images.sanitized_upload(self.image.file, stem)
            self.image.save(clean_file.name, clean_file, save=False)
            uploads.remember(self.image)
            self.renditions = {}
        elif not self.image:
            self.renditions = {}  # the file was cleared; signals delete the old renditions
        super().save(*args, **kwargs)

    def refresh_renditions(self):
        """Make this photo's renditions and drop the previous ones (after commit only)."""
        old = images.rendition_names(self.renditions)
        made = {}
        if self.image:
            with self.image.open("rb") as handle:
                made = images.make_renditions(handle.read(), owner=self.image.name)
        Photo.objects.filter(pk=self.pk).update(renditions=made)
        self.renditions = made
        content_cache.bump()  # pages show the new srcset
        for name in set(old) - set(images.rendition_names(made)):
            self.image.storage.delete(name)

    def _urls(self, fmt):
        return [(width, self.image.storage.url(name)) for width, _, name in self.renditions.get(fmt, [])]

    def srcset(self, fmt="jpeg"):
        return ", ".join(f"{url} {width}w" for width, url in self._urls(fmt))

    def url_for_width(self, width, fmt="jpeg"):
        """The smallest rendition at least this wide (else the largest), or the original."""
        urls = self._urls(fmt)
        if not urls:
            return self.image.url
        return next((url for w, url in urls if w >= width), urls[-1][1])


class TaggingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())


class Tagging(models.Model):
    """An article–tag link as stored in Django's own many-to-many table, plus the
    article's status and time, copied in by triggers (migration 0005): a tag's
    listing is then one index range, however many articles the tag has."""

    article = models.ForeignKey(Article, on_delete=models.DO_NOTHING, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.DO_NOTHING, related_name="+")
    published_at = models.DateTimeField(null=True)
    status = models.CharField(max_length=10, null=True)

    objects = TaggingQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = "articles_article_tags"


class SearchTerm(models.Model):
    """A word of the archive's titles and sapos, for "did you mean" suggestions."""

    word = models.CharField(max_length=100, primary_key=True)
    plain = models.CharField(max_length=100, help_text="The word without diacritics (unaccent).")
    frequency = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "từ tìm kiếm"
        verbose_name_plural = "từ tìm kiếm"
        indexes = [GinIndex(fields=["plain"], name="searchterm_plain_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self):
        return self.word
