from django import forms

from .models import Category
from .search.engine import clean_query


class SearchForm(forms.Form):
    q = forms.CharField(label="Từ khóa", required=False)
    sap_xep = forms.ChoiceField(
        label="Sắp xếp", required=False, choices=[("", "Phù hợp nhất"), ("moi-nhat", "Mới nhất")]
    )
    chuyen_muc = forms.ModelChoiceField(
        label="Chuyên mục", required=False, queryset=Category.objects.all(), to_field_name="slug",
        empty_label="Tất cả chuyên mục",
    )
    tu_ngay = forms.DateField(label="Từ ngày", required=False, widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    den_ngay = forms.DateField(label="Đến ngày", required=False, widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))

    def __init__(self, data=None, *args, **kwargs):
        # Cleaned before the field sees it: Django would refuse a NUL byte in
        # English and echo it back into the form.
        if data is not None and "q" in data:
            data = data.copy()
            data["q"] = clean_query(data["q"])
        super().__init__(data, *args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("tu_ngay") and data.get("den_ngay") and data["tu_ngay"] > data["den_ngay"]:
            raise forms.ValidationError("“Từ ngày” phải trước “Đến ngày”.")
        return data
