"""The archive's tables, one module per family: taxonomy (categories, tags),
article (articles and their tag links), photo, search (suggestion words)."""
from .article import Article, ArticleQuerySet, Tagging
from .base import HANOI, VI_COLLATION, HanoiDate, NormalizedModel
from .photo import Photo
from .search import SearchTerm
from .taxonomy import Category, Tag

__all__ = [
    "Article", "ArticleQuerySet", "Category", "HANOI", "HanoiDate", "NormalizedModel", "Photo", "SearchTerm",
    "Tag", "Tagging", "VI_COLLATION",
]
