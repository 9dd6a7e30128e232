from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from . import queries
from .search.engine import clean_query


class QuickSelect(forms.Select):
    """Django's Select, written in Python: its templates include one template per
    option, and the search page's thirty categories cost a search more to render
    than its count query takes (issue 16). The same markup, for choices without
    groups (this form's), the first option holding the value selected."""

    def render(self, name, value, attrs=None, renderer=None):
        values = self.format_value(value)
        chosen = next((n for n, (option, _) in enumerate(self.choices) if str(option) in values), None)
        options = format_html_join(
            "", "\n  <option value=\"{}\"{}>{}</option>",
            ((option, " selected" if n == chosen else "", label) for n, (option, label) in enumerate(self.choices)),
        )
        return format_html('<select name="{}"{}>{}\n</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options)


class QuickInput(forms.TextInput):
    """Django's text input, written in Python as QuickSelect is: the same markup as
    its input.html (a value shown when there is one, then the attributes)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = format_html(' value="{}"', widget["value"]) if widget["value"] is not None else ""
        return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown, flatatt(widget["attrs"]))


class QuickDateInput(QuickInput, forms.DateInput):
    """Django's date input (its value written in the field's format), in Python."""


class SearchForm(forms.Form):
    q = forms.CharField(label="Từ khóa", required=False, widget=QuickInput)
    sap_xep = forms.ChoiceField(
        label="Sắp xếp", required=False, choices=[("", "Phù hợp nhất"), ("moi-nhat", "Mới nhất")], widget=QuickSelect,
    )
    chuyen_muc = forms.ChoiceField(label="Chuyên mục", required=False, widget=QuickSelect)
    tu_ngay = forms.DateField(label="Từ ngày", required=False, widget=QuickDateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    den_ngay = forms.DateField(label="Đến ngày", required=False, widget=QuickDateInput(attrs={"placeholder": "dd/mm/yyyy"}))

    def __init__(self, data=None, *args, **kwargs):
        # Cleaned before the field sees it: Django would refuse a NUL byte in
        # English and echo it back into the form.
        if data is not None and "q" in data:
            data = data.copy()
            data["q"] = clean_query(data["q"])
        super().__init__(data, *args, **kwargs)
        # The categories as the menu reads them (kept for the content version), where a
        # ModelChoiceField would query them for the check and again for the options.
        sections = queries.categories()
        self.category_ids = {section.slug: section.id for section in sections}
        self.fields["chuyen_muc"].choices = [("", "Tất cả chuyên mục"), *((s.slug, s.name) for s in sections)]

    def clean_chuyen_muc(self):
        """The chosen category's id, or None for all."""
        return self.category_ids.get(self.cleaned_data["chuyen_muc"])

    def clean(self):
        data = super().clean()
        if data.get("tu_ngay") and data.get("den_ngay") and data["tu_ngay"] > data["den_ngay"]:
            raise forms.ValidationError("“Từ ngày” phải trước “Đến ngày”.")
        return data
