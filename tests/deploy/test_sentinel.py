"""Redis behind Sentinel under load: a primary, a replica and three sentinels of the test's own,
the cluster on them (cache, sessions, presence, the rooms' broadcasts) and Celery on RabbitMQ.
Killing the primary fails no request, signs nobody out, loses no acknowledged message, and the
cache goes back to Redis (the new primary) by itself."""

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis

from deploy.cluster import BASE_DIR, Cluster
from tests.deploy.ports import port
from tests.deploy.test_cluster import (
    DEMO_PASSWORD,
    TRAFFIC_ENV,
    _lanes,
    _messages_tagged,
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
SERVICE = "lsprimary"

SENTINEL_CONF = """port {port}
bind 127.0.0.1
dir {dir}
sentinel monitor {service} 127.0.0.1 {primary} 2
sentinel down-after-milliseconds {service} 1000
sentinel failover-timeout {service} 10000
sentinel parallel-syncs {service} 1
"""


def _redis_server(*args, log):
    return subprocess.Popen(
        [shutil.which("redis-server"), *args],
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
    )


def _wait(predicate, timeout, message):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except (redis.RedisError, OSError):
            pass
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def _primary_port() -> int:
    sentinel = redis.Redis(port=SENTINELS[0], socket_timeout=1)
    return int(sentinel.sentinel_get_master_addr_by_name(SERVICE)[1])


@pytest.fixture(scope="module")
def sentinel_redis():
    root = BASE_DIR / "var" / f"sentinel-test{worker_suffix()}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    common = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(root)]
    servers = {
        "primary": _redis_server("--port", str(PRIMARY), *common, log=root / "primary.log"),
        "replica": _redis_server(
            "--port", str(REPLICA), "--replicaof", "127.0.0.1", str(PRIMARY), *common,
            log=root / "replica.log",
        ),
    }  # fmt: skip
    for number, sentinel_port in enumerate(SENTINELS):
        conf = root / f"sentinel-{number}.conf"
        conf.write_text(
            SENTINEL_CONF.format(port=sentinel_port, dir=root, service=SERVICE, primary=PRIMARY)
        )
        servers[f"sentinel-{number}"] = _redis_server(
            str(conf), "--sentinel", log=root / f"sentinel-{number}.log"
        )
    try:
        _wait(
            lambda: redis.Redis(port=REPLICA).info("replication")["master_link_status"] == "up",
            20,
            "the replica did not sync",
        )
        _wait(
            lambda: all(
                redis.Redis(port=p).sentinel_master(SERVICE)["num-slaves"] == 1
                and redis.Redis(port=p).sentinel_master(SERVICE)["num-other-sentinels"] == 2
                for p in SENTINELS
            ),
            30,
            "the sentinels did not find the replica and each other",
        )
        yield servers
    finally:
        for server in servers.values():
            if server.poll() is None:
                server.kill()
            server.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def rabbitmq_vhost():
    """A RabbitMQ virtual host of this test's own: no other worker takes its tasks."""
    vhost = f"ls-sentinel-{os.getpid()}"
    ctl = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
    subprocess.run([ctl, "add_vhost", vhost], check=True, capture_output=True)
    subprocess.run(
        [ctl, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
        check=True,
        capture_output=True,
    )
    yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    subprocess.run([ctl, "delete_vhost", vhost], capture_output=True)


@pytest.fixture(scope="module")
def cluster(sentinel_redis, rabbitmq_vhost):
    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"test_{url.path.lstrip('/')}_sentinel{worker_suffix().replace('-', '_')}"
    database_url = url._replace(path=f"/{name}").geturl()
    cluster = Cluster.configure(
        root=BASE_DIR / "var" / f"sentinel-cluster{worker_suffix()}",
        port=PORT,
        env={
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://{SERVICE}/0",
            "REDIS_SENTINELS": ",".join(f"127.0.0.1:{p}" for p in SENTINELS),
            "CELERY_BROKER_URL": rabbitmq_vhost,
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
    assert _primary_port() == PRIMARY
    learner = Browser(f"127.0.0.1:{cluster.port}")
    learner.log_in(site["learners"][1], DEMO_PASSWORD)
    assert learner.get("/accounts/password/").status == 200
    # Sessions reach Redis through the sentinels' primary, and its replica has them.
    _wait(lambda: redis.Redis(port=REPLICA).dbsize() > 0, 10, "nothing reached the replica")
    time.sleep(1)  # the session written at login replicated too

    with Traffic(_lanes(cluster, site, tag="failover")) as traffic:
        time.sleep(1.5)
        sentinel_redis["primary"].send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        _wait(lambda: _primary_port() == REPLICA, 30, "the sentinels did not fail over")
        failed_over_s = time.monotonic() - killed_at
        time.sleep(6)  # past the breaker's reset: every process probes Redis again
    _report(f"Redis primary killed (failover in {failed_over_s:.1f} s)", traffic)

    assert traffic.count("GET") > 100
    assert traffic.count("POST") > 10
    assert traffic.failures == []
    # Nobody was signed out, and every acknowledged message is stored, once.
    assert learner.get("/accounts/password/").status == 200
    posted = [o for o in traffic.outcomes if o.path.endswith("/messages/new/") and not o.failed]
    stored = _messages_tagged(cluster, "failover")
    assert len(stored) == len(set(stored)) == len(posted)
    # The cache is back on Redis, the new primary, by itself: each instance's breaker closes.
    for instance in cluster.instances:
        _wait(
            lambda instance=instance: _ready(instance)["status"] == "ready",
            20,
            f"{instance.name} did not go back to Redis: {_ready(instance)}",
        )
    assert redis.Redis(port=REPLICA).info("replication")["role"] == "master"
    assert Path(cluster.root).exists()
