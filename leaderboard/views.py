from functools import partial

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from core.http import json_error, parse_non_negative_int
from core.page_cache import cached_page
from courses.exercises import passes_of
from leaderboard import profiles, ranking
from leaderboard.ranking import PROFILES

API_MAX_LIMIT = 100


class _RowPage:
    """What Paginator needs to count the board without building every row."""

    def count(self):
        return ranking.board_size()

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        # Read when the page's table is rendered, which a cached table fragment skips.
        return SimpleLazyObject(
            partial(ranking.rows, offset=window.start, limit=window.stop - window.start)
        )


def _own_rank(user_id):
    return [(ranking.LEADERBOARD, ranking.rank_key(user_id))]


@require_safe
@cached_page(ranking.LEADERBOARD, query=("page",), learner_entries=_own_rank)
def leaderboard(request):
    paginator = Paginator(_RowPage(), settings.LEADERBOARD_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger as exc:
        raise Http404("That page number is not a number.") from exc
    except EmptyPage as exc:
        raise Http404("That page is past the end of the leaderboard.") from exc
    return render(request, "leaderboard/leaderboard.html", {"page": page})


@require_safe
@cached_page(ranking.LEADERBOARD, shared=True, query=("limit", "offset"))
def api_leaderboard(request):
    limit, error = parse_non_negative_int(request.GET.get("limit"), name="limit", default=100)
    if error:
        return json_error(error)
    offset, error = parse_non_negative_int(request.GET.get("offset"), name="offset", default=0)
    if error:
        return json_error(error)
    limit = min(limit, API_MAX_LIMIT)
    results = [row.as_json() for row in ranking.rows(offset=offset, limit=limit)]
    return JsonResponse({"limit": limit, "offset": offset, "results": results})


@require_safe
@cached_page(PROFILES)
def profile(request, username):
    learner = profiles.learner_named(username)
    if learner is None:
        raise Http404("No learner has that name.")
    # Read only when the shared part of the page is not cached (templates call callables).
    return render(
        request,
        "leaderboard/profile.html",
        {
            "learner": learner,
            "achievements": lambda: profiles.achievements_of(learner),
            "completed_courses": lambda: profiles.completed_courses_of(learner),
            "exercise_passes": lambda: passes_of(learner),
            "rank": lambda: ranking.rank_of(learner),
        },
    )
