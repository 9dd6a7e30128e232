"""The archive's tables, one module per family: taxonomy (categories, tags), author,
article (articles and their tag links), photo, search (suggestion words),
newsroom (revisions, the audit log, autosaves, open forms), desk (corrections,
editorial notes), reads (hourly read counts), thread (event threads)."""
from ..dates import HANOI
from .author import Author, Authorship
from .article import Article, ArticleQuerySet, Tagging
from .base import VI_COLLATION, HanoiDate, NormalizedModel
from .desk import Correction, EditorialNote
from .newsroom import AuditEntry, Autosave, EditingSession, Revision, TrashedArticle
from .photo import Photo, photo_rows, photos_from_rows
from .reads import HourlyReads
from .search import SearchTerm
from .taxonomy import Category, Tag
from .thread import EventThread
from .video import Video

__all__ = [
    "Article", "ArticleQuerySet", "AuditEntry", "Author", "Authorship", "Autosave", "Category", "Correction", "EditingSession",
    "EditorialNote", "EventThread", "HANOI", "HanoiDate", "HourlyReads",
    "NormalizedModel", "Photo", "Revision", "SearchTerm", "photo_rows", "photos_from_rows",
    "Tag", "Tagging", "TrashedArticle", "VI_COLLATION", "Video",
]
