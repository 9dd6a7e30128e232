"""The editorial desk in the admin: the moves of an article's form ("Gửi duyệt",
"Xuất bản", "Trả lại" with its reason, "Rút về nháp"), the review queue, and
"Lịch xuất bản". The rules are newsroom/desk.py's; this module only shows them."""
from datetime import timedelta

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from .. import dates, publication, text
from ..models import HANOI, Article, Correction, EditorialNote
from ..newsroom import desk
from .shared import admin_view, article_or_404

MOVES = {"_submit_review": "submit", "_publish": "publish", "_return": "return"}
CALENDAR_DAYS = 14


def urls(model_admin):
    return [
        path("<path:object_id>/desk/withdraw/", admin_view(model_admin, withdraw_view, post_only=True),
             name="articles_article_withdraw"),
        path("lich-xuat-ban/", admin_view(model_admin, calendar_view), name="articles_article_calendar"),
    ]


def move_asked(data):
    """The desk move a form's submit button asks for, if any."""
    return next((move for button, move in MOVES.items() if button in data), None)


def check_move(move, user, article, note):
    """The form's errors for a move, before anything is saved: {field or None: message}."""
    status = article.status if article and article.pk else publication.Status.DRAFT
    if move in ("publish", "return") and not desk.may_publish(user):
        return {None: "Chỉ biên tập viên mới được xuất bản hoặc trả lại bài."}
    if move == "return" and status != publication.Status.REVIEW:
        return {None: "Chỉ trả lại được bài đang chờ duyệt."}
    if move == "return" and not (note or "").strip():
        return {"desk_note": "Hãy ghi lý do trả lại bài để phóng viên biết cần sửa gì."}
    if move == "submit" and status != publication.Status.DRAFT:
        return {None: "Chỉ gửi duyệt được bản nháp."}
    return {}


def perform(request, article, move, note):
    """The move, after the form saved the article (same transaction)."""
    if move == "submit":
        desk.submit(article.pk, request.user)
        messages.success(request, "Đã gửi bài cho biên tập viên duyệt.")
    elif move == "publish":
        desk.publish(article.pk, request.user)
        messages.success(request, "Đã xuất bản bài.")
    elif move == "return":
        desk.return_to_reporter(article.pk, request.user, note)
        messages.success(request, "Đã trả lại bài cho phóng viên kèm ghi chú.")


def form_context(request, article):
    """What the form shows of the desk: the editor's reason for a returned draft,
    which moves this user has, and the withdraw button for a waiting article."""
    status = article.status if article else publication.Status.DRAFT
    editor = desk.may_publish(request.user)
    returned = desk.last_return(article)
    return {"desk": {
        "returned": returned and {"by": returned[0], "at": dates.newsroom_time(returned[1]), "note": returned[2]},
        "submit": status == publication.Status.DRAFT,
        "review": editor and status == publication.Status.REVIEW,
        "publish": editor and status == publication.Status.DRAFT,
        "withdraw": status == publication.Status.REVIEW and article is not None
        and (editor or article.created_by_id == request.user.pk),
        "waiting": status == publication.Status.REVIEW and not editor,
    }}


def withdraw_view(model_admin, request, object_id):
    article = article_or_404(model_admin, request, object_id)
    if not (desk.may_publish(request.user) or article.created_by_id == request.user.pk):
        messages.error(request, "Chỉ phóng viên của bài hoặc biên tập viên mới rút được bài về nháp.")
    else:
        try:
            desk.withdraw(article.pk, request.user)
            messages.success(request, "Đã rút bài về bản nháp: bạn có thể sửa tiếp.")
        except desk.Refused as refusal:
            messages.error(request, str(refusal))
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


def queue_context():
    now = timezone.now()
    items = [
        {"title": item.title, "reporter": item.reporter, "waited": desk.waited(item.since, now),
         "since": dates.newsroom_time(item.since),
         "url": reverse("admin:articles_article_change", args=[item.article_id])}
        for item in desk.queue()
    ]
    return {"queue": items, "queue_url": reverse("admin:articles_article_changelist") + "?status__exact=review"}


def calendar_view(model_admin, request):
    """The last CALENDAR_DAYS days' publications and the next CALENDAR_DAYS days'
    scheduled ones, day by day (Hanoi days)."""
    today = dates.local(timezone.now()).date()
    first, last = today - timedelta(days=CALENDAR_DAYS - 1), today + timedelta(days=CALENDAR_DAYS)
    start = timezone.make_aware(timezone.datetime.combine(first, timezone.datetime.min.time()), HANOI)
    end = timezone.make_aware(timezone.datetime.combine(last + timedelta(days=1), timezone.datetime.min.time()), HANOI)
    # Out or scheduled: the status alone, over the window's publication times.
    rows = (Article.objects.outside_trash().filter(status=publication.PUBLISHED)
            .filter(published_at__range=(start, end - timedelta(microseconds=1)))
            .order_by("published_at", "id").only("title", "published_at"))
    now = timezone.now()
    days = {first + timedelta(days=n): [] for n in range((last - first).days + 1)}
    for article in rows:
        moment = dates.local(article.published_at)
        days[moment.date()].append({
            "title": article.title, "time": moment.strftime("%H:%M"),
            "scheduled": article.published_at > now,
            "url": reverse("admin:articles_article_change", args=[article.pk]),
        })
    context = {
        **model_admin.admin_site.each_context(request), "title": "Lịch xuất bản", "opts": Article._meta,
        "days": [{"day": day, "heading": dates.day_heading(day), "is_today": day == today, "articles": items}
                 for day, items in days.items()],
    }
    return TemplateResponse(request, "admin/articles/article/calendar.html", context)


class EditorialNoteInline(admin.StackedInline):
    """"Ghi chú biên tập": a thread between the reporter and editors, kept with the
    article and never public. Notes are added, never edited or deleted."""

    model = EditorialNote
    extra = 1
    fields = ["thread_entry", "text"]
    readonly_fields = ["thread_entry"]
    verbose_name = "ghi chú biên tập"
    verbose_name_plural = "Ghi chú biên tập (chỉ tòa soạn thấy)"
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False  # an existing note is read as it was written

    def has_add_permission(self, request, obj=None):
        return True  # whoever reads the article may answer, also on a read-only form

    def has_view_permission(self, request, obj=None):
        return True  # the thread belongs to whoever may open the article

    @admin.display(description="")
    def thread_entry(self, note):
        if note.pk is None:
            return ""
        return f"{text.person_name(note.user, nobody='—')} · {dates.newsroom_time(note.at)}"


class CorrectionInline(admin.StackedInline):
    """"Đính chính", published with the article (editors only)."""

    model = Correction
    extra = 0
    fields = ["published_at", "text"]
    verbose_name_plural = "Đính chính (hiện cho độc giả ở đầu và cuối bài)"

    @staticmethod
    def _is_out(obj):
        return obj is not None and obj.status == publication.PUBLISHED

    def _editor(self, request, obj):
        return desk.may_publish(request.user) and self._is_out(obj)

    def has_add_permission(self, request, obj=None):
        return self._editor(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editor(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editor(request, obj)

    def has_view_permission(self, request, obj=None):
        return self._is_out(obj)


def save_inline(request, formset, article):
    """Who wrote a note or a correction; a correction marks the article updated."""
    for item in formset.save(commit=False):
        if isinstance(item, EditorialNote) and item.pk is None:
            item.user = request.user
        if isinstance(item, Correction):
            item.created_by = item.created_by or request.user
            latest = max(item.published_at, article.modified_at or item.published_at)
            Article.objects.filter(pk=article.pk).update(modified_at=latest)
        item.article = article
        item.save()
    for item in formset.deleted_objects:
        item.delete()
