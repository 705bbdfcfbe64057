"""Redis behind Sentinel under load: a primary, a replica and three sentinels of the test's own,
the cluster on them (cache, sessions, presence, the rooms' broadcasts) and Celery on RabbitMQ.
Killing the primary fails no request, signs nobody out, loses no acknowledged message, and the
cache goes back to Redis (the new primary) by itself."""

import json
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis

from deploy.cluster import BASE_DIR, Cluster
from tests.deploy.ports import port
from tests.deploy.sentinel import SentinelRedis, rabbitmq_vhost, vhost_name, wait
from tests.deploy.test_cluster import (
    DEMO_PASSWORD,
    TRAFFIC_ENV,
    _assert_every_acknowledged_message_stored_once,
    _lanes,
    _report,
    running,
    site_of,
)
from tests.deploy.traffic import Browser, Traffic
from tests.workers import worker_suffix

pytestmark = pytest.mark.cluster

PORT = port(20)  # nginx; instances on the next ports, the ASGI server at +20
PRIMARY, REPLICA = port(30), port(31)
SENTINELS = [port(32), port(33), port(34)]


@pytest.fixture(scope="module")
def sentinel_redis():
    servers = SentinelRedis(
        BASE_DIR / "var" / f"sentinel-test{worker_suffix()}",
        primary=PRIMARY,
        replica=REPLICA,
        sentinels=SENTINELS,
    )
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()


@pytest.fixture(scope="module")
def cluster(sentinel_redis):
    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"test_{url.path.lstrip('/')}_sentinel{worker_suffix().replace('-', '_')}"
    database_url = url._replace(path=f"/{name}").geturl()
    with rabbitmq_vhost(vhost_name("sentinel")) as broker:
        yield from _cluster_on(sentinel_redis, database_url, broker)


def _cluster_on(sentinel_redis, database_url, broker):
    cluster = Cluster.configure(
        root=BASE_DIR / "var" / f"sentinel-cluster{worker_suffix()}",
        port=PORT,
        env={
            "DATABASE_URL": database_url,
            "REDIS_URL": sentinel_redis.url,
            "REDIS_SENTINELS": sentinel_redis.sentinel_addresses,
            "CELERY_BROKER_URL": broker,
            "CACHE_KEY_PREFIX": f"sentinel-test-{os.getpid()}",
            **TRAFFIC_ENV,
        },
        nginx_workers="1",
    )
    with running(cluster, database_url):
        yield cluster


@pytest.fixture(scope="module")
def site(cluster):
    return site_of(cluster)


def _ready(instance) -> dict:
    browser = Browser(instance.address)
    return json.loads(browser.get("/ready").body)


def test_killing_the_redis_primary_under_load_fails_nothing_and_the_cache_recovers(
    cluster, site, sentinel_redis
):
    assert sentinel_redis.primary_port() == PRIMARY
    learner = Browser(f"127.0.0.1:{cluster.port}")
    learner.log_in(site["learners"][1], DEMO_PASSWORD)
    assert learner.get("/accounts/password/").status == 200
    # Sessions reach Redis through the sentinels' primary, and its replica has them.
    wait(lambda: redis.Redis(port=REPLICA).dbsize() > 0, 10, "nothing reached the replica")
    time.sleep(1)  # the session written at login replicated too

    lanes = _lanes(cluster, site, tag="failover", keep_alive=True)
    with Traffic(lanes) as traffic:
        time.sleep(1.5)
        failed_over_s = sentinel_redis.kill_primary()
        time.sleep(6)  # past the breaker's reset: every process probes Redis again
    _report(f"Redis primary killed (failover in {failed_over_s:.1f} s)", traffic)

    assert traffic.count("GET") > 100
    assert traffic.count("POST") > 10
    assert traffic.failures == []
    # Nobody was signed out, and every acknowledged message is stored, once.
    assert learner.get("/accounts/password/").status == 200
    posted, stored = _assert_every_acknowledged_message_stored_once(cluster, traffic, "failover")
    assert len(stored) == len(posted)
    # The cache is back on Redis, the new primary, by itself: each instance's breaker closes.
    for instance in cluster.instances:
        wait(
            lambda instance=instance: _ready(instance)["status"] == "ready",
            20,
            f"{instance.name} did not go back to Redis: {_ready(instance)}",
        )
    assert redis.Redis(port=REPLICA).info("replication")["role"] == "master"
    assert Path(cluster.root).exists()
