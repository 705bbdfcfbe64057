"""Admin changelists over big tables: a paginator that does not count a million rows, and a
changelist that leaves the columns it never shows in the database.

The paginator: exact up to a bound, the planner's estimate beyond.

COUNT(*) over a million rows reads a million index entries (~100 ms) on every admin page view, to
print a figure nobody needs to the row. The planner's estimate for the filtered query comes first
(EXPLAIN, no execution, well under a millisecond); only when it is small are the rows counted, and
then at most EXACT_UP_TO + 1 of them (a LIMIT inside the count), in case the estimate was wrong.
An estimate is marked as such by the admin's pagination template.
"""

import json

from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_UP_TO = 10_000


class EstimatedCountPaginator(Paginator):
    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if connections[queryset.db].vendor != "postgresql":
            return super().count
        planned = planned_rows(queryset)
        if planned <= EXACT_UP_TO:
            # Counting a handful of rows the planner expects costs what reading them costs.
            counted = queryset.order_by()[: EXACT_UP_TO + 1].count()
            if counted <= EXACT_UP_TO:
                return counted
            planned = max(planned, counted)
        self.estimated = True
        return planned


def planned_rows(queryset) -> int:
    """The planner's estimate of the rows `queryset` returns."""
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class DeferringChangeList(ChangeList):
    """Loads the rows of a changelist without the model admin's `list_defer` fields.

    A progress row's list_select_related lesson brings its Markdown, HTML, tests and solution
    along: ~20 KB a row, 2 MB for one page of progress that shows only the lesson's title. The
    change form still loads every field (it uses the model admin's own queryset).
    """

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer(*getattr(self.model_admin, "list_defer", ()))
