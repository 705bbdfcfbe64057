"""Uploading an avatar: images are accepted and get variants; anything else gets a form error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import Course
from tests.factories import CourseFactory, StaffFactory, image_bytes, image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, file):
    return client.post(reverse("accounts:avatar"), {"avatar": file})


def test_an_uploaded_avatar_gets_variants_and_shows_on_the_profile(
    learner_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(learner_client, image_upload("me.jpg", size=(400, 400)))
    assert response.status_code == 302

    learner = learner_client.learner
    learner.refresh_from_db()
    assert learner.avatar.name.startswith("avatars/me")
    assert {v["format"] for v in learner.avatar_variants["variants"]} == {"avif", "webp"}
    profile = learner_client.get(reverse("leaderboard:profile", args=[learner.username]))
    assert b'<picture><source type="image/avif"' in profile.content
    assert b'width="64" height="64"' in profile.content


def test_a_text_file_named_like_an_image_is_refused_with_a_form_error(learner_client):
    response = upload(learner_client, SimpleUploadedFile("cat.png", b"<html>not a cat</html>"))
    assert response.status_code == 200
    assert response.context["form"].errors["avatar"]
    learner_client.learner.refresh_from_db()
    assert not learner_client.learner.avatar


def test_a_damaged_image_is_refused_with_a_form_error(learner_client):
    truncated = image_bytes(size=(600, 400), image_format="JPEG")[:1500]
    response = upload(learner_client, SimpleUploadedFile("broken.jpg", truncated))
    assert response.context["form"].errors["avatar"] == [
        "The JPEG image is damaged and cannot be read."
    ]


def test_an_image_too_large_in_bytes_is_refused_with_a_form_error(learner_client, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1024
    response = upload(learner_client, image_upload("big.png", size=(800, 600)))
    [error] = response.context["form"].errors["avatar"]
    assert error.startswith("The file is ") and error.endswith(
        "; the largest accepted is 1.0\xa0KB."
    )


def test_an_image_with_too_many_pixels_is_refused_with_a_form_error(learner_client, settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 1_000_000
    response = upload(learner_client, image_upload("huge.png", size=(2000, 1000)))
    assert response.context["form"].errors["avatar"] == [
        "The image is 2000 by 1000 pixels; the largest accepted is 1 megapixels "
        "and 10000 pixels a side."
    ]


def test_the_avatar_page_is_for_logged_in_learners(client):
    response = client.get(reverse("accounts:avatar"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_admin_refuses_a_cover_that_is_not_an_image(client):
    client.force_login(StaffFactory())
    course = CourseFactory()
    response = client.post(
        reverse("admin:courses_course_change", args=[course.pk]),
        {
            "slug": course.slug,
            "title": course.title,
            "summary": course.summary,
            "author": course.author.pk,
            "published": "on",
            "cover": SimpleUploadedFile("cover.png", b"GIF89a but not really"),
            "lessons-TOTAL_FORMS": "0",
            "lessons-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cover"]
    assert not Course.objects.get(pk=course.pk).cover
