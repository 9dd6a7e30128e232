"""Dates written the way Vietnamese newspapers write them, in Hanoi's time."""
from zoneinfo import ZoneInfo

from django.utils import timezone

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def news_datetime(value):
    """ "Thứ Tư, 15/02/2017, 17:30 (GMT+7)" in the site's time zone."""
    local = timezone.localtime(value)
    offset = local.utcoffset().total_seconds() / 3600
    gmt = f"GMT{offset:+g}"
    return f"{WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y, %H:%M} ({gmt})"


def news_date(value):
    local = timezone.localtime(value)
    return f"{local:%d/%m/%Y}"


def iso(value):
    """ISO 8601 to the second, for HTML's datetime attribute (which takes at most milliseconds)."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def year_heading(day):
    return f"Năm {day.year}"


def month_heading(day):
    return f"Tháng {day.month} năm {day.year}"


def day_heading(day):
    return f"{WEEKDAYS[day.weekday()]}, {day:%d/%m/%Y}"


def newsroom_time(value):
    """ "09:15 02/12/2026": when a colleague saved, an autosave, a restore."""
    return f"{timezone.localtime(value):%H:%M %d/%m/%Y}"


def newsroom_stamp(value):
    """ "02/12/2026 09:15", for the admin's columns (the issue's dd/mm/yyyy HH:MM)."""
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else "—"
