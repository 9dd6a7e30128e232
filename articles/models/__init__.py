"""The archive's tables, one module per family: taxonomy (categories, tags),
article (articles and their tag links), photo, search (suggestion words),
newsroom (revisions, the audit log, autosaves, open forms), desk (corrections,
editorial notes)."""
from .article import Article, ArticleQuerySet, Tagging
from .base import HANOI, VI_COLLATION, HanoiDate, NormalizedModel
from .desk import Correction, EditorialNote
from .newsroom import AuditEntry, Autosave, EditingSession, Revision, TrashedArticle
from .photo import Photo
from .search import SearchTerm
from .taxonomy import Category, Tag
from .video import Video

__all__ = [
    "Article", "ArticleQuerySet", "AuditEntry", "Autosave", "Category", "Correction", "EditingSession",
    "EditorialNote", "HANOI", "HanoiDate",
    "NormalizedModel", "Photo", "Revision", "SearchTerm",
    "Tag", "Tagging", "TrashedArticle", "VI_COLLATION", "Video",
]
