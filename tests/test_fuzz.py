"""Fuzzing every form and JSON endpoint with hostile values, as a visitor and as a learner.

Each example sends one request built from very long strings, control characters and NULs, odd
Unicode, wrong types (lists, JSON of any shape, raw bytes, the wrong content type), negative and
huge numbers, HTML, SQL and template fragments and broken JSON, and asserts:
- no 5xx (the test client re-raises any exception a view lets escape);
- an error says what is wrong: a JSON "error", a form whose errors are on the page, or a message;
- nothing another learner owns changed (tests.conftest.state_of).
A part runs with CSRF enforced, as browsers meet it (the test client skips the check otherwise):
a post without the token is refused with 403 and changes nothing, the learner's own data included.

Runs are derandomized, so CI sees the same cases every time; FUZZ_RANDOM=1 explores new ones and
FUZZ_EXAMPLES raises the count. The cases run per endpoint are printed in pytest's summary.
"""

import json
import os
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.compiler.sources import COUNTER, COUNTER_TESTS, MISSING_SEMICOLON
from tests.conftest import state_of
from tests.factories import (
    PASSWORD,
    ChatMessageFactory,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    LessonProgressFactory,
    RoomFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the world below is built once per endpoint
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
CASES: Counter = Counter()

# Values -------------------------------------------------------------------------------------

FRAGMENTS = [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
    "'; DROP TABLE accounts_user; --", "' OR '1'='1", '" OR 1=1 --', "1; SELECT pg_sleep(5)",
    "{{ 7*7 }}", "{% debug %}", "${7*7}", "../../etc/passwd", "%00", "%ff%fe", "\x00", "\u202e",
    "\ufeff", "\u200b", "\U0001d54a\U0001d560\U0001d55d", "e\u0301\u0301\u0301", "²", "١٢٣",
    "NaN", "Infinity",
    "-1", "0", "-0", "1e309", "0x10", "1_000", " 7 ", "9" * 40, "-" + "9" * 40, "true", "null",
    "[]", "{}", " ", "",
]  # fmt: skip
numbers = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
long_strings = st.builds(
    lambda size, char: char * size,
    st.sampled_from([150, 151, 255, 1025, 2001, 100_001, 2_700_000]),
    st.sampled_from(["a", "é", "\x00", "<", "9"]),
)
controls = st.text(st.characters(max_codepoint=0x1F), max_size=20)
odd_unicode = st.text(st.characters(categories=["Cf", "Mn", "Zs", "Co", "So", "Lo"]), max_size=20)
text_value = st.one_of(
    st.text(max_size=60), st.sampled_from(FRAGMENTS), numbers, long_strings, controls, odd_unicode
)
form_value = st.one_of(text_value, st.lists(text_value, min_size=2, max_size=3))
json_value = st.recursive(
    st.none() | st.booleans() | numbers.map(float) | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)
broken_json = st.one_of(
    st.binary(max_size=80),
    st.sampled_from([b"{", b'{"source": ', b"[" * 50_000, b'{"source": "\xff"}', b"\x00", b""]),
)


def form_body(fields):
    """A form post of some of `fields` (and stray ones), or a body of the wrong kind."""
    data = st.fixed_dictionaries(
        {}, optional={name: form_value for name in [*fields, "user", "owner", "xp"]}
    )
    return st.one_of(
        data.map(lambda d: ("form", d)),
        data.map(lambda d: ("form", d)),  # twice: the common case gets most of the examples
        st.binary(max_size=120).map(lambda b: ("urlencoded", b)),
        json_value.map(lambda v: ("json", json.dumps(v).encode())),
        broken_json.map(lambda b: ("json", b)),
    )


def query(params):
    # Numbers twice: the parameters are numbers, so most values should be nearly right.
    values = st.one_of(numbers, numbers, form_value.filter(bool))
    dicts = st.dictionaries(st.sampled_from([*params, "x"]), values, max_size=3)
    raw = st.text(alphabet="%&=;+?#ab01-é\u202e", max_size=30)
    return st.one_of(dicts.map(lambda d: ("query", d)), raw.map(lambda q: ("raw", q)))


def slug_or_junk(slugs):
    return st.one_of(st.sampled_from(slugs), st.text(min_size=1, max_size=30).map(quote))


who = st.sampled_from(["visitor", "learner"])

# The world: a learner under test, a victim whose data must not change, and their things -----


@dataclass
class World:
    learner: object
    victim: object
    victim_before: dict
    course: object
    draft_lesson: object
    lesson: object
    exercise: object
    own_room: object
    victim_room: object
    open_room: object
    closed_room: object

    def client(self, who):
        client = Client()
        if who == "learner":
            client.force_login(self.learner)
        return client

    def course_slugs(self):
        return [self.course.slug, self.draft_lesson.course.slug]

    def lesson_paths(self):
        return [
            (lesson.course.slug, lesson.slug)
            for lesson in (self.lesson, self.exercise, self.draft_lesson)
        ]

    def room_slugs(self):
        return [r.slug for r in (self.own_room, self.victim_room, self.open_room, self.closed_room)]


@pytest.fixture
def world(settings):
    # Limits high enough that the fuzz exercises the forms, not only the throttles.
    settings.LOGIN_FAILURES_PER_IP = settings.LOGIN_FAILURES_PER_ACCOUNT = (10**6, 60)
    settings.SIGNUPS_PER_IP = settings.SIGNUPS_PER_EMAIL = (10**6, 60)
    settings.COMPILER_RATE_LIMIT_PER_MINUTE = 10**6
    settings.ROOMS_STARTED_PER_LEARNER = settings.ROOMS_STARTED_PER_IP = (10**6, 60)
    settings.CHAT_POSTS_PER_LEARNER = settings.CHAT_POSTS_PER_IP = (10**6, 60)
    learner, victim, bystander = UserFactory(), UserFactory(), UserFactory()
    course = CourseFactory()
    lesson = LessonFactory(course=course)
    exercise = LessonFactory(course=course, tests=COUNTER_TESTS, solution=COUNTER)
    draft_lesson = LessonFactory(course=CourseFactory(published=False))
    LessonProgressFactory(user=victim, lesson=lesson)
    EnrollmentFactory(user=victim, course=course)
    victim_room = RoomFactory(owner=victim, code="the victim's code")
    ChatMessageFactory(room=victim_room, author=victim)
    return World(
        learner=learner,
        victim=victim,
        victim_before=state_of(victim),
        course=course,
        draft_lesson=draft_lesson,
        lesson=lesson,
        exercise=exercise,
        own_room=RoomFactory(owner=learner),
        victim_room=victim_room,
        # Rooms the learner may post in and join: never the victim's, whose shared code a
        # member could rightly change.
        open_room=RoomFactory(owner=bystander),
        closed_room=RoomFactory(owner=bystander, active=False),
    )


# Sending and judging -----------------------------------------------------------------------


def send(client, method, path, body):
    kind, payload = body
    if kind == "query":
        return client.get(path, payload)
    if kind == "raw":
        return client.get(f"{path}?{payload}")
    if kind == "form":
        return client.post(path, payload)
    content_type = "application/json" if kind == "json" else "application/x-www-form-urlencoded"
    return client.generic(method, path, payload, content_type=content_type)


def judge(
    world, endpoint, who, response, *, allowed, json_api=False, says_why=False, form_page=False
):
    CASES[(endpoint, who)] += 1
    status = response.status_code
    assert status < 500, f"{endpoint}: {status}"
    assert status in allowed, f"{endpoint} as {who}: unexpected {status}"
    if status >= 400:
        assert response.content, f"{endpoint}: a {status} that says nothing"
        if json_api:
            assert response.json()["error"], f"{endpoint}: a JSON error without a message"
    login_redirect = status == 302 and "/accounts/login/" in response["Location"]
    if says_why and status == 302 and not login_redirect:
        assert list(get_messages(response.wsgi_request)), f"{endpoint}: redirected in silence"
    if form_page and status in (200, 400):
        # A form page answering a post again: the post was refused, and the page says why.
        form = response.context["form"]
        assert form.is_bound and form.errors, f"{endpoint}: a {status} with no form error"
        page = response.content.decode()
        shown = [
            error
            for errors in form.errors.values()
            for error in errors
            if escape(error) in page or error in page
        ]
        assert shown, f"{endpoint}: the form's errors are not on the page: {form.errors}"
    assert state_of(world.victim) == world.victim_before, f"{endpoint} changed the victim's data"


def needs_login(who, *learner_statuses):
    # A visitor is sent to log in; a path that names nothing is 404 before that.
    return {302, 404} if who == "visitor" else set(learner_statuses)


# Accounts ----------------------------------------------------------------------------------

SIGNUP_FIELDS = ["username", "email", "password1", "password2"]


@FUZZ
@given(who=who, body=form_body(SIGNUP_FIELDS))
@example(who="visitor", body=("json", b"{}"))  # was a blank form, 200, saying nothing
def test_fuzz_signup(world, who, body):
    response = send(world.client(who), "POST", "/accounts/signup/", body)
    judge(world, "signup", who, response, allowed={200, 302, 400}, form_page=who == "visitor")


@FUZZ
@given(
    who=who,
    body=form_body(["username", "password", "next"]),
    target=st.booleans(),
    right_password=st.booleans(),
)
@example(  # was a redirect to "0", a page that does not exist
    who="learner", body=("form", {"next": "0"}), target=False, right_password=True
)
def test_fuzz_login(world, who, body, target, right_password):
    """A visitor logs in as anyone; "learner" is the learner signing in to their own account,
    with their password or a hostile one, and a hostile `next`."""
    kind, data = body
    if kind == "form" and who == "learner":
        password = PASSWORD if right_password else data.get("password", "")
        data = {**data, "username": world.learner.username, "password": password}
        body = (kind, data)
    elif kind == "form" and target:  # aim at real accounts: the victim's above all
        data = {**data, "username": world.victim.username}
        body = (kind, data)
    client = Client()  # signed out either way: a signed-in learner is only sent on
    response = send(client, "POST", "/accounts/login/", body)
    judge(world, "login", who, response, allowed={200, 302, 400}, form_page=kind == "form")
    signed_in = client.session.get("_auth_user_id")
    if response.status_code == 302:
        assert response["Location"].startswith("/") and not response["Location"].startswith("//")
        assert signed_in is not None
    else:
        assert signed_in is None
    if kind == "form" and who == "learner" and right_password and isinstance(password, str):
        # The right password always signs the learner in, whatever else the post carries.
        assert signed_in == str(world.learner.pk), response.status_code


@FUZZ
@given(who=who, body=form_body(["old_password", "new_password1", "new_password2"]))
def test_fuzz_password_change(world, who, body):
    response = send(world.client(who), "POST", "/accounts/password/", body)
    judge(
        world,
        "password change",
        who,
        response,
        allowed=needs_login(who, 200, 302, 400),
        form_page=who == "learner" and body[0] == "form",
    )


# Courses -----------------------------------------------------------------------------------


@FUZZ
@given(who=who, body=form_body([]), data=st.data())
def test_fuzz_enroll(world, who, body, data):
    course = data.draw(slug_or_junk(world.course_slugs()))
    response = send(world.client(who), "POST", f"/courses/{course}/enroll/", body)
    judge(world, "enroll", who, response, allowed=needs_login(who, 302, 400, 404), says_why=True)


@FUZZ
@given(who=who, body=form_body([]), data=st.data())
def test_fuzz_complete(world, who, body, data):
    course, lesson = data.draw(st.sampled_from(world.lesson_paths()))
    lesson = data.draw(st.one_of(st.just(lesson), slug_or_junk([lesson])))
    path = f"/courses/{course}/{lesson}/complete/"
    response = send(world.client(who), "POST", path, body)
    # 403: an exercise lesson is completed by passing its tests, not by this button.
    judge(
        world,
        "complete",
        who,
        response,
        allowed=needs_login(who, 302, 400, 403, 404),
        says_why=True,
    )


@pytest.mark.usefixtures("compiler")
@FUZZ
@given(who=who, body=form_body(["code"]), data=st.data(), source=st.sampled_from([None, COUNTER]))
def test_fuzz_exercise_check(world, who, body, data, source):
    course, lesson = data.draw(st.sampled_from(world.lesson_paths()))
    if source and body[0] == "form":
        body = ("form", {**body[1], "code": source})
    response = send(world.client(who), "POST", f"/courses/{course}/{lesson}/check/", body)
    judge(world, "exercise check", who, response, allowed={200, 400, 404})


# Rooms -------------------------------------------------------------------------------------


@FUZZ
@given(who=who, body=form_body(["title", "lesson"]))
@example(who="learner", body=("form", {"lesson": "²"}))  # was a 500: isdigit() but not int()
@example(who="learner", body=("json", b"{}"))  # was the blank form again, 200, saying nothing
def test_fuzz_room_create(world, who, body):
    response = send(world.client(who), "POST", "/rooms/", body)
    judge(
        world,
        "room create",
        who,
        response,
        allowed={200, 302, 400},
        form_page=who == "learner" and response.status_code != 302,
    )


@FUZZ
@given(who=who, body=form_body(["body"]), htmx=st.booleans(), data=st.data())
def test_fuzz_post_message(world, who, body, htmx, data):
    slugs = [world.own_room.slug, world.open_room.slug, world.closed_room.slug]
    path = f"/rooms/{data.draw(slug_or_junk(slugs))}/messages/new/"
    client = world.client(who)
    headers = {"HX-Request": "true"} if htmx else {}
    kind, payload = body
    if kind == "form":
        response = client.post(path, payload, headers=headers)
    else:
        response = send(client, "POST", path, body)
    judge(world, "post message", who, response, allowed=needs_login(who, 200, 302, 400, 404))


@FUZZ
@given(who=who, body=form_body([]), data=st.data())
def test_fuzz_join_room(world, who, body, data):
    slugs = [world.own_room.slug, world.open_room.slug, world.closed_room.slug]
    path = f"/rooms/{data.draw(slug_or_junk(slugs))}/join/"
    response = send(world.client(who), "POST", path, body)
    judge(world, "join room", who, response, allowed=needs_login(who, 302, 400, 404), says_why=True)


@FUZZ
@given(who=who, body=form_body(["code", "version"]), data=st.data())
def test_fuzz_save_code(world, who, body, data):
    path = f"/rooms/{data.draw(slug_or_junk(world.room_slugs()))}/code/"
    response = send(world.client(who), "POST", path, body)
    allowed = needs_login(who, 302, 400, 403, 404)
    judge(world, "save code", who, response, allowed=allowed, says_why=True)


@pytest.mark.usefixtures("compiler")
@FUZZ
@given(who=who, body=form_body(["code", "version"]), data=st.data())
def test_fuzz_room_compile(world, who, body, data):
    path = f"/rooms/{data.draw(slug_or_junk(world.room_slugs()))}/compile/"
    response = send(world.client(who), "POST", path, body)
    judge(world, "room compile", who, response, allowed={200, 302, 400, 404}, says_why=True)


# JSON APIs and listings --------------------------------------------------------------------

compile_payloads = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "source": st.one_of(
                json_value, text_value, st.sampled_from([COUNTER, MISSING_SEMICOLON])
            ),
            "optimize": json_value,
        },
    ).map(lambda d: ("json", json.dumps(d).encode())),
    json_value.map(lambda v: ("json", json.dumps(v).encode())),
    broken_json.map(lambda b: ("json", b)),
    st.fixed_dictionaries({}, optional={"source": form_value}).map(lambda d: ("form", d)),
)


@pytest.mark.usefixtures("compiler")
@FUZZ
@given(who=who, body=compile_payloads)
def test_fuzz_api_compile(world, who, body):
    response = send(world.client(who), "POST", "/api/compile", body)
    judge(world, "/api/compile", who, response, allowed={200, 400}, json_api=True)
    if response.status_code == 200:
        assert set(response.json()) >= {"ok", "contracts", "errors"}


@FUZZ
@given(who=who, params=query(["limit", "offset"]))
@example(who="visitor", params=("query", {"offset": "9" * 23}))  # was a 500: bigint out of range
@example(who="visitor", params=("query", {"limit": "١٢", "offset": "1_0"}))
def test_fuzz_api_leaderboard(world, who, params):
    response = send(world.client(who), "GET", "/api/leaderboard", params)
    judge(world, "/api/leaderboard", who, response, allowed={200, 400}, json_api=True)
    if response.status_code == 200:
        assert 0 <= response.json()["limit"] <= 100


@FUZZ
@given(who=who, params=query(["page", "format"]))
def test_fuzz_api_courses(world, who, params):
    response = send(world.client(who), "GET", "/api/courses", params)
    judge(world, "/api/courses", who, response, allowed={200})
    assert isinstance(response.json()["results"], list)


@FUZZ
@given(who=who, params=query(["page"]))
def test_fuzz_leaderboard_page(world, who, params):
    response = send(world.client(who), "GET", "/leaderboard/", params)
    judge(world, "/leaderboard/?page=", who, response, allowed={200, 404})


# CSRF enforced -------------------------------------------------------------------------------

# Every endpoint that changes something, as (name, path, exempt for visitors): the two views that
# are open to visitors without a token (they hold no credential then) check it themselves for a
# signed-in learner.
POSTS = [
    ("signup", lambda w: "/accounts/signup/", False),
    ("login", lambda w: "/accounts/login/", False),
    ("logout", lambda w: "/accounts/logout/", False),
    ("password change", lambda w: "/accounts/password/", False),
    ("avatar", lambda w: "/accounts/avatar/", False),
    ("enroll", lambda w: f"/courses/{w.course.slug}/enroll/", False),
    ("complete", lambda w: f"/courses/{w.course.slug}/{w.lesson.slug}/complete/", False),
    ("exercise check", lambda w: f"/courses/{w.course.slug}/{w.exercise.slug}/check/", True),
    ("room create", lambda w: "/rooms/", False),
    ("post message", lambda w: f"/rooms/{w.open_room.slug}/messages/new/", False),
    ("join room", lambda w: f"/rooms/{w.open_room.slug}/join/", False),
    ("save code", lambda w: f"/rooms/{w.own_room.slug}/code/", False),
    ("room compile", lambda w: f"/rooms/{w.own_room.slug}/compile/", False),
    ("/api/compile", lambda w: "/api/compile", True),
]


@pytest.mark.usefixtures("compiler")
@pytest.mark.parametrize("post", POSTS, ids=[name for name, _, _ in POSTS])
@settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
@given(
    who=who,
    body=form_body(["code", "version", "body", "title", "username", "password", "source"]),
)
def test_fuzz_posts_without_the_csrf_token_are_refused_and_change_nothing(world, post, who, body):
    name, path, exempt_for_visitors = post
    client = Client(enforce_csrf_checks=True)
    if who == "learner":
        client.force_login(world.learner)
    before = state_of(world.learner)
    response = send(client, "POST", path(world), body)
    CASES[(f"{name} (CSRF)", who)] += 1
    assert response.status_code < 500, f"{name}: {response.status_code}"
    if who == "learner" or not exempt_for_visitors:
        assert response.status_code == 403, f"{name} as {who}: {response.status_code}"
        says_why = b"That form has expired" in response.content or b"CSRF" in response.content
        assert says_why, f"{name}: a 403 that does not say why"
        assert state_of(world.learner) == before, f"{name} changed the learner's data"
    assert state_of(world.victim) == world.victim_before, f"{name} changed the victim's data"


@pytest.fixture(autouse=True)
def _record_cases(request):
    """Hands this test's case counts to the summary (tests/conftest.py), through xdist too."""
    before = Counter(CASES)
    yield
    ran = [[endpoint, who, n] for (endpoint, who), n in (CASES - before).items()]
    request.node.user_properties.append(("fuzz_cases", ran))
