"""axe-core over every page, as a visitor and as a signed-in learner, the lesson's code editor
opened too: a violation of impact "serious" or "critical" fails the test, the others are listed.

axe-core comes from npm (package.json's devDependencies) and is injected as an inline script,
which the site's Content-Security-Policy forbids: these pages are opened with the CSP bypassed.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import (
    AchievementFactory,
    ChatMessageFactory,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    LessonProgressFactory,
    RoomFactory,
    UserAchievementFactory,
    UserFactory,
    image_upload,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
FAILING = {"serious", "critical"}


@pytest.fixture
def context(browser, live_site):
    """The conftest's context (no service worker) with the CSP bypassed, for axe's inline
    script; the conftest's `page` opens its pages in this one."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `npm ci` installs axe-core (a devDependency).")
    context = browser.new_context(base_url=live_site.url, service_workers="block", bypass_csp=True)
    yield context
    context.close()


@pytest.fixture
def site():
    """A bit of everything the pages show: a course with a cover, an exercise, a lesson with
    starter code, a room with a chat, and a learner with progress, XP and an achievement."""
    from tests.compiler.sources import COUNTER, COUNTER_TESTS, COUNTER_THAT_FORGETS

    course = CourseFactory(
        title="Counting",
        summary="Count things on chain, one lesson a step.",
        cover=image_upload("cover.png"),
    )
    first = LessonFactory(course=course, title="A first lesson")
    exercise = LessonFactory(
        course=course,
        title="Counting up",
        starter_code=COUNTER_THAT_FORGETS,
        tests=COUNTER_TESTS,
        solution=COUNTER,
        hints=["Add one to `count`.", "`count += 1;`"],
    )
    LessonFactory(course=course, title="Counting down", starter_code=COUNTER)
    CourseFactory(title="Tokens")

    learner = UserFactory(username="ada", xp=120, level=2)
    EnrollmentFactory(user=learner, course=course)
    LessonProgressFactory(user=learner, lesson=first, completed_at=timezone.now())
    UserAchievementFactory(user=learner, achievement=AchievementFactory(name="First steps"))
    room = RoomFactory(title="Counter pairing", owner=learner, lesson=exercise, code=COUNTER)
    ChatMessageFactory(room=room, author=learner, body="Shall we start with the event?")
    return {"course": course, "exercise": exercise, "learner": learner, "room": room}


def pages(site, *, signed_in):
    course, exercise, learner = site["course"], site["exercise"], site["learner"]
    urls = {
        "home": "/",
        "catalog": "/courses/",
        "course": course.get_absolute_url(),
        "lesson (exercise)": exercise.get_absolute_url(),
        "lesson (starter code)": course.lessons.get(title="Counting down").get_absolute_url(),
        "leaderboard": "/leaderboard/",
        "profile": f"/u/{learner.username}/",
        "rooms": "/rooms/",
        "rooms (for a lesson)": f"/rooms/?lesson={exercise.pk}",
        "room": site["room"].get_absolute_url(),
        "search": "/search/?q=lesson",
        "not found": "/courses/no-such-course/",
    }
    if signed_in:  # the login and signup pages send a signed-in learner on
        urls |= {"avatar": "/accounts/avatar/", "password change": "/accounts/password/"}
    else:
        urls |= {"login": "/accounts/login/", "signup": "/accounts/signup/"}
    return urls


def axe(page, where):
    """axe-core's findings on the page as it is now: its violations, and what it could not decide
    (`incomplete`: for a person to review), each with `where` it was found."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE.read_text())
    # axe's default rules: WCAG 2.x A and AA and its best practices (heading-order, landmarks).
    result = page.evaluate("axe.run()")
    return {
        kind: [{**finding, "where": where} for finding in result[kind]]
        for kind in ("violations", "incomplete")
    }


def add(findings, more):
    for kind, found in more.items():
        findings.setdefault(kind, []).extend(found)
    return findings


def open_and_audit(page, url, where):
    response = page.goto(url)
    assert response is not None
    assert response.ok or (where == "not found" and response.status == 404), (url, response.status)
    page.wait_for_load_state("networkidle")
    return axe(page, where)


def open_the_editor(page):
    page.locator("textarea[data-editor]").first.click()
    expect(page.locator(".cm-editor")).to_be_visible()
    expect(page.locator(".editor-skeleton")).to_have_count(0)


def describe(finding):
    targets = ", ".join(" ".join(node["target"]) for node in finding["nodes"][:5])
    more = len(finding["nodes"]) - 5
    return (
        f"[{finding['impact']}] {finding['id']} on {finding['where']}: {finding['help']}"
        f" ({targets}{f', and {more} more' if more > 0 else ''})"
    )


def report(findings, capsys, title):
    """Fails on the serious and critical violations; lists the others, and what axe left for a
    person to review, on the terminal."""
    violations, review = findings["violations"], findings["incomplete"]
    failing = [v for v in violations if v["impact"] in FAILING]
    minor = [v for v in violations if v["impact"] not in FAILING]
    with capsys.disabled():
        print(f"\naxe-core, {title}: {len(failing)} serious or critical, {len(minor)} minor")
        for violation in minor:
            print("  " + describe(violation))
        if review:
            print(f"  and {len(review)} to review by hand (axe could not decide):")
            for finding in review:
                print("    " + describe(finding))
    if failing:
        pytest.fail("\n".join(describe(violation) for violation in failing), pytrace=False)


def audit_everything(page, site, *, signed_in):
    findings = {}
    for where, url in pages(site, signed_in=signed_in).items():
        add(findings, open_and_audit(page, url, where))
    for lesson in ("lesson (exercise)", "lesson (starter code)"):
        page.goto(pages(site, signed_in=signed_in)[lesson])
        open_the_editor(page)
        add(findings, axe(page, f"{lesson}, editor open"))
    page.goto(site["room"].get_absolute_url())
    open_the_editor(page)
    add(findings, axe(page, "room, editor open"))
    return findings


def test_every_page_as_a_visitor(page, site, capsys):
    report(audit_everything(page, site, signed_in=False), capsys, "as a visitor")


def test_every_page_as_a_signed_in_learner(page, context, live_site, site, capsys):
    log_in(context, site["learner"], live_site)
    report(audit_everything(page, site, signed_in=True), capsys, "as a signed-in learner")


@pytest.mark.usefixtures("compiler")
def test_a_checked_solution_with_its_tests_and_hints(page, context, live_site, site, capsys):
    log_in(context, site["learner"], live_site)
    page.goto(site["exercise"].get_absolute_url())
    open_the_editor(page)
    page.get_by_role("button", name="Check my solution").click()
    expect(page.get_by_text("1 of 3 tests pass")).to_be_visible()
    expect(page.get_by_text("Hint 1 of 2")).to_be_visible()
    findings = axe(page, "lesson, failed check")

    page.evaluate(
        """async () => {
            const textarea = document.querySelector("textarea[data-editor]");
            const editor = await import(textarea.dataset.editor);
            await editor.showDiagnostics(textarea, [
                {line: 4, column: 5, message: "Expected ';' but got '}'", severity: "error"},
            ]);
        }"""
    )
    expect(page.locator(".cm-lint-marker-error")).to_have_count(1)
    add(findings, axe(page, "lesson, inline compiler message"))
    report(findings, capsys, "a checked solution")
