from django.urls import path, register_converter

from . import views


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigits, "dd")

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("<yyyy:year>/", views.YearArchive.as_view(), name="year"),
    path("<yyyy:year>/<dd:month>/", views.MonthArchive.as_view(), name="month"),
    path("<yyyy:year>/<dd:month>/<dd:day>/", views.DayArchive.as_view(), name="day"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/", views.ArticleView.as_view(), name="article"),
    path("chuyen-muc/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("xem-truoc/<int:pk>/", views.PreviewView.as_view(), name="preview"),
]
