"""Vietnamese full-text search in PostgreSQL: the engine (parsing, ranking,
highlighting) and suggestions when nothing matches."""
from .engine import COUNT_LIMIT, Results, articles_matching, clean_query, find
from .suggestions import refresh_terms, suggest

__all__ = ["COUNT_LIMIT", "Results", "articles_matching", "clean_query", "find", "refresh_terms", "suggest"]
