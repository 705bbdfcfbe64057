from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.services import award_xp, touch_last_active
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_award_xp_adds_xp_and_keeps_the_level_in_line():
    user = UserFactory(xp=90, level=1)
    assert award_xp(user_id=user.pk, amount=15) == (105, 2)
    user.refresh_from_db()
    assert (user.xp, user.level) == (105, 2)


def test_award_xp_refuses_negative_amounts():
    user = UserFactory()
    with pytest.raises(ValueError):
        award_xp(user_id=user.pk, amount=-1)


def test_last_active_is_written_at_most_once_per_interval(django_assert_num_queries):
    now = timezone.now()
    user = UserFactory(last_active_at=now - timedelta(hours=1))
    with django_assert_num_queries(1):
        assert touch_last_active(user=user, now=now)
    with django_assert_num_queries(0):
        assert not touch_last_active(user=user, now=now + timedelta(seconds=30))
    user.refresh_from_db()
    assert user.last_active_at == now
