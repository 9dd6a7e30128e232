"""Vietnamese full-text search in PostgreSQL: the engine (parsing, ranking,
highlighting) and suggestions when nothing matches."""
from .engine import COUNT_LIMIT, Results, articles_matching, clean_query, find, marked
from .suggestions import refresh_terms, suggest

__all__ = ["COUNT_LIMIT", "Results", "articles_matching", "clean_query", "find", "marked", "refresh_terms", "suggest"]
