"""CompiledQuery: a QuerySet compiled once, run with new values, answers as the QuerySet does."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.queries import CompiledQuery
from courses.models import LessonProgress
from tests.factories import LessonFactory, LessonProgressFactory, UserFactory

pytestmark = pytest.mark.django_db


def completed_of(user_id):
    return (
        LessonProgress.objects.completed()
        .filter(user_id=user_id)
        .order_by("lesson_id")
        .values_list("lesson_id", "lesson__course_id", "completed_at")
    )


def test_rows_equal_the_querysets_for_each_value():
    compiled = CompiledQuery(completed_of)
    first, second, nobody = UserFactory(), UserFactory(), UserFactory()
    for lesson in LessonFactory.create_batch(3):
        LessonProgressFactory(user=first, lesson=lesson, completed=True)
    LessonProgressFactory(user=second, completed=True)
    LessonProgressFactory(user=second, completed=False)

    for user in (first, second, nobody, first):
        assert compiled(user_id=user.pk) == list(completed_of(user.pk))
    assert len(compiled(user_id=first.pk)) == 3
    assert len(compiled(user_id=second.pk)) == 1
    assert compiled(user_id=nobody.pk) == []


def test_values_are_parameters_never_sql():
    compiled = CompiledQuery(completed_of)
    user = UserFactory()
    LessonProgressFactory(user=user, completed=True)
    compiled(user_id=user.pk)
    with CaptureQueriesContext(connection) as queries:
        compiled(user_id=user.pk + 1)
    assert len(queries) == 1
    assert str(user.pk + 1) not in queries[0]["sql"].split("WHERE")[0]


def test_datetimes_come_back_as_the_queryset_gives_them():
    user = UserFactory()
    at = timezone.now() - timedelta(days=2)
    LessonProgressFactory(user=user, completed=True, completed_at=at)
    compiled = CompiledQuery(completed_of)
    [(_, _, completed_at)] = compiled(user_id=user.pk)
    assert completed_at == at
    assert completed_at.tzinfo is not None


def test_the_values_asked_for_must_be_given():
    compiled = CompiledQuery(completed_of)
    with pytest.raises(TypeError):
        compiled(user=1)


def test_a_value_that_does_not_reach_the_sql_is_refused():
    compiled = CompiledQuery(lambda user_id: LessonProgress.objects.values_list("id"))
    with pytest.raises(ValueError, match="parameter of its own"):
        compiled(user_id=1)


def test_a_name_and_a_time_are_values_too():
    from datetime import datetime

    from accounts.models import User

    joined = timezone.now() - timedelta(days=3)
    ada = UserFactory(username="ada", date_joined=joined)
    UserFactory(username="bob", date_joined=joined - timedelta(days=1))
    compiled = CompiledQuery(
        lambda username, since: User.objects.filter(
            username=username, date_joined__gte=since
        ).values_list("pk", "date_joined"),
        username=str,
        since=datetime,
    )
    assert compiled(username="ada", since=joined) == [(ada.pk, joined)]
    assert compiled(username="ada", since=joined + timedelta(seconds=1)) == []
    assert compiled(username="bob", since=joined - timedelta(days=2)) != []
    assert compiled(username="nobody", since=joined - timedelta(days=9)) == []


def test_a_value_transformed_before_the_sql_is_refused():
    from accounts.models import User

    compiled = CompiledQuery(
        lambda username: User.objects.filter(username__icontains=username).values_list("pk"),
        username=str,
    )
    with pytest.raises(ValueError, match="parameter of its own"):
        compiled(username="ada")
