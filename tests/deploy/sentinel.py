"""Redis behind Sentinel on 127.0.0.1, of a test's or a load run's own: a primary, a replica and
three sentinels, and a RabbitMQ virtual host for Celery (tests/deploy/test_sentinel.py and
`tests/load/run.py --fault failover` run the cluster on them)."""

import os
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import redis

SERVICE = "lsprimary"

SENTINEL_CONF = """port {port}
bind 127.0.0.1
dir {dir}
sentinel monitor {service} 127.0.0.1 {primary} 2
sentinel down-after-milliseconds {service} 1000
sentinel failover-timeout {service} 10000
sentinel parallel-syncs {service} 1
"""


def wait(predicate, timeout, message):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except (redis.RedisError, OSError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.2)


class SentinelRedis:
    """`ports`: the primary's, the replica's, then one per sentinel (three)."""

    def __init__(self, root: Path, *, primary: int, replica: int, sentinels: list[int]):
        self.root, self.primary, self.replica, self.sentinels = root, primary, replica, sentinels
        self.servers: dict[str, subprocess.Popen] = {}

    @property
    def url(self):
        return f"redis://{SERVICE}/0"

    @property
    def sentinel_addresses(self):
        return ",".join(f"127.0.0.1:{port}" for port in self.sentinels)

    def _server(self, name, *args):
        with open(self.root / f"{name}.log", "w") as log:
            self.servers[name] = subprocess.Popen(
                [shutil.which("redis-server"), *args], stdout=log, stderr=subprocess.STDOUT
            )

    def start(self):
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        common = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        common += ["--dir", str(self.root)]
        self._server("primary", "--port", str(self.primary), *common)
        self._server(
            "replica", "--port", str(self.replica), "--replicaof", "127.0.0.1", str(self.primary),
            *common,
        )  # fmt: skip
        for number, port in enumerate(self.sentinels):
            conf = self.root / f"sentinel-{number}.conf"
            conf.write_text(
                SENTINEL_CONF.format(
                    port=port, dir=self.root, service=SERVICE, primary=self.primary
                )
            )
            self._server(f"sentinel-{number}", str(conf), "--sentinel")
        wait(
            lambda: (
                redis.Redis(port=self.replica).info("replication")["master_link_status"] == "up"
            ),
            20,
            "the replica did not sync",
        )
        wait(
            lambda: all(
                redis.Redis(port=p).sentinel_master(SERVICE)["num-slaves"] == 1
                and redis.Redis(port=p).sentinel_master(SERVICE)["num-other-sentinels"] == 2
                for p in self.sentinels
            ),
            30,
            "the sentinels did not find the replica and each other",
        )

    def primary_port(self) -> int:
        sentinel = redis.Redis(port=self.sentinels[0], socket_timeout=1)
        return int(sentinel.sentinel_get_master_addr_by_name(SERVICE)[1])

    def kill_primary(self) -> float:
        """SIGKILL of the primary; returns the seconds until the sentinels promoted the replica."""
        self.servers["primary"].send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        wait(lambda: self.primary_port() == self.replica, 30, "the sentinels did not fail over")
        return time.monotonic() - killed_at

    def stop(self):
        for server in self.servers.values():
            if server.poll() is None:
                server.kill()
            server.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def rabbitmq_vhost(name):
    """A RabbitMQ virtual host of its own: no other worker takes its tasks."""
    ctl = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
    subprocess.run([ctl, "add_vhost", name], check=True, capture_output=True)
    subprocess.run(
        [ctl, "set_permissions", "-p", name, "guest", ".*", ".*", ".*"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"amqp://guest:guest@127.0.0.1:5672/{name}"
    finally:
        subprocess.run([ctl, "delete_vhost", name], capture_output=True)


def vhost_name(purpose):
    return f"ls-{purpose}-{os.getpid()}"
