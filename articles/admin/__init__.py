"""The newsroom's admin, one module per screen: articles (the form, its photos,
publish and unpublish), history (revisions, compare, restore), live (who else is
editing, autosave), trash, audit (the audit log), taxonomy (categories, tags), authors, threads."""
from . import articles, audit, authors, taxonomy, threads, trash  # noqa: F401  (each registers its models)
