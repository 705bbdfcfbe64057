"""The site in a real browser: clean pages, the editor only on demand, forms without JavaScript,
inline compiler messages, offline lessons, images as AVIF."""

import re

import pytest
from playwright.sync_api import expect

from collaboration.models import Room
from tests.browser.chromium import wait_until
from tests.browser.conftest import log_in
from tests.factories import CourseFactory, LessonFactory, RoomFactory, UserFactory, image_bytes

# The live server reads what the test writes, so nothing may stay in an open transaction; the
# rollback by serialization restores the migrations' data (achievements) for the tests after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EDITOR_FILES = re.compile(r"/static/dist/(editor|chunks/)")
STARTER = "pragma solidity ^0.8.20;\n\ncontract Counter {\n    uint256 public count;\n}\n"


@pytest.fixture
def lesson():
    return LessonFactory(
        course=CourseFactory(title="Solidity basics"),
        title="Storage variables",
        starter_code=STARTER,
    )


@pytest.fixture
def room(lesson):
    return RoomFactory(title="Counter pairing", lesson=lesson)


def requests_of(page):
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def editor_requests(urls):
    return [url for url in urls if EDITOR_FILES.search(url)]


def test_catalog_lesson_and_room_pages_load_without_errors_and_without_the_editor(
    page, console_errors, lesson, room
):
    requested = requests_of(page)
    for url in ("/courses/", lesson.get_absolute_url(), room.get_absolute_url()):
        assert page.goto(url).ok, url
        page.wait_for_load_state("networkidle")

    assert console_errors == []
    assert any("/static/dist/site." in url for url in requested)
    assert editor_requests(requested) == []


def test_opening_the_editor_loads_it_behind_a_skeleton_and_the_form_posts_its_text(
    page, context, live_site, console_errors, room
):
    log_in(context, room.owner, live_site)
    requested = requests_of(page)
    held = []
    page.route("**/static/dist/editor.*.js", lambda route: held.append(route))
    page.goto(room.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert editor_requests(requested) == []

    page.get_by_label("Contract source").click()
    expect(page.locator(".editor-skeleton")).to_be_visible()
    wait_until(lambda: held, page=page)
    held[0].continue_()

    expect(page.get_by_role("textbox", name="Contract source")).to_be_focused()
    expect(page.locator(".editor-skeleton")).to_have_count(0)
    expect(page.locator("#id_code")).to_be_hidden()
    assert len(editor_requests(requested)) >= 2  # the editor and the chunk it imports
    page.keyboard.press("Control+End")
    page.keyboard.type("// edited in the editor")
    page.get_by_role("button", name="Save code").click()

    expect(page.get_by_text("Code saved.")).to_be_visible()
    room.refresh_from_db()
    assert room.code.rstrip().endswith("// edited in the editor")
    assert room.code_version == 1
    assert console_errors == []


def test_what_a_learner_types_while_the_editor_loads_is_kept_and_the_editor_types_on_from_there(
    page, context, live_site, console_errors, room
):
    log_in(context, room.owner, live_site)
    room.code = "contract Start {}"
    room.save(update_fields=["code"])
    held = []
    page.route("**/static/dist/editor.*.js", lambda route: held.append(route))
    page.goto(room.get_absolute_url())

    page.get_by_label("Contract source").click()
    wait_until(lambda: held, page=page)
    # The editor is still loading: the textarea keeps the learner's focus and keystrokes.
    expect(page.locator(".editor-skeleton")).to_be_visible()
    page.keyboard.press("Control+End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.type("uint x; ")
    expect(page.locator("#id_code")).to_have_value("contract Start {uint x; }")
    held[0].continue_()

    # The editor takes over the text, the caret and the focus, and typing goes on where it was.
    expect(page.get_by_role("textbox", name="Contract source")).to_be_focused()
    expect(page.locator("#id_code")).to_be_hidden()
    page.keyboard.type("uint y; ")
    expect(page.locator(".cm-content")).to_have_text("contract Start {uint x; uint y; }")
    page.get_by_role("button", name="Save code").click()

    expect(page.get_by_text("Code saved.")).to_be_visible()
    room.refresh_from_db()
    assert room.code == "contract Start {uint x; uint y; }"
    assert console_errors == []


def test_without_javascript_the_textarea_is_the_editor_and_its_form_posts(browser, live_site, room):
    context = browser.new_context(base_url=live_site.url, java_script_enabled=False)
    try:
        log_in(context, room.owner, live_site)
        page = context.new_page()
        page.goto(room.get_absolute_url())
        page.get_by_label("Contract source").fill("contract Plain {}")
        page.get_by_role("button", name="Save code").click()
        expect(page.get_by_text("Code saved.")).to_be_visible()
    finally:
        context.close()
    assert Room.objects.values_list("code", "code_version").get(pk=room.pk) == (
        "contract Plain {}",
        1,
    )


def test_compiler_messages_show_inline_at_their_line(page, console_errors, lesson):
    page.goto(lesson.get_absolute_url())
    page.evaluate(
        """async () => {
            const textarea = document.querySelector("textarea[data-editor]");
            const editor = await import(textarea.dataset.editor);
            await editor.showDiagnostics(textarea, [
                {line: 4, column: 5, message: "Expected ';' but got '}'", severity: "error"},
                {line: 1, column: 1, message: "Unused pragma", severity: "warning"},
            ]);
        }"""
    )

    fourth_line = page.locator(".cm-line").nth(3)
    expect(fourth_line.locator(".cm-lintRange-error")).to_have_text("uint256 public count;")
    expect(page.locator(".cm-line").first.locator(".cm-lintRange-warning")).to_have_count(1)
    expect(page.locator(".cm-lint-marker-error")).to_have_count(1)
    fourth_line.locator(".cm-lintRange-error").hover()
    expect(page.locator(".cm-tooltip-lint")).to_contain_text("Expected ';' but got '}'")
    assert console_errors == []


def test_a_lesson_read_once_opens_offline(context_with_service_worker, live_site, lesson):
    context = context_with_service_worker
    page = context.new_page()
    url = live_site.url + lesson.get_absolute_url()
    page.goto(url)

    wait_until(
        lambda: page.evaluate("async (url) => Boolean(await caches.match(url))", url), page=page
    )
    context.set_offline(True)
    live_site.stop()

    assert page.reload().from_service_worker
    expect(page.get_by_role("heading", level=1)).to_have_text("Storage variables")
    header = page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header == "rgb(29, 35, 48)"  # site.css came from the worker's cache too
    # Never read, so not kept: the worker's offline page lists what is, with links.
    page.goto("/leaderboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    saved = page.get_by_role("link", name=re.compile("Storage variables"))
    expect(saved).to_have_attribute("href", url)
    saved.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Storage variables")


def test_an_uploaded_avatar_is_served_as_avif_with_its_dimensions(page, context, live_site):
    learner = UserFactory()
    log_in(context, learner, live_site)
    page.goto("/accounts/avatar/")
    page.get_by_label("Avatar").set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": image_bytes(size=(800, 800))}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Your new avatar is in place.")).to_be_visible()

    avatar = page.locator("header.profile picture img")
    expect(avatar).to_have_attribute("width", "64")
    expect(avatar).to_have_attribute("height", "64")
    page.wait_for_function(
        "() => { const img = document.querySelector('header.profile img');"
        " return img.complete && img.naturalWidth > 0; }"
    )
    shown = avatar.evaluate("img => img.currentSrc")
    # 64 CSS px: the 64 px variant at 1x (128 px at 2x), no longer the 320 px one.
    assert re.search(r"/media/avatars/variants/me[^/]*\.png\.(64|128)w\.avif$", shown), shown
    response = context.request.get(shown)
    assert response.ok and response.headers["content-type"] == "image/avif"


@pytest.mark.usefixtures("compiler")
def test_checking_a_solution_shows_each_test_without_a_reload_then_completes_the_lesson(
    context, console_errors, live_site, tmp_path
):
    from courses.models import LessonProgress
    from tests.compiler.sources import COUNTER, COUNTER_TESTS, COUNTER_THAT_FORGETS

    lesson = LessonFactory(
        course=CourseFactory(title="Counting"),
        title="Counting up",
        starter_code=COUNTER_THAT_FORGETS,
        tests=COUNTER_TESTS,
        solution=COUNTER,
        hints=["Add one to `count`.", "`count += 1;`"],
    )
    LessonFactory(course=lesson.course)
    learner = UserFactory()
    log_in(context, learner, live_site)
    page = context.new_page()
    page.goto(lesson.get_absolute_url())
    page.evaluate("window.stillTheSamePage = true")
    assert page.get_by_role("button", name="Mark complete").count() == 0

    page.get_by_role("button", name="Check my solution").click()
    expect(page.get_by_text("1 of 3 tests pass")).to_be_visible()
    expect(page.get_by_text("count after one increment: got 0, expected 1")).to_be_visible()
    expect(page.get_by_text("Hint 1 of 2")).to_be_visible()
    page.screenshot(path=str(tmp_path / "failing.png"), full_page=True)

    page.locator("#id_code").fill(COUNTER)
    page.get_by_role("button", name="Check my solution").click()
    expect(page.get_by_text("3 of 3 tests pass")).to_be_visible()
    expect(page.get_by_text("Lesson complete: +10 XP.")).to_be_visible()
    expect(page.get_by_text("You completed this lesson ✓")).to_be_visible()
    assert page.get_by_text("Hint 1 of 2").count() == 0
    page.screenshot(path=str(tmp_path / "passing.png"), full_page=True)
    assert page.evaluate("window.stillTheSamePage") is True  # no reload
    assert LessonProgress.objects.filter(user=learner, lesson=lesson, completed=True).exists()
    assert console_errors == []
