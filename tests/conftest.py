import pytest
from django.conf import settings
from django.core.cache import cache

from tests.factories import PASSWORD, UserFactory


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        raise pytest.UsageError(
            f"The suite runs on PostgreSQL (DATABASE_URL), not {engine}: use `make test`."
        )
    if "Redis" not in settings.CACHES["default"]["BACKEND"]:
        raise pytest.UsageError("The suite runs on Redis (REDIS_URL): use `make test`.")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with none of this run's cache keys (other runs' keys are untouched)."""
    cache.delete_pattern("*")
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
