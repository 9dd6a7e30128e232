from functools import partial

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, prefetch_related_objects
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.text import Truncator
from django.views.generic import DetailView, ListView
from django.views.generic.dates import DateDetailView, DayArchiveView, MonthArchiveView, YearArchiveView

from . import cache as content_cache
from . import dates, search
from .body import compose
from .forms import SearchForm
from .models import Article, Category, Tag, Tagging, archive_path
from .pagination import ArchivePaginator
from .seo import site_root

PER_PAGE = settings.ANTD["ARTICLES_PER_PAGE"]


def breadcrumbs(*trail):
    """Home, then (name, url) pairs, then the current page's name."""
    return [("Trang chủ", reverse_lazy("articles:home")), *trail[:-1], (trail[-1], None)]


class PublicArticles:
    """What every reader-facing listing shows: published articles only."""

    model = Article
    paginate_by = PER_PAGE

    def get_queryset(self):
        # Plain: date views also ask it for the previous and next periods.
        return Article.objects.published()

    def get_paginator(self, queryset, per_page, **kwargs):
        # A page's ids are kept for the content version too: a listing read again,
        # page 500 as page 1, costs no query.
        ids = content_cache.remembered(self.page_ids(queryset), f"ids:{self.request.path}")
        return ArchivePaginator(queryset.for_listing(), per_page, ids=ids, **kwargs)

    def page_ids(self, queryset):
        return queryset.values_list("pk", flat=True)


class HomeView(PublicArticles, ListView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(context["object_list"])
        if context["page_obj"].number == 1 and articles:
            # The lead story is the newest one with a photo to show.
            lead = next((article for article in articles if article.lead_photo), articles[0])
            context["lead_story"] = lead
            context["latest"] = [article for article in articles if article is not lead]
            # Callables: the template calls them only when its cached fragment is stale.
            context["category_blocks"] = partial(content_cache.fragment, "home:blocks", Article.objects.category_blocks)
        return context


class DateArchiveMixin(PublicArticles):
    """Year, month and day archives: one template, a heading and a trail each."""

    date_field = "published_at"
    month_format = "%m"
    day_format = "%d"
    allow_empty = False  # also makes previous/next skip periods without articles
    template_name = "articles/archive.html"
    levels = ()  # (context key, heading function, URL name) from the year down

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # DISTINCT over a year's articles is the costly part of an archive page:
        # the list of months or days is kept for the content version.
        compute = partial(super().get_date_list, queryset, date_type, ordering)
        return content_cache.fragment(f"dates:{self.request.path}:{date_type}:{ordering}", lambda: list(compute()))

    # The periods before and after one with articles: a query each, kept for the
    # content version like the rest of the page.
    def get_previous_day(self, date):
        return self._neighbour("previous_day", super().get_previous_day, date)

    def get_next_day(self, date):
        return self._neighbour("next_day", super().get_next_day, date)

    def get_previous_month(self, date):
        return self._neighbour("previous_month", super().get_previous_month, date)

    def get_next_month(self, date):
        return self._neighbour("next_month", super().get_next_month, date)

    def get_previous_year(self, date):
        return self._neighbour("previous_year", super().get_previous_year, date)

    def get_next_year(self, date):
        return self._neighbour("next_year", super().get_next_year, date)

    @staticmethod
    def _neighbour(name, find, date):
        return content_cache.fragment(f"{name}:{date.isoformat()}", lambda: find(date) or "") or None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        key, heading, url_name = self.levels[-1]
        period = context[key]  # the first day of the year, month or day shown
        levels = [(level_heading(period), archive_path(period, level_url)) for _, level_heading, level_url in self.levels]
        context["heading"] = levels[-1][0]
        context["breadcrumbs"] = breadcrumbs(*levels[:-1], context["heading"])
        context["period_links"] = [
            (rel, heading(context[f"{when}_{key}"]), archive_path(context[f"{when}_{key}"], url_name))
            for rel, when in (("prev", "previous"), ("next", "next")) if context.get(f"{when}_{key}")
        ]
        return context


YEAR = ("year", dates.year_heading, "year")
MONTH = ("month", dates.month_heading, "month")
DAY = ("day", dates.day_heading, "day")


class YearArchive(DateArchiveMixin, YearArchiveView):
    make_object_list = True
    levels = (YEAR,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.get_year()
        context["months"] = content_cache.fragment(f"year:{year}:months", lambda: list(
            self.get_dated_queryset(published_at__year=year)
            .order_by()
            .annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(count=Count("id"))
            .order_by("month")
        ))
        return context


class MonthArchive(DateArchiveMixin, MonthArchiveView):
    levels = (YEAR, MONTH)


class DayArchive(DateArchiveMixin, DayArchiveView):
    levels = (YEAR, MONTH, DAY)

    # A day page links to the neighbouring days only; Django would also look
    # for the neighbouring months.
    def get_next_month(self, date):
        return None

    def get_previous_month(self, date):
        return None


CATEGORIES = ("Chuyên mục", reverse_lazy("articles:categories"))
TAGS = ("Thẻ", reverse_lazy("articles:tags"))


class CategoryView(PublicArticles, ListView):
    template_name = "articles/category.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=breadcrumbs(CATEGORIES, self.category.name), **kwargs)


class CategoryIndex(ListView):
    model = Category
    template_name = "articles/category_index.html"
    extra_context = {"breadcrumbs": breadcrumbs(CATEGORIES[0])}


class TagView(PublicArticles, ListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def page_ids(self, queryset):
        # The tag's own index, not a join through every article of the tag.
        return (
            Tagging.objects.published().filter(tag=self.tag)
            .order_by("-published_at", "-article_id").values_list("article_id", flat=True)
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=breadcrumbs(TAGS, self.tag.name), **kwargs)


class TagIndex(ListView):
    """Tags with public articles, in Vietnamese order; counts for the page shown only."""

    paginate_by = 200
    paginator_class = ArchivePaginator
    template_name = "articles/tag_index.html"
    extra_context = {"breadcrumbs": breadcrumbs(TAGS[0])}

    def get_queryset(self):
        public = Tagging.objects.published().filter(tag=OuterRef("pk"))
        return Tag.objects.filter(Exists(public)).order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tags = context["object_list"]
        counts = content_cache.fragment(f"tag-counts:{context['page_obj'].number}", lambda: dict(
            Tagging.objects.published().filter(tag__in=tags).values_list("tag").annotate(n=Count("*")).order_by()
        ))
        context["tags"] = [(tag, counts.get(tag.pk, 0)) for tag in tags]
        return context


def with_photos_and_tags(article):
    prefetch_related_objects([article], "tags", "photos")  # once: fetched lists are kept
    return article


class ArticleMixin:
    """Readers see published articles; staff also see drafts and scheduled ones."""

    template_name = "articles/article_detail.html"

    def get_queryset(self):
        articles = Article.objects.select_related("category").defer("search_vector")
        return articles if self.request.user.is_staff else articles.published()

    def get_context_data(self, **kwargs):
        article = self.object
        context = super().get_context_data(**kwargs)
        # The page's fragments are cached: its photos and tags are read only when
        # one of them is rebuilt (templates call these).
        context["story"] = partial(with_photos_and_tags, article)
        context["blocks"] = lambda: compose(article.body, with_photos_and_tags(article).photos.all())
        section = [(article.category.name, article.category.get_absolute_url())] if article.category else []
        context["breadcrumbs"] = breadcrumbs(*section, article.title)
        context["summary"] = Truncator(article.lead).chars(300)
        if article.is_public:
            # Callables: queried only when the cached fragment that shows them is stale.
            context["related"] = partial(Article.objects.related_to, article)
            context["neighbours"] = partial(Article.objects.neighbours, article)
        return context


class ArticleView(ArticleMixin, DateDetailView):
    date_field = "published_at"
    month_format = "%m"
    day_format = "%d"

    def get_allow_future(self):
        return self.request.user.is_staff

    def get_object(self, queryset=None):
        if self.request.user.is_staff:
            return super().get_object(queryset)
        # What readers find at this address is kept for the content version (an
        # address that finds nothing raises, and is not kept).
        return content_cache.fragment(f"article:{self.request.path}", partial(super().get_object, queryset))


class PreviewView(ArticleMixin, DetailView):
    def get_object(self, queryset=None):
        if not self.request.user.is_staff:
            raise Http404
        return super().get_object(queryset)


class SearchView(ListView):
    template_name = "articles/search.html"
    paginate_by = PER_PAGE

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET or None)
        self.query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        response = super().get(request, *args, **kwargs)
        if self.form.is_bound and not self.form.is_valid():
            response.status_code = 400
        return response

    def get_queryset(self):
        if not self.query:
            return Article.objects.none()
        data = self.form.cleaned_data
        self.ids, self.result_count = search.search(
            self.query, newest_first=data["sap_xep"] == "moi-nhat", category=data["chuyen_muc"],
            since=data["tu_ngay"], until=data["den_ngay"],
        )
        return Article.objects.published().for_listing()  # the rows of a page; self.ids says which

    def get_paginator(self, queryset, per_page, **kwargs):
        if not self.query:
            return ArchivePaginator(queryset, per_page, **kwargs)
        return ArchivePaginator(search.with_highlights(queryset, self.query), per_page, ids=self.ids, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, query=self.query, **kwargs)
        if self.query and context["object_list"]:
            context["result_count"] = self.result_count
            context["count_limit"] = search.COUNT_LIMIT
        elif self.query:
            context["suggestion"] = search.suggest(self.query)
        return context


def robots_txt(request):
    lines = ["User-agent: *"]
    if settings.ADMIN_URL == "admin/":
        lines.append("Disallow: /admin/")  # a custom admin address is not advertised
    lines += [
        "Disallow: /xem-truoc/",
        "Disallow: /tim-kiem/",
        f"Sitemap: {site_root(request)}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
