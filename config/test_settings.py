"""The test suite's few overrides: real PostgreSQL and Redis on 127.0.0.1, each run (and each
xdist worker) under its own cache key prefix, a fast password hasher, Celery tasks run in the
test's own process."""

import os

for name, default in (
    ("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/learning_solidity"),
    ("REDIS_URL", "redis://127.0.0.1:6379/0"),
):
    os.environ[name] = os.environ.get(name) or default
os.environ["CACHE_KEY_PREFIX"] = (
    f"test-{os.getpid()}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
)
os.environ["DATABASE_POOL"] = "false"

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STRICT_FETCH = True

# Tests that compile ask for the `compiler` fixture (one real solc service per session); anything
# else that tries to compile gets "unavailable" instead of quietly starting Node processes.
COMPILER_SOCKET = str(BASE_DIR / "var" / "no-compiler-outside-the-fixture.sock")  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
# Figures are flushed by the tests that read them, not by a thread racing them.
METRICS_FLUSH_THREAD = False
