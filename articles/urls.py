from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from . import feeds, sitemaps, views
from .cache import per_version
from .sitemaps import SITEMAPS


class FourDigitYear:
    # 1900–2099: an archive's years, with room on both sides for the day
    # arithmetic of previous/next links.
    regex = "(?:19|20)[0-9]{2}"

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
    path("rss/", per_version(feeds.LatestFeed()), name="feed"),
    path("<yyyy:year>/", views.YearArchive.as_view(), name="year"),
    path("<yyyy:year>/<dd:month>/", views.MonthArchive.as_view(), name="month"),
    path("<yyyy:year>/<dd:month>/<dd:day>/", views.DayArchive.as_view(), name="day"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/", views.ArticleView.as_view(), name="article"),
    path("chuyen-muc/", views.CategoryIndex.as_view(), name="categories"),
    path("chuyen-muc/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("chuyen-muc/<slug:slug>/rss/", per_version(feeds.CategoryFeed()), name="category_feed"),
    path("tag/", views.TagIndex.as_view(), name="tags"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("tag/<slug:slug>/rss/", per_version(feeds.TagFeed()), name="tag_feed"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("xem-truoc/<int:pk>/", views.PreviewView.as_view(), name="preview"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", per_version(sitemap_views.index), {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap"}, name="sitemap_index"),
    path("sitemap-news.xml", per_version(sitemap_views.sitemap), {"sitemaps": {"news": SITEMAPS["news"]}, "template_name": "sitemaps/news.xml"}, name="news_sitemap"),
    path("sitemap-<section>.xml", per_version(sitemaps.section), name="sitemap"),
]
