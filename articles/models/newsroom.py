"""What the newsroom keeps so that no edit is ever lost: every revision of an
article, the audit log, each editor's autosaved copy, and who has a form open.

Revisions and the publication entries of the audit log are written by the
database (migration 0010: articles_record_revisions), at the end of any
transaction that changed an article, its photos or its tags, whatever wrote it;
articles/newsroom/revisions.py says who and why.
"""
from django.conf import settings
from django.db import models
from django.db.models import F

from .article import Article


class Revision(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Bản có sẵn"
        EDIT = "edit", "Sửa trong trang quản trị"
        PUBLISH = "publish", "Xuất bản"
        UNPUBLISH = "unpublish", "Gỡ xuất bản"
        IMPORT = "import", "Nhập bài"
        RESTORE = "restore", "Khôi phục phiên bản"
        SUBMIT = "submit", "Gửi duyệt"
        WITHDRAW = "withdraw", "Rút về nháp"
        RETURN = "return", "Trả lại"
        OTHER = "other", "Thay đổi khác"

    article = models.ForeignKey(Article, verbose_name="bài viết", on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField("lúc")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người sửa", on_delete=models.SET_NULL, null=True, related_name="+",
    )
    kind = models.CharField("cách sửa", max_length=20, choices=Kind.choices)
    # The article as a whole (articles_revision_content): its fields, category,
    # tags and photos, each photo with its stored file.
    content = models.JSONField("nội dung")

    class Meta:
        app_label = "articles"
        verbose_name = "phiên bản"
        verbose_name_plural = "phiên bản"
        ordering = ["-id"]
        indexes = [
            # The history page, newest first, and the newest revision that the
            # recorder compares a new one with.
            models.Index("article", F("id").desc(), name="revision_by_article"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.content.get('title', '')}"


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        PUBLISH = "publish", "Xuất bản"
        UNPUBLISH = "unpublish", "Gỡ xuất bản"
        TRASH = "trash", "Chuyển vào thùng rác"
        UNTRASH = "untrash", "Khôi phục từ thùng rác"
        PURGE = "purge", "Xóa vĩnh viễn"
        RESTORE = "restore", "Khôi phục phiên bản"
        SUBMIT = "submit", "Gửi duyệt"
        WITHDRAW = "withdraw", "Rút về nháp"
        RETURN = "return", "Trả lại"

    at = models.DateTimeField("lúc")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người làm", on_delete=models.SET_NULL, null=True, related_name="+",
    )
    action = models.CharField("việc", max_length=20, choices=Action.choices)
    # Kept after a purge, with the title the article had.
    article = models.ForeignKey(
        Article, verbose_name="bài viết", on_delete=models.SET_NULL, null=True, related_name="audit_entries",
    )
    title = models.CharField("tiêu đề bài", max_length=300)
    note = models.TextField("ghi chú", blank=True)
    # A change of status (newsroom/desk.py), as the database saw it: from, to.
    from_status = models.CharField("từ trạng thái", max_length=10, blank=True)
    to_status = models.CharField("sang trạng thái", max_length=10, blank=True)

    class Meta:
        app_label = "articles"
        verbose_name = "nhật ký tòa soạn"
        verbose_name_plural = "nhật ký tòa soạn"
        ordering = ["-at", "-id"]
        indexes = [
            # The audit log, newest first; an article's entries on its history page.
            models.Index(F("at").desc(), name="audit_by_time"),
            models.Index("article", F("at").desc(), name="audit_by_article"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.title}"


class Autosave(models.Model):
    """One editor's unsaved form of one article (or of a new one: article None),
    as the form's fields: never a revision, never public."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, null=True, related_name="+")
    fields = models.JSONField()  # [[name, value, label], …] as the form held them
    saved_at = models.DateTimeField()

    class Meta:
        app_label = "articles"
        constraints = [
            models.UniqueConstraint(
                "user", "article", nulls_distinct=False, name="autosave_one_per_editor_and_article",
            ),
        ]


class EditingSession(models.Model):
    """An article's form open in an editor's browser, as of its last sign of life."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()
    # The browser page that spoke last ("" when not told), and whether it has left:
    # a heartbeat it sent before leaving may arrive after (newsroom/presence.py).
    page = models.CharField(max_length=40, blank=True, default="")
    left = models.BooleanField(default=False)

    class Meta:
        app_label = "articles"
        constraints = [models.UniqueConstraint("article", "user", name="editing_one_per_editor_and_article")]


class TrashedArticle(Article):
    """The trash, as the admin lists it (articles/admin/trash.py)."""

    class Meta:
        proxy = True
        app_label = "articles"
        verbose_name = "bài trong thùng rác"
        verbose_name_plural = "thùng rác"
