"""An article's authors, in order, and the byline text kept in step with them.

Every writer of authors comes here: the importers (assign), the admin's form
(refresh_bylines after its inline), a restore (assign from the restored byline),
a rename and the admin's merge. The byline text (Article.author) is what
revisions, the trash and a restore read; readers' pages read the records.
"""
from django.contrib.postgres.aggregates import StringAgg
from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Left

from . import bylines, caching
from .models import Article, Author, Authorship

BYLINE_LENGTH = Article._meta.get_field("author").max_length


def assign(article, names):
    """Make these names (a byline, or a list) the saved article's authors, in
    order; returns the authors."""
    authors = Author.objects.for_names(bylines.names_in(names))
    current = list(article.authorships.order_by("position", "id").values_list("author_id", flat=True))
    if current != [author.pk for author in authors]:
        article.authorships.all().delete()
        Authorship.objects.bulk_create(
            Authorship(article=article, author=author, position=n) for n, author in enumerate(authors)
        )
        caching.changed()  # bulk_create and the delete above send no signal per row
    refresh_bylines([article.pk])
    return authors


def refresh_bylines(article_ids):
    """Write each article's byline text from its authors, in order."""
    names = (
        Authorship.objects.filter(article=OuterRef("pk")).order_by().values("article")
        .annotate(line=StringAgg("author__name", bylines.SEPARATOR, order_by=("position", "id"))).values("line")
    )
    line = Left(Coalesce(Subquery(names), Value("")), BYLINE_LENGTH)
    changed = Article.objects.filter(pk__in=list(article_ids)).exclude(author=line).update(author=line)
    if changed:
        caching.changed()
    return changed


@transaction.atomic
def merge(keep, others):
    """Fold the authors `others` into `keep`: their articles follow, each keeping
    its place in the byline, an article they shared named once; keep takes the
    photo and the words of the first of them that has what it lacks. Returns how
    many articles changed. Raises Author.DoesNotExist when keep is gone (another
    editor merged or deleted it meanwhile)."""
    # Locked: two editors merging the same records run one after the other, and the
    # second finds what the first left.
    found = {
        author.pk: author
        for author in Author.objects.select_for_update().filter(pk__in=[keep.pk, *(other.pk for other in others)])
    }
    if keep.pk not in found:
        raise Author.DoesNotExist(keep.pk)
    keep = found[keep.pk]
    others = [found[other.pk] for other in others if other.pk in found and other.pk != keep.pk]
    _take_what_is_missing(keep, others)
    ids = set(Authorship.objects.filter(author__in=others).values_list("article_id", flat=True))
    already = set(Authorship.objects.filter(author=keep, article__in=ids).values_list("article_id", flat=True))
    for authorship in Authorship.objects.filter(author__in=others).order_by("article_id", "position", "id"):
        if authorship.article_id in already:
            authorship.delete()
        else:
            already.add(authorship.article_id)
            Authorship.objects.filter(pk=authorship.pk).update(author=keep)
    Author.objects.filter(pk__in=[other.pk for other in others]).delete()
    refresh_bylines(ids)
    caching.changed()
    return len(ids)


def _take_what_is_missing(keep, others):
    """keep's empty bio and missing photo, from the first of others that has one:
    merging two records of one person must not lose what an editor wrote or
    uploaded. Written by update(): the file, its size and its renditions move as
    they are, and the merge bumps the content version itself."""
    taken = {}
    if not keep.bio:
        taken["bio"] = next((other.bio for other in others if other.bio), "")
    donor = None if keep.photo else next((other for other in others if other.photo), None)
    if donor:
        taken.update(photo=donor.photo.name, photo_width=donor.photo_width, photo_height=donor.photo_height,
                     photo_renditions=donor.photo_renditions)
        # The donor lets go of the file first, so that its deletion below does not
        # take the file with it (signals.py deletes a deleted author's photo).
        Author.objects.filter(pk=donor.pk).update(photo="", photo_renditions={})
    if any(taken.values()):
        Author.objects.filter(pk=keep.pk).update(**taken)
