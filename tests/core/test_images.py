"""Uploaded images get WebP and AVIF variants at each width, once, and the picture tag uses them."""

import io
import logging
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.template import Context, Template
from PIL import Image

from accounts.models import User
from core.cache import _CommitBumps
from core.images.variants import RECIPE, VARIANT_WIDTHS
from core.services import FAILED, FRESH, MADE, optimize_image_field
from courses.models import Course
from courses.tasks import optimize_course_cover
from tests.factories import CourseFactory, UserFactory, image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def course_with_cover(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course = CourseFactory(cover=image_upload("cover.png", size=(1600, 900)))
    course.refresh_from_db()
    return course


def decoded(name):
    with default_storage.open(name) as stored, Image.open(io.BytesIO(stored.read())) as image:
        return image.format, image.size


def test_an_uploaded_cover_gets_avif_and_webp_variants_at_each_width(course_with_cover):
    metadata = course_with_cover.cover_variants
    assert metadata["source"] == course_with_cover.cover.name
    assert (metadata["width"], metadata["height"]) == (1600, 900)
    made = {(v["format"], v["width"]): v for v in metadata["variants"]}
    assert set(made) == {(f, w) for f in ("avif", "webp") for w in VARIANT_WIDTHS}
    for (image_format, width), variant in made.items():
        assert decoded(variant["name"]) == (image_format.upper(), (width, variant["height"]))
        assert variant["height"] == round(900 * width / 1600)


def test_a_small_image_is_never_upscaled(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course = CourseFactory(cover=image_upload("tiny.png", size=(200, 120)))
    course.refresh_from_db()
    assert sorted((v["format"], v["width"]) for v in course.cover_variants["variants"]) == [
        ("avif", 200),
        ("webp", 200),
    ]


def test_optimizing_again_changes_nothing_and_forcing_rewrites_the_same_files(
    course_with_cover, media_root
):
    files_before = sorted(path.name for path in media_root.rglob("*") if path.is_file())

    again = optimize_image_field(model=Course, pk=course_with_cover.pk, field_name="cover")
    forced = optimize_image_field(
        model=Course, pk=course_with_cover.pk, field_name="cover", force=True
    )

    assert (again, forced) == (FRESH, MADE)
    course_with_cover.refresh_from_db()
    assert sorted(path.name for path in media_root.rglob("*") if path.is_file()) == files_before


def test_a_replaced_cover_gets_new_variants_and_the_old_ones_are_deleted(
    course_with_cover, django_capture_on_commit_callbacks
):
    old_names = [v["name"] for v in course_with_cover.cover_variants["variants"]]
    with django_capture_on_commit_callbacks(execute=True):
        course_with_cover.cover = image_upload("new.png", size=(800, 800))
        course_with_cover.save()
    course_with_cover.refresh_from_db()

    assert course_with_cover.cover_variants["source"].startswith("covers/new")
    assert course_with_cover.cover_variants["width"] == 800
    assert not any(default_storage.exists(name) for name in old_names)


def test_saving_other_fields_does_not_queue_the_image_again(
    course_with_cover, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        course_with_cover.title = "Renamed"
        course_with_cover.save()
        course_with_cover.author.save(update_fields=["xp"])

    # Saving a course retires the cached catalog, saving a learner their cached row (version
    # bumps): those are not image jobs.
    def bumps_a_cache_group(callback):
        return isinstance(callback, _CommitBumps)  # the transaction's cache bumps (core.cache)

    assert [cb for cb in callbacks if not bumps_a_cache_group(cb)] == []


def test_an_unreadable_stored_image_is_logged_and_recorded_as_failed(caplog):
    course = CourseFactory()
    name = default_storage.save("covers/broken.png", ContentFile(b"\x89PNG\r\n\x1a\nnot really"))
    Course.objects.filter(pk=course.pk).update(cover=name)

    with caplog.at_level(logging.ERROR, logger="core.services"):
        outcome = optimize_course_cover.delay(course.pk).get()

    assert outcome == FAILED
    course.refresh_from_db()
    assert course.cover_variants == {"source": name, "recipe": RECIPE, "error": mock.ANY}
    assert "covers/broken.png" in caplog.text
    assert optimize_image_field(model=Course, pk=course.pk, field_name="cover") == FRESH


def test_a_storage_error_is_retried(course_with_cover):
    with mock.patch(
        "courses.tasks.optimize_image_field", side_effect=[OSError("bucket timed out"), MADE]
    ) as optimize:
        optimize_course_cover.apply(args=[course_with_cover.pk], throw=False)
    assert optimize.call_count == 2


def test_a_storage_error_that_persists_is_retried_then_logged(
    course_with_cover, caplog, monkeypatch
):
    # As on a worker, where a failed task is logged rather than raised into its caller.
    monkeypatch.setitem(optimize_course_cover.app.conf, "task_eager_propagates", False)
    with (
        mock.patch(
            "courses.tasks.optimize_image_field", side_effect=OSError("bucket is gone")
        ) as optimize,
        caplog.at_level(logging.ERROR, logger="core.tasks"),
    ):
        optimize_course_cover.apply(args=[course_with_cover.pk], throw=False)
    assert optimize.call_count == 1 + optimize_course_cover.max_retries
    assert "bucket is gone" in caplog.text


def render(template, **context):
    return Template("{% load pictures %}" + template).render(Context(context))


def test_the_picture_tag_offers_avif_then_webp_by_width_with_dimensions(course_with_cover):
    html = render(
        '{% picture course.cover alt="Cover" sizes="(min-width: 40rem) 20rem, 100vw" %}',
        course=course_with_cover,
    )
    assert html.startswith('<picture><source type="image/avif" srcset="')
    assert html.index('type="image/avif"') < html.index('type="image/webp"')
    for width in VARIANT_WIDTHS:
        assert f".{width}w.avif {width}w" in html and f".{width}w.webp {width}w" in html
    assert 'sizes="(min-width: 40rem) 20rem, 100vw"' in html
    assert f'<img src="{course_with_cover.cover.url}" alt="Cover" width="1600" height="900"' in html
    assert 'loading="lazy"' in html


def test_the_picture_tag_loads_eagerly_above_the_fold_and_scales_a_given_width(
    course_with_cover,
):
    html = render("{% picture course.cover width=320 eager=True %}", course=course_with_cover)
    assert 'width="320" height="180"' in html
    assert "loading=" not in html


def test_the_picture_tag_shows_the_original_until_the_variants_exist(course_with_cover):
    Course.objects.filter(pk=course_with_cover.pk).update(cover_variants={})
    course_with_cover.refresh_from_db()
    html = render("{% picture course.cover %}", course=course_with_cover)
    assert "<source" not in html
    assert f'src="{course_with_cover.cover.url}"' in html
    assert render("{% picture course.cover %}", course=CourseFactory()) == ""


def test_optimize_assets_processes_every_image_with_progress_and_is_safe_to_rerun(
    course_with_cover, media_root
):
    learner = UserFactory()
    name = default_storage.save("avatars/face.png", image_upload("face.png", size=(300, 300)))
    User.objects.filter(pk=learner.pk).update(avatar=name)  # no save(): nothing was queued
    Course.objects.filter(pk=course_with_cover.pk).update(cover_variants={})

    first, second = io.StringIO(), io.StringIO()
    call_command("optimize_assets", stdout=first)
    call_command("optimize_assets", stdout=second)

    assert "courses.Course.cover: 1 image" in first.getvalue()
    assert "accounts.User.avatar: 1 image" in first.getvalue()
    assert "1/1" in first.getvalue()
    assert first.getvalue().splitlines()[-1].startswith("optimize_assets: 2 images (2 made)")
    assert second.getvalue().splitlines()[-1].startswith("optimize_assets: 2 images (2 fresh)")
    learner.refresh_from_db()
    # 300 px wide: 64, 128 and 300 (never upscaled to 320), in two formats each.
    assert {v["width"] for v in learner.avatar_variants["variants"]} == {64, 128, 300}


def test_the_leaderboard_shows_an_avatar_as_its_smallest_webp_variant(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        learner = UserFactory(avatar=image_upload("face.png", size=(900, 900)))
    learner.refresh_from_db()
    smallest = min(
        (v for v in learner.avatar_variants["variants"] if v["format"] == "webp"),
        key=lambda variant: variant["width"],
    )

    html = client.get("/leaderboard/").content.decode()

    assert smallest["width"] == 64  # fits a 32-64 px avatar at 1x, with 128 for 2x
    assert f'<img src="{default_storage.url(smallest["name"])}"' in html


def test_a_profile_cached_with_the_original_avatar_shows_the_variants_once_they_exist(
    client, django_capture_on_commit_callbacks
):
    learner = UserFactory(last_active_at=None)
    name = default_storage.save("avatars/me.png", image_upload("me.png", size=(400, 400)))
    User.objects.filter(pk=learner.pk).update(avatar=name)  # uploaded; variants not made yet
    before = client.get(f"/u/{learner.username}/").content.decode()
    assert default_storage.url(name) in before and ".webp" not in before

    optimize_image_field(model=User, pk=learner.pk, field_name="avatar")

    after = client.get(f"/u/{learner.username}/").content.decode()
    assert ".avif" in after and ".webp" in after
