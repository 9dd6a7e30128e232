"""The review queue ("Bài chờ duyệt (N)") on the admin's index and article list."""
from django import template

from ..admin import desk

register = template.Library()


@register.inclusion_tag("admin/articles/desk/_queue.html")
def review_queue():
    return desk.queue_context()
