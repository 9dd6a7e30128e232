"""Articles, and their links to tags as the database stores them."""
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property

from .. import publication, text
from ..dates import HANOI, local
from ..paths import article_url
from ..redirects import record_move
from ..richtext import plain, sanitize
from .base import HanoiDate, NormalizedModel
from .taxonomy import Category, Tag


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see (articles/publication.py). Every public surface
        (pages, feeds, sitemaps, search) starts here."""
        return self.filter(publication.public_q())

    def outside_trash(self):
        """What the newsroom works on (the admin, staff previews): the trash apart."""
        return self.filter(deleted_at__isnull=True)


class Article(NormalizedModel):
    Status = publication.Status

    title = models.CharField("tiêu đề", max_length=300)
    slug = models.SlugField(
        "đường dẫn", max_length=200, blank=True,
        help_text="Để trống để tạo từ tiêu đề. Chỉ gồm chữ không dấu, số và dấu gạch ngang.",
    )
    lead = models.TextField("sapo", help_text="Đoạn mở đầu, in đậm dưới tiêu đề.")
    # HTML within the allow-list of articles/richtext/sanitize.py, reduced to it on every save.
    body = models.TextField("nội dung")
    category = models.ForeignKey(
        Category, verbose_name="chuyên mục", on_delete=models.PROTECT,
        null=True, blank=True, related_name="articles",
    )
    tags = models.ManyToManyField(Tag, verbose_name="thẻ", blank=True, related_name="articles")
    # In byline order (Authorship.position); set through articles/authors.py, which
    # keeps the author column below, the byline as text, in step with them.
    authors = models.ManyToManyField(
        "articles.Author", verbose_name="tác giả", through="articles.Authorship", blank=True, related_name="articles",
    )
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "thời gian xuất bản", null=True, blank=True,
        help_text="Để trống khi xuất bản nghĩa là ngay bây giờ; một thời điểm trong tương lai là hẹn giờ.",
    )
    expires_at = models.DateTimeField(
        "gỡ lúc", null=True, blank=True,
        help_text="Để trống nếu bài luôn hiện. Đến lúc này bài tự rời mọi trang công khai; đường dẫn trả lời 410.",
    )
    # A substantive update ("Cập nhật nội dung") or a correction: what readers and
    # JSON-LD's dateModified are told, unlike updated_at, which every save moves.
    modified_at = models.DateTimeField("cập nhật nội dung lúc", null=True, blank=True, editable=False)
    # The byline as text ("Hải Nam - Thu Hà"), written from the author records by
    # articles/authors.py: revisions, the trash and restores read it. Readers' pages
    # read the records.
    author = models.CharField("dòng tác giả", max_length=200, blank=True, editable=False)
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
    # In the trash since then (articles/newsroom/trash.py): off every public surface,
    # restorable with its photos, tags and revisions until purged.
    deleted_at = models.DateTimeField("chuyển vào thùng rác lúc", null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người xóa", on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    # Written by database triggers (migration 0004) from the title, tags, category,
    # sapo and body, so it is current whatever changed them; see articles/search/.
    search_vector = SearchVectorField(null=True, editable=False)
    # The title's part of it (weight A), with an index of its own: search looks there
    # first, so a title match of any age comes before every other match (articles/search/).
    # PostgreSQL computes it from search_vector on every write that sets that (the
    # triggers, the bulk loaders), so it needs no rule of its own.
    title_vector = models.GeneratedField(
        expression=Func(F("search_vector"), Value("{a}"), function="ts_filter"),
        output_field=SearchVectorField(), db_persist=True,
    )

    # Its lead photo's row (models/photo.py ROW_FIELDS; Article.lead_of's photo),
    # what its card shows: written by database triggers (migration 0028) whenever
    # its photos or the row change, whatever a save sends, so that a listing's
    # cards read their photos with their own rows.
    card_photo = models.JSONField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        app_label = "articles"
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
            # the same however large the archive is (articles/queries.py). They
            # carry expires_at, the one condition of the rule that neither their
            # keys nor their WHERE hold, so that a page's ids are read from the
            # index alone: a deep page skips its earlier rows without reading
            # them from the table (migration 0021).
            models.Index(
                F("published_at").desc(), F("id").desc(), include=["expires_at"],
                condition=publication.INDEXED, name="article_public_by_date",
            ),
            models.Index(
                "category", F("published_at").desc(), F("id").desc(), include=["expires_at"],
                condition=publication.INDEXED, name="article_public_by_category",
            ),
            # The sitemap index's newest lastmod, what readers are told changed last
            # (sitemaps.ArticleSitemap.latest over sitemaps.LAST_MODIFIED): one step down this index.
            models.Index(
                Coalesce("modified_at", "published_at").desc(), condition=publication.INDEXED,
                name="article_public_by_modification",
            ),
            # The next take-down (publication.next_change, the content version's end).
            models.Index(
                "expires_at", condition=publication.INDEXED & models.Q(expires_at__isnull=False),
                name="article_public_by_expiry",
            ),
            # Search (articles/search/engine.py): every match, and title matches first.
            GinIndex(fields=["search_vector"], name="article_search_vector"),
            GinIndex(fields=["title_vector"], name="article_title_vector"),
            # The title group's walk, newest first, when its words are common
            # (search/ranking.py, Group.best): the title's vector beside the keys, so
            # that it is read from the index alone (a million articles, "công an":
            # 9,600 entries in 2.7 ms, where the same walk through the table took 4.5).
            # Its condition names the vector, which a search's `@@` implies and a
            # listing's query does not: listings keep their own, smaller indexes.
            models.Index(
                F("published_at").desc(), F("id").desc(), include=["expires_at", "title_vector"],
                condition=publication.INDEXED & models.Q(title_vector__isnull=False),
                name="article_public_titles_by_date",
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article.saved_status = article.__dict__.get("status")  # a change of status is a desk move (signals)
        return article

    @property
    def is_public(self):
        return publication.is_public(self)

    @property
    def local_date(self):
        return local(self.published_at).date() if self.published_at else None

    def get_absolute_url(self):
        return article_url(self.published_at, self.slug, self.pk)

    @cached_property
    def photo_list(self):
        """Its photos in order (prefetched, else queried)."""
        return list(self.photos.all())

    @property
    def lead_photo(self):
        return self.lead_of(self.photo_list)

    @staticmethod
    def lead_of(photos):
        """An article's lead photo among its photos in order: the first that has a
        file (a reader's page reads them as rows: queries.py)."""
        return next((photo for photo in photos if photo.image), None)

    def paragraphs(self):
        """The body's blocks as plain text."""
        return plain.paragraphs(self.body)

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
        self.body = sanitize.clean(self.body).html
        self.status, self.published_at = publication.publish_defaults(self.status, self.published_at)
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


class TaggingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication.public_q())


class Tagging(models.Model):
    """An article–tag link as stored in Django's own many-to-many table, plus the
    columns of the publication rule, copied from the article by triggers
    (publication.COPIED_COLUMNS; migration 0005): a tag's listing is then
    one index range, however many articles the tag has."""

    article = models.ForeignKey(Article, on_delete=models.DO_NOTHING, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.DO_NOTHING, related_name="+")
    published_at = models.DateTimeField(null=True)
    status = models.CharField(max_length=10, null=True)
    deleted_at = models.DateTimeField(null=True)
    expires_at = models.DateTimeField(null=True)

    objects = TaggingQuerySet.as_manager()

    class Meta:
        app_label = "articles"
        managed = False
        db_table = "articles_article_tags"
