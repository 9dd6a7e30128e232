"""Deleting an article moves it to the trash: off every public surface at once,
its address answering 410, restorable with its photos, tags and revisions for
TRASH_DAYS days, then purged (manage.py purge_trash)."""

TRASH_DAYS = 30


def move_to_trash(articles, user):
    raise NotImplementedError


def deleted_objects(model_admin, objs, request):
    raise NotImplementedError


def response_delete(model_admin, request, obj_display):
    raise NotImplementedError
