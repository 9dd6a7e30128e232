"""Dates written the way Vietnamese newspapers write them, in Hanoi's time."""
from zoneinfo import ZoneInfo

from django.utils import timezone

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def local(value):
    """An aware moment in Hanoi's time, the site's (settings.TIME_ZONE; nothing
    activates another). Named, not looked up: timezone.localtime's lookup of the
    current zone is ten times the conversion, and a page of cards converts sixty
    moments. Dates below are written from its fields, not by strftime, which
    costs three times as much (issue 16: a cold listing's cards)."""
    return timezone.localtime(value, HANOI)


def news_datetime(value):
    """ "Thứ Tư, 15/02/2017, 17:30 (GMT+7)" in the site's time zone."""
    moment = local(value)
    gmt = f"GMT{moment.utcoffset().total_seconds() / 3600:+g}"
    return f"{WEEKDAYS[moment.weekday()]}, {_day(moment)}, {moment.hour:02d}:{moment.minute:02d} ({gmt})"


def news_date(value):
    return _day(local(value))


def _day(moment):
    """ "15/02/2017"."""
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year:04d}"


def iso(value):
    """ISO 8601 to the second, for HTML's datetime attribute (which takes at most milliseconds)."""
    return local(value).replace(microsecond=0).isoformat()


def year_heading(day):
    return f"Năm {day.year}"


def month_heading(day):
    return f"Tháng {day.month} năm {day.year}"


def day_heading(day):
    return f"{WEEKDAYS[day.weekday()]}, {day:%d/%m/%Y}"


def newsroom_time(value):
    """ "09:15 02/12/2026": when a colleague saved, an autosave, a restore."""
    return f"{local(value):%H:%M %d/%m/%Y}"


def newsroom_stamp(value):
    """ "02/12/2026 09:15", for the admin's columns (the issue's dd/mm/yyyy HH:MM)."""
    return f"{local(value):%d/%m/%Y %H:%M}" if value else "—"
