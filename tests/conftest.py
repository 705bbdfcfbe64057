from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from compiler.backend import pool_from_settings
from compiler.daemon import CompilerService
from core import stats
from tests.factories import PASSWORD, UserFactory

pytest_plugins = ["tests.redis_server"]  # the `own_redis` fixture


def pytest_terminal_summary(terminalreporter):
    """The fuzz cases run per endpoint (tests/test_fuzz.py), when the fuzz module ran."""
    totals = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "teardown":
                continue
            for name, ran in getattr(report, "user_properties", []):
                if name == "fuzz_cases":
                    for endpoint, who, count in ran:
                        totals.setdefault(endpoint, {"visitor": 0, "learner": 0})[who] += count
    if totals:
        terminalreporter.section("fuzz cases per endpoint")
        terminalreporter.write_line(f"{'endpoint':<22} {'visitor':>7} {'learner':>7} {'total':>6}")
        for endpoint, by in sorted(totals.items()):
            total = by["visitor"] + by["learner"]
            terminalreporter.write_line(
                f"{endpoint:<22} {by['visitor']:>7} {by['learner']:>7} {total:>6}"
            )
        grand = sum(sum(by.values()) for by in totals.values())
        terminalreporter.write_line(f"{'all endpoints':<22} {'':>7} {'':>7} {grand:>6}")


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        raise pytest.UsageError(
            f"The suite runs on PostgreSQL (DATABASE_URL), not {engine}: use `make test`."
        )
    if "Redis" not in settings.CACHES["default"]["BACKEND"]:
        raise pytest.UsageError("The suite runs on Redis (REDIS_URL): use `make test`.")
    if not hasattr(config, "workerinput"):  # once, in the main process, before xdist's workers
        _collect_static_files_if_stale()


def _collect_static_files_if_stale():
    """Pages are rendered with the production static storage (hashed names from the manifest), so
    the collected files must match the sources; `make test` collects them, a bare pytest too."""
    source = Path(settings.BASE_DIR) / "static"
    if not (source / "dist" / "site.js").exists():
        raise pytest.UsageError("static/dist is not built: run `make assets` (or `make test`).")
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    newest = max(
        path.stat().st_mtime
        for path in source.rglob("*")
        if path.is_file() and "src" not in path.relative_to(source).parts
    )
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with none of this run's cache keys (other runs' keys are untouched),
    and with no operator counts (core.stats keeps them beside the cache's keys)."""
    cache.delete_pattern("*")
    stats.reset()
    yield


@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    client.learner = learner
    return client


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(scope="session")
def compiler_service(tmp_path_factory):
    """The shared compile service with real solc workers, started once per test session (per
    xdist worker) because loading solc takes ~0.5 s a process."""
    pool = pool_from_settings()
    pool.start()
    service = CompilerService(tmp_path_factory.mktemp("solc") / "solc.sock", pool)
    service.serve_in_thread()
    yield service
    service.close()
    pool.close()


@pytest.fixture
def compiler(compiler_service, settings):
    settings.COMPILER_SOCKET = str(compiler_service.socket_path)
    return compiler_service


@pytest.fixture
def mid_minute(monkeypatch):
    """Pins the compile budget's clock 30 s into a window, so no test straddles two windows."""
    monkeypatch.setattr("core.throttle._now", lambda: 1_800_000_030.0)


def state_of(user) -> dict:
    """Everything a learner owns, as plain values: compare two of these to prove that a request
    by someone else changed none of it."""
    from collaboration.models import ChatMessage, Room, RoomMember
    from courses.models import Enrollment, LessonProgress
    from leaderboard.models import UserAchievement

    fields = ("username", "email", "password", "xp", "level", "is_active", "is_staff", "deleted_at")
    return {
        "user": type(user).objects.filter(pk=user.pk).values(*fields).get(),
        "progress": list(
            LessonProgress.objects.filter(user=user)
            .order_by("lesson_id")
            .values_list("lesson_id", "completed", "completed_at")
        ),
        "enrollments": list(
            Enrollment.objects.filter(user=user)
            .order_by("course_id")
            .values_list("course_id", "status")
        ),
        "rooms": list(
            Room.objects.filter(owner=user)
            .order_by("pk")
            .values_list("slug", "title", "code", "code_version", "active", "lesson_id")
        ),
        "messages": list(
            ChatMessage.objects.filter(author=user).order_by("pk").values_list("room_id", "body")
        ),
        "memberships": list(
            RoomMember.objects.filter(user=user).order_by("room_id").values_list("room_id")
        ),
        "achievements": list(
            UserAchievement.objects.filter(user=user)
            .order_by("achievement_id")
            .values_list("achievement_id")
        ),
    }


@pytest.fixture
def everyone_joins_rooms():
    """For the live-room tests: every learner is a member of every room (members may edit a
    room's code), whichever of the two was created first."""
    from django.db.models.signals import post_save

    from accounts.models import User
    from collaboration.models import Room, RoomMember

    def user_saved(sender, instance, created, **kwargs):
        if created:
            RoomMember.objects.bulk_create(
                [RoomMember(room=room, user=instance) for room in Room.objects.all()],
                ignore_conflicts=True,
            )

    def room_saved(sender, instance, created, **kwargs):
        if created:
            RoomMember.objects.bulk_create(
                [RoomMember(room=instance, user=user) for user in User.objects.all()],
                ignore_conflicts=True,
            )

    post_save.connect(user_saved, sender=User, dispatch_uid="test-everyone-joins-users")
    post_save.connect(room_saved, sender=Room, dispatch_uid="test-everyone-joins-rooms")
    yield
    post_save.disconnect(sender=User, dispatch_uid="test-everyone-joins-users")
    post_save.disconnect(sender=Room, dispatch_uid="test-everyone-joins-rooms")
