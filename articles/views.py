from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView
from django.views.generic.dates import DateDetailView, DayArchiveView, MonthArchiveView, YearArchiveView

from .body import compose
from .models import Article, Category, Tag

PER_PAGE = settings.ANTD["ARTICLES_PER_PAGE"]


class PublicArticles:
    """What every reader-facing view lists: published articles only."""

    model = Article
    paginate_by = PER_PAGE

    def get_queryset(self):
        return Article.objects.published().for_listing()


class DateArchiveMixin(PublicArticles):
    date_field = "published_at"
    month_format = "%m"
    day_format = "%d"
    allow_empty = False
    template_name = "articles/archive.html"


class HomeView(PublicArticles, ListView):
    template_name = "articles/home.html"


class YearArchive(DateArchiveMixin, YearArchiveView):
    make_object_list = True


class MonthArchive(DateArchiveMixin, MonthArchiveView):
    pass


class DayArchive(DateArchiveMixin, DayArchiveView):
    pass


class CategoryView(PublicArticles, ListView):
    template_name = "articles/category.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)


class TagView(PublicArticles, ListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)


class ArticleMixin:
    """Readers see published articles; staff also see drafts and scheduled ones."""

    template_name = "articles/article_detail.html"

    def get_queryset(self):
        articles = Article.objects.select_related("category").prefetch_related("tags", "photos")
        return articles if self.request.user.is_staff else articles.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blocks"] = compose(self.object.body, self.object.photos.all())
        return context


class ArticleView(ArticleMixin, DateDetailView):
    date_field = "published_at"
    month_format = "%m"
    day_format = "%d"

    def get_allow_future(self):
        return self.request.user.is_staff


class PreviewView(ArticleMixin, DetailView):
    def get_object(self, queryset=None):
        if not self.request.user.is_staff:
            raise Http404
        return super().get_object(queryset)
