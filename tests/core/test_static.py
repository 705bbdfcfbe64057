"""Static files: hashed, compressed, cached for a year, optionally from a CDN; the service worker;
which pages may be kept offline."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.urls import reverse

from core.offline import OFFLINE_COPY_HEADER, build_version
from tests.factories import CourseFactory, LessonFactory

HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")


def streamed(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(("accept", "encoding"), [("br, gzip", "br"), ("gzip", "gzip")])
def test_hashed_static_files_are_served_compressed_and_cached_for_a_year(client, accept, encoding):
    url = static("css/site.css")
    assert HASHED.search(url)

    response = client.get(url, headers={"accept-encoding": accept})

    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept-Encoding" in response["Vary"]
    assert (
        len(streamed(response))
        < (Path(settings.STATIC_ROOT) / url.split("/static/")[1]).stat().st_size
    )


def test_the_editor_modules_import_each_other_by_their_hashed_names():
    root = Path(settings.STATIC_ROOT)
    editor = staticfiles_storage.stored_name("dist/editor.js")
    seen, queue = set(), [editor]
    while queue:
        name = queue.pop()
        seen.add(name)
        source = (root / name).read_text()
        for target in re.findall(
            r"""(?:from\s*|import\s*\(?\s*)["'](\.{1,2}/[^"']+)["']""", source
        ):
            resolved = os.path.normpath(os.path.join(os.path.dirname(name), target))
            assert HASHED.search(resolved), f"{name} imports {target}, which is not hashed"
            assert (root / resolved).exists(), f"{name} imports {target}, which is missing"
            if resolved not in seen:
                queue.append(resolved)
    assert len(seen) >= 3  # the editor, the chunk it shares with the lint support, that support


def test_cdn_url_moves_the_static_prefix_and_s3_settings_move_the_uploads():
    env = {
        **os.environ,
        "CDN_URL": "https://cdn.example.com/",
        "AWS_STORAGE_BUCKET_NAME": "learning-media",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    }
    script = (
        "import json, config.settings as s; "
        "print(json.dumps([s.STATIC_URL, s.STORAGES['default']]))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    static_url, media_storage = json.loads(output.stdout)
    assert static_url == "https://cdn.example.com/static/"
    assert media_storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media_storage["OPTIONS"]["bucket_name"] == "learning-media"
    assert media_storage["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"


@pytest.mark.django_db
def test_with_a_cdn_pages_preconnect_to_it_and_load_their_files_from_it(client, settings):
    settings.CDN_URL = "https://cdn.example.com"
    settings.STATIC_URL = "https://cdn.example.com/static/"

    html = client.get(reverse("courses:catalog")).content.decode()

    assert '<link rel="preconnect" href="https://cdn.example.com">' in html
    assert re.search(
        r'<link rel="stylesheet" href="https://cdn\.example\.com/static/css/site\.[0-9a-f]{12}\.css">',
        html,
    )
    assert re.search(r'src="https://cdn\.example\.com/static/dist/site\.[0-9a-f]{12}\.js"', html)


@pytest.mark.django_db
def test_without_a_cdn_pages_do_not_preconnect(client):
    assert b"preconnect" not in client.get(reverse("courses:catalog")).content


def test_the_service_worker_is_served_from_the_root_for_this_build(client):
    # No django_db mark: any query in this request would raise "Database access not allowed".
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    first_line = response.content.decode().splitlines()[0]
    config = json.loads(first_line.removeprefix("const CONFIG = ").removesuffix(";"))
    assert config["version"] == build_version() == staticfiles_storage.manifest_hash
    assert config["staticPrefix"] == "http://testserver/static/"
    assert sorted(config["precache"]) == sorted(
        static(name) for name in ("css/site.css", "dist/site.js", "vendor/htmx.min.js")
    )
    assert client.get("/sw.js", headers={"if-none-match": response["ETag"]}).status_code == 304


@pytest.mark.django_db
def test_lessons_may_be_kept_offline_but_not_other_pages(client):
    lesson = LessonFactory()
    assert client.get(lesson.get_absolute_url())[OFFLINE_COPY_HEADER] == "1"
    assert OFFLINE_COPY_HEADER not in client.get(lesson.course.get_absolute_url())
    assert OFFLINE_COPY_HEADER not in client.get(reverse("courses:catalog"))


@pytest.mark.django_db
def test_a_lesson_showing_a_flash_message_is_not_kept_offline(learner_client):
    lesson = LessonFactory(course=CourseFactory())
    response = learner_client.post(
        reverse("courses:complete", args=[lesson.course.slug, lesson.slug]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"Lesson complete: +{lesson.xp_reward} XP. You finished {lesson.course.title}!"
    ]
    assert OFFLINE_COPY_HEADER not in response
    assert learner_client.get(lesson.get_absolute_url())[OFFLINE_COPY_HEADER] == "1"
