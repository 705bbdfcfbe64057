import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.services import complete_lesson
from tests.factories import (
    CourseFactory,
    LessonFactory,
    LessonProgressFactory,
    UserAchievementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_the_leaderboard_page_shows_rows_with_their_counts(client):
    user = UserFactory(username="topper", xp=700)
    for _ in range(3):
        LessonProgressFactory(user=user)
    UserAchievementFactory(user=user)
    UserAchievementFactory(user=user)
    response = client.get(reverse("leaderboard:leaderboard"))
    assert response.status_code == 200
    row = next(row for row in response.context["page"].object_list if row.username == "topper")
    assert (row.rank, row.completed_lessons, row.achievements) == (1, 3, 2)
    assert "topper" in response.content.decode()


@override_settings(LEADERBOARD_PAGE_SIZE=2)
def test_the_learners_own_rank_shows_when_off_the_page(client):
    for xp in (900, 800, 700):
        UserFactory(xp=xp)
    me = UserFactory(xp=1)
    client.force_login(me)
    response = client.get(reverse("leaderboard:leaderboard"))
    assert "Your rank: <strong>#4</strong>" in response.content.decode()
    assert me.username not in [row.username for row in response.context["page"].object_list]
    page_two = client.get(reverse("leaderboard:leaderboard") + "?page=2")
    assert [row.username for row in page_two.context["page"].object_list][-1] == me.username


@pytest.mark.parametrize("page", ["abc", "0", "99", "-1"])
def test_a_bad_page_number_is_404(client, page):
    UserFactory()
    assert client.get(reverse("leaderboard:leaderboard") + f"?page={page}").status_code == 404


def test_the_api_returns_rows_and_caps_the_limit(client):
    for xp in range(120):
        UserFactory(xp=xp)
    data = client.get("/api/leaderboard?limit=500&offset=5").json()
    assert data["limit"] == 100 and data["offset"] == 5
    assert len(data["results"]) == 100
    assert data["results"][0]["rank"] == 6
    assert set(data["results"][0]) == {
        "rank", "username", "avatar", "xp", "level", "completed_lessons", "achievements",
        "courses_created", "joined",
    }  # fmt: skip


def test_the_api_limit_defaults_to_100(client):
    assert client.get("/api/leaderboard").json()["limit"] == 100


@pytest.mark.parametrize(
    "query",
    ["limit=abc", "limit=-1", "offset=x", "offset=-5", "limit=1.5", "limit=%00", "offset=1e9x"],
)
def test_the_api_refuses_bad_numbers_with_400(client, query):
    response = client.get(f"/api/leaderboard?{query}")
    assert response.status_code == 400
    assert "error" in response.json()


def test_a_profile_shows_xp_achievements_and_completed_courses(client):
    learner = UserFactory(username="ada", xp=260, level=3)
    earned = UserAchievementFactory(user=learner, achievement__name="Gas golfer")
    course = CourseFactory(title="Finished course")
    learner.enrollments.create(course=course, status="completed")
    response = client.get(reverse("leaderboard:profile", args=["ada"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "260 XP" in body and "level 3" in body
    assert earned.achievement.name in body and earned.achievement.description in body
    assert f'<a href="{course.get_absolute_url()}">Finished course</a>' in body
    assert "rank #1" in body


def test_a_deleted_or_unknown_profile_is_404(client):
    from accounts.services import soft_delete_user

    soft_delete_user(user=UserFactory(username="gone"))
    assert client.get(reverse("leaderboard:profile", args=["gone"])).status_code == 404
    assert client.get(reverse("leaderboard:profile", args=["nobody"])).status_code == 404


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("offset=99999999999999999999999", "offset must be at most 1000000000"),
        ("offset=-3", "offset must not be negative"),
        ("limit=%D9%A1%D9%A2", "limit must be a whole number"),
        ("limit=1_0", "limit must be a whole number"),
        ("limit=+5", "limit must be a whole number"),
        ("offset=" + "0" * 5000 + "7", None),
    ],
)
def test_the_api_refuses_numbers_it_cannot_use_with_a_clear_error(client, query, error):
    response = client.get(f"/api/leaderboard?{query}")
    if error is None:
        assert response.status_code == 200 and response.json()["offset"] == 7
    else:
        assert response.status_code == 400 and response.json() == {"error": error}


def test_learners_share_one_table_and_each_sees_their_own_row_marked(client):
    first, second = UserFactory(xp=500), UserFactory(xp=400)
    LessonProgressFactory(user=first)
    url = reverse("leaderboard:leaderboard")
    client.force_login(first)
    mine = client.get(url).content.decode()
    client.force_login(second)
    with CaptureQueriesContext(connection) as queries:
        theirs = client.get(url).content.decode()

    def table(page):
        return page[page.index('<div class="table-wrap">') : page.index("</table>")]

    def unmarked(page):
        return table(page).replace(' class="me"', "")

    assert unmarked(mine) == unmarked(theirs)
    assert f'<tr data-learner="{first.pk}" class="me">' in mine
    assert f'<tr data-learner="{second.pk}" class="me">' in theirs
    assert table(theirs).count('class="me"') == table(mine).count('class="me"') == 1
    # The table came from the cache: no per-row counts were read for the second learner.
    assert not [q for q in queries.captured_queries if "courses_lessonprogress" in q["sql"]]


def test_a_profile_is_shared_by_its_viewers_and_only_its_owner_sees_account_links(client):
    owner, viewer = UserFactory(xp=300), UserFactory()
    UserAchievementFactory(user=owner)
    url = reverse("leaderboard:profile", args=[owner.username])
    client.force_login(owner)
    own = client.get(url).content.decode()
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as queries:
        seen = client.get(url).content.decode()

    assert "Change password" in own and "Change password" not in seen
    assert "300 XP" in seen and "rank #1" in seen
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "leaderboard_userachievement" not in read  # the shared part came from the cache


def test_a_learners_own_profile_shows_the_xp_they_just_earned(client):
    learner = UserFactory(xp=100)
    lesson = LessonFactory(xp_reward=60)
    url = reverse("leaderboard:profile", args=[learner.username])
    client.force_login(learner)
    assert "<strong>100 XP</strong>" in client.get(url).content.decode()
    complete_lesson(user=learner, lesson=lesson)
    learner.refresh_from_db()
    assert learner.xp >= 160  # the lesson's 60 XP, and the bonuses of what it earned
    assert f"<strong>{learner.xp} XP</strong>" in client.get(url).content.decode()
