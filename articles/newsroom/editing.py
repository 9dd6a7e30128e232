"""Two people, one article: a save over a version that someone else saved after
the form was opened is refused, and nothing either of them typed is lost.

The form carries an edit token: the time of the version it was opened on, and a
short digest of each field as it was then. On save the article's row is locked
(inside the admin's transaction, so of two simultaneous saves the second waits for
the first and then sees its version) and its time compared with the token's; the
digests say which fields the colleague changed, and their saved values are shown
beside the editor's own text.
"""
import hashlib
import json

from django import forms
from django.core.exceptions import ValidationError

from .. import dates, text
from ..models import Article

SHOWN_CHARACTERS = 3000  # of a colleague's saved text, shown beside a field
MODEL_FIELDS = {field.name for field in Article._meta.get_fields()}


def _digest(value):
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _field_text(field, instance):
    value = field.value_from_object(instance)
    if isinstance(value, (list, tuple)):  # many-to-many: the chosen records
        return ",".join(sorted(str(getattr(item, "pk", item)) for item in value))
    return "" if value is None else str(value)


def token_for(article, names):
    fields = {name: _digest(_field_text(Article._meta.get_field(name), article)) for name in names}
    return json.dumps({"at": article.updated_at.isoformat(), "fields": fields})


class EditTokenForm(forms.ModelForm):
    """The article form of the admin, with its edit token."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_token"].initial = token_for(self.instance, self._tracked())

    def _tracked(self):
        return [name for name in self.fields if name in MODEL_FIELDS]

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            self._check_version()
        return data

    def _check_version(self):
        current = (
            Article.objects.select_for_update(of=("self",)).select_related("updated_by")
            .filter(pk=self.instance.pk).first()
        )
        token = _parse(self.data.get(self.add_prefix("edit_token"), ""))
        # No token: a form opened before this check existed, which cannot say what it saw.
        if current is None or token is None or current.updated_at.isoformat() == token["at"]:
            return
        tracked = self._tracked()
        changed = [
            name for name in tracked
            if token["fields"].get(name) != _digest(_field_text(Article._meta.get_field(name), current))
        ]
        for name in changed:
            self.add_error(name, _their_value(current, name))
        # Saving again, having taken their change into account, is saving over theirs.
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_token")] = token_for(current, tracked)
        when = dates.newsroom_time(current.updated_at)
        names = ", ".join(str(Article._meta.get_field(name).verbose_name) for name in changed) or "ảnh"
        raise ValidationError(
            f"Bài này đã được {text.person_name(current.updated_by)} lưu lúc {when}, sau khi bạn mở. Chưa lưu gì của bạn, và "
            f"mọi thứ bạn đã gõ vẫn còn trong mẫu dưới đây. Họ đã sửa: {names}. Hãy xem bản của họ "
            "bên cạnh từng trường, đưa thay đổi của họ vào rồi bấm Lưu lần nữa."
        )


def _parse(raw):
    try:
        token = json.loads(raw)
    except (TypeError, ValueError):
        return None
    return token if isinstance(token, dict) and isinstance(token.get("fields"), dict) else None


def _their_value(current, name):
    field = Article._meta.get_field(name)
    if field.many_to_many:
        shown = ", ".join(str(item) for item in getattr(current, name).all())
    elif field.is_relation:
        shown = str(getattr(current, name) or "—")
    else:
        shown = _field_text(field, current)
    if len(shown) > SHOWN_CHARACTERS:
        shown = shown[:SHOWN_CHARACTERS] + "…"
    return f"Đồng nghiệp đã sửa trường này. Bản đã lưu của họ: “{shown}”"
