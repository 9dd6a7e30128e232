from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from . import feeds, sitemaps
from .caching import cached_response
from .sitemaps import SITEMAPS
from .views import archives, article, corrections, listings, reads, search, site, threads


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

# Feeds and sitemaps are the same for every reader until the content changes;
# only the sitemap page number ("p") of a query string names another answer.
SITEMAP_PAGE = ("p",)

app_name = "articles"
urlpatterns = [
    path("", listings.home, name="home"),
    path("rss/", cached_response(feeds.LatestFeed()), name="feed"),
    path("<yyyy:year>/", archives.year, name="year"),
    path("<yyyy:year>/<dd:month>/", archives.month, name="month"),
    path("<yyyy:year>/<dd:month>/<dd:day>/", archives.day, name="day"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/", article.article, name="article"),
    path("chuyen-muc/", listings.category_index, name="categories"),
    path("chuyen-muc/<slug:slug>/", listings.category, name="category"),
    path("chuyen-muc/<slug:slug>/rss/", cached_response(feeds.CategoryFeed()), name="category_feed"),
    path("tag/", listings.tag_index, name="tags"),
    path("tag/<slug:slug>/", listings.tag, name="tag"),
    path("tag/<slug:slug>/rss/", cached_response(feeds.TagFeed()), name="tag_feed"),
    path("tac-gia/", listings.author_index, name="author_index"),
    path("tac-gia/<slug:slug>/", listings.author, name="author"),
    path("tac-gia/<slug:slug>/rss/", cached_response(feeds.AuthorFeed()), name="author_feed"),
    path("dong-su-kien/<slug:slug>/", threads.detail, name="thread"),
    path("dong-su-kien/<slug:slug>/rss/", cached_response(feeds.ThreadFeed()), name="thread_feed"),
    path("tim-kiem/", search.results, name="search"),
    path("dinh-chinh/", corrections.corrections, name="corrections"),
    path("dinh-chinh/rss/", cached_response(feeds.CorrectionFeed()), name="corrections_feed"),
    path("xem-truoc/<int:pk>/", article.preview, name="preview"),
    path("_doc/", reads.beacon, name="read_beacon"),
    path("robots.txt", site.robots_txt, name="robots"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("sitemap.xml", cached_response(sitemap_views.index, SITEMAP_PAGE), {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap"}, name="sitemap_index"),
    path("sitemap-news.xml", cached_response(sitemap_views.sitemap, SITEMAP_PAGE), {"sitemaps": {"news": SITEMAPS["news"]}, "template_name": "sitemaps/news.xml"}, name="news_sitemap"),
    path("sitemap-<section>.xml", cached_response(sitemaps.section, SITEMAP_PAGE), name="sitemap"),
]
