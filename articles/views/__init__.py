"""Reader views, one module per kind of page; each calls read functions
(articles/queries.py, articles/search/) and hands its template plain values.
Templates mirror them: templates/articles/<module>/."""
