import re

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    ChatMessageFactory,
    EnrollmentFactory,
    LessonProgressFactory,
    StaffFactory,
    UserAchievementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def some_of_everything():
    LessonProgressFactory()
    EnrollmentFactory()
    UserAchievementFactory()
    ChatMessageFactory()


def registered_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_every_changelist_and_change_form_opens_for_staff(staff_client, some_of_everything, model):
    opts = model._meta
    changelist = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    searched = staff_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?q=a"
    )
    assert searched.status_code == 200
    obj = model.objects.first()
    if obj is not None:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert staff_client.get(url).status_code == 200


def test_the_admin_is_for_staff_only(learner_client):
    response = learner_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_user_autocomplete_answers_for_course_authors(staff_client):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "courses", "model_name": "course", "field_name": "author", "term": "learn"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_admin_pages_need_no_inline_code_under_the_csp(staff_client, some_of_everything, model):
    opts = model._meta
    urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_add")]
    obj = model.objects.first()
    if obj is not None:
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    for url in urls:
        body = staff_client.get(url).content.decode()
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=\"|\son[a-z]+=", body)
        assert inline == [], url


def test_deleted_at_is_read_only_on_the_user_change_form(staff_client):
    learner = UserFactory()
    url = reverse("admin:accounts_user_change", args=[learner.pk])
    form = staff_client.get(url).content.decode()
    assert 'name="deleted_at' not in form

    data = {
        "username": learner.username,
        "email": learner.email,
        "xp": 0,
        "level": 1,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "is_active": "on",
        "deleted_at_0": "2026-01-02",
        "deleted_at_1": "10:00:00",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    learner.refresh_from_db()
    assert learner.deleted_at is None
    assert learner.is_active


def test_the_soft_delete_action_deactivates_the_learners_through_the_service(staff_client):
    chosen, other = UserFactory(), UserFactory()
    response = staff_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "soft_delete", "_selected_action": [chosen.pk]},
    )
    assert response.status_code == 302
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert chosen.deleted_at is not None
    assert not chosen.is_active
    assert other.deleted_at is None and other.is_active


def test_a_changelist_past_the_exact_bound_shows_the_planners_estimate(staff_client, monkeypatch):
    monkeypatch.setattr("core.admin_lists.EXACT_UP_TO", 2)
    for _ in range(4):
        LessonProgressFactory()
    response = staff_client.get(reverse("admin:courses_lessonprogress_changelist"))
    changelist = response.context["cl"]
    assert changelist.paginator.estimated
    assert "(the planner's estimate)" in response.content.decode()
    assert f"about {changelist.result_count:,} lesson progress" in response.content.decode()


def test_a_changelist_within_the_bound_counts_exactly(staff_client):
    for _ in range(3):
        LessonProgressFactory()
    body = staff_client.get(reverse("admin:courses_lessonprogress_changelist")).content.decode()
    assert "3 lesson progress" in body
    assert "estimate" not in body


def test_learner_tables_are_searched_by_username_prefix(staff_client):
    found = LessonProgressFactory(user=UserFactory(username="satoshi"))
    LessonProgressFactory(user=UserFactory(username="not-satoshi"))
    response = staff_client.get(reverse("admin:courses_lessonprogress_changelist"), {"q": "SAT"})
    assert list(response.context["cl"].result_list) == [found]
