"""The archive's tables, one module per family: taxonomy (categories, tags),
article (articles and their tag links), photo, search (suggestion words),
newsroom (revisions, the audit log, autosaves, open forms)."""
from .article import Article, ArticleQuerySet, Tagging
from .base import HANOI, VI_COLLATION, HanoiDate, NormalizedModel
from .newsroom import AuditEntry, Autosave, EditingSession, Revision, TrashedArticle
from .photo import Photo
from .search import SearchTerm
from .taxonomy import Category, Tag

__all__ = [
    "Article", "ArticleQuerySet", "AuditEntry", "Autosave", "Category", "EditingSession", "HANOI", "HanoiDate",
    "NormalizedModel", "Photo", "Revision", "SearchTerm",
    "Tag", "Tagging", "TrashedArticle", "VI_COLLATION",
]
