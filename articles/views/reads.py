"""The beacon of "Đọc nhiều" (static/js/reads.js): one view of a public article.

A POST from our own script, whose body is the article's id. CSRF-exempt, since a
beacon carries no token and changes nothing a reader owns; it sets no cookie and
keeps nothing of who sent it. Anything else is refused with a 4xx, never an
error page: a GET, a big body, a bad or non-public id. A known bot is answered
like anyone else, and not counted."""
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..reads import counting

MAX_BODY = 32
MAX_ID = 2**63 - 1


@csrf_exempt
@require_POST
def beacon(request):
    if _body_length(request) > MAX_BODY:
        return _answer(413)
    article_id = _article_id(request.body)
    if article_id is None or not counting.countable(article_id):
        return _answer(400)
    if not counting.is_bot(request.headers.get("User-Agent", "")):
        counting.count(article_id)
        counting.flush_if_due()
    return _answer(204)


def _body_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return MAX_BODY + 1


def _article_id(body):
    text = body[:MAX_BODY].decode("ascii", "replace").strip()
    if not text.isdigit() or not text.isascii():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def _answer(status):
    response = HttpResponse(status=status)
    response["Cache-Control"] = "no-store"
    return response
