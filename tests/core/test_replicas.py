"""The read-replica router against a real streaming replica.

The test builds its own small primary (initdb, replication allowed) and a replica of it made
with `pg_basebackup -R`, on their own ports, so the machine's PostgreSQL and its access rules
are left alone; both clusters are removed afterwards.
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from deploy.processes import free_port
from tests.workers import worker_index

# Below Linux's ephemeral range (32768-60999), where any client connection's own port can hold a
# fixed port at any moment: 127.0.0.1:55432 was once a Redis connection's source port, and the
# primary could not start. Ten ports per xdist worker; the first two free ones are taken.
PORTS_FIRST = 25430 + 10 * worker_index()
ROOT = Path(__file__).resolve().parents[2]


def postgres_bindir():
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl and os.path.exists(os.path.join(os.path.dirname(os.path.realpath(pg_ctl)), "initdb")):
        return os.path.dirname(os.path.realpath(pg_ctl))
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return os.path.dirname(candidates[-1]) if candidates else None


BINDIR = postgres_bindir()
pytestmark = pytest.mark.skipif(
    BINDIR is None,
    reason="PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not installed",
)


def as_postgres(*command, log=None):
    """Runs a PostgreSQL tool as the postgres user; a failure shows its output and `log`."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120)
    if done.returncode:
        server_log = Path(log).read_text(errors="replace")[-3000:] if log and log.exists() else ""
        raise AssertionError(
            f"{command[0]} failed ({done.returncode}):\n{done.stdout}{done.stderr}\n{server_log}"
        )
    return done


@pytest.fixture(scope="module")
def clusters():
    base = Path(tempfile.mkdtemp(prefix="ls-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    primary, replica = base / "primary", base / "replica"
    sockets = str(base)
    started = []
    primary_port = free_port(PORTS_FIRST, PORTS_FIRST + 9)
    replica_port = free_port(primary_port + 1, PORTS_FIRST + 9)
    try:
        as_postgres(f"{BINDIR}/initdb", "-D", str(primary), "-U", "postgres", "--auth=trust")
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {primary_port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{sockets}'\nfsync = off\n"
            )
        with open(primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        as_postgres(
            f"{BINDIR}/pg_ctl", "-D", str(primary), "-w", "-l", str(base / "primary.log"), "start",
            log=base / "primary.log",
        )  # fmt: skip
        started.append(primary)
        as_postgres(f"{BINDIR}/pg_basebackup", "-h", "127.0.0.1", "-p", str(primary_port),
                    "-U", "postgres", "-D", str(replica), "-R", "-X", "stream")  # fmt: skip
        as_postgres(f"{BINDIR}/pg_ctl", "-D", str(replica), "-w", "-l", str(base / "replica.log"),
                    "-o", f"-p {replica_port}", "start", log=base / "replica.log")  # fmt: skip
        started.append(replica)
        as_postgres(f"{BINDIR}/psql", "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres",
                    "-c", "CREATE DATABASE learning")  # fmt: skip
        yield {
            "primary": f"postgres://postgres@127.0.0.1:{primary_port}/learning",
            "replica": f"postgres://postgres@127.0.0.1:{replica_port}/learning",
        }
    finally:
        for data in reversed(started):
            subprocess.run(
                [
                    "runuser",
                    "-u",
                    "postgres",
                    "--",
                    f"{BINDIR}/pg_ctl",
                    "-D",
                    str(data),
                    "-m",
                    "immediate",
                    "stop",
                ]
                if os.geteuid() == 0
                else [f"{BINDIR}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(base, ignore_errors=True)


def run_scenario(clusters):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": clusters["primary"],
        "DATABASE_REPLICA_URLS": clusters["replica"],
        "DATABASE_POOL": "false",
        "REPLICA_PIN_SECONDS": "5",
        "CACHE_KEY_PREFIX": f"replica-test-{os.getpid()}",
    }
    env.pop("REDIS_URL", None)  # the router is under test, not the cache
    result = subprocess.run(
        [sys.executable, "-m", "tests.core.replica_scenario"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_reads_use_the_replica_and_a_writer_reads_their_own_writes(clusters):
    seen = run_scenario(clusters)

    assert seen["replicated"] and seen["replica_synced_session"]
    assert seen["plain_read_status"] == 200
    assert seen["replica_queries_for_a_plain_read"] > 0
    assert seen["complete_status"] == 302
    assert seen["pin_cookie_max_age"] == 5
    assert seen["replica_queries_right_after_writing"] == 0
    assert seen["fresh_after_write"]
    assert seen["replica_is_stale_while_paused"]
    assert seen["replica_queries_once_the_pin_expired"] > 0
    assert seen["unpinned_read_status"] == 200
    assert seen["replica_caught_up"]
