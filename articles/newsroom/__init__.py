"""The newsroom's safety net: no edit is ever lost.

- editing.py: two people, one article (a save over a newer version is refused)
- revisions.py: who and why for the revisions the database records; reading and restoring them
- diff.py: word-level comparison of two revisions
- trash.py: delete into a trash, restore, purge
- presence.py: who has an article's form open
- autosave.py: each editor's private copy of an unsaved form
"""
