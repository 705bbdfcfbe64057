from django.conf import settings
from django.db import models


class SubqueryCount(models.Subquery):
    """COUNT(*) of a correlated subquery, 0 when empty.

    Counting several relations with Count() joins them all and multiplies rows (3 lessons x 2
    achievements counts 6 of each); one scalar subquery per relation keeps every count exact.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = models.IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


def listing_fetch_mode():
    return models.FETCH_RAISE if settings.STRICT_FETCH else models.FETCH_PEERS


class ListingQuerySet(models.QuerySet):
    def for_listing(self):
        """For QuerySets a page loops over: a related object the query did not load raises
        FieldFetchBlocked at the line that touched it (development, tests), or is fetched for
        every row at once (production)."""
        return self.fetch_mode(listing_fetch_mode())
