"""Live notices on an article's form: who else has it open, and the editor's
autosaved copy (newsroom/presence.py, newsroom/autosave.py)."""


def urls(model_admin):
    return []


def context(request, article):
    """What the change form's template needs for its notices."""
    return {}


def saved(request, article):
    """The editor saved the form: their autosaved copy is spent."""
