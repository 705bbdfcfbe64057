"""`make loadtest`: seed a database, start the cluster, run locust headless, write a report.

    python tests/load/run.py --users 1000 --duration 120 --seed-users 100000

Everything lands in loadtest-report/: summary.md (the figures), locust's CSV files and HTML report,
latency.png and throughput.png (over time), processes.csv (CPU and memory of every process that
serves the site, sampled while locust runs) and the cluster's own logs. DATABASE_URL names the
database to seed: it is rebuilt each run so that runs compare.
"""

import argparse
import csv
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from deploy import processes  # noqa: E402
from deploy.cluster import Cluster, ClusterError, ensure_database  # noqa: E402
from tests.deploy.sentinel import SentinelRedis, rabbitmq_vhost, vhost_name  # noqa: E402
from tests.deploy.traffic import Browser  # noqa: E402
from tests.load import report  # noqa: E402

OUT = BASE_DIR / "loadtest-report"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where the report goes (replaced)")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--duration", type=int, default=120, help="seconds, ramp-up included")
    parser.add_argument("--seed-users", type=int, default=100_000)
    parser.add_argument("--keep-data", action="store_true", help="skip seeding")
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--port", type=int, default=18000)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample one web worker with py-spy for 20 s once every user has arrived "
        "(its sampling costs CPU too: the run's figures are not the clean ones)",
    )
    parser.add_argument(
        "--fault",
        choices=["restart", "scale-down", "kill", "failover"],
        help="once every user has arrived: a rolling restart, removing the last instance, "
        "SIGKILL of one instance and its revival, or SIGKILL of the Redis primary (the run is "
        "then on a Redis primary, a replica and three sentinels of its own, ports port+30 to "
        "port+34, and Celery on a RabbitMQ virtual host); the report counts failed requests and "
        "compares what was acknowledged with what was stored",
    )
    args = parser.parse_args()

    out = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with ExitStack() as resources:
        redis_env = {}
        if args.fault == "failover":
            redis_env = resources.enter_context(sentinel_redis(args.port, out))
        return run(args, out, redis_env)


@contextmanager
def sentinel_redis(port, out):
    servers = SentinelRedis(
        out / "redis",
        primary=port + 30,
        replica=port + 31,
        sentinels=[port + 32, port + 33, port + 34],
    )
    log("Redis behind Sentinel: a primary, a replica and three sentinels")
    try:
        servers.start()
        with rabbitmq_vhost(vhost_name("loadtest")) as broker:
            Fault.sentinel_redis = servers
            yield {
                "REDIS_URL": servers.url,
                "REDIS_SENTINELS": servers.sentinel_addresses,
                "CELERY_BROKER_URL": broker,
            }
    finally:
        servers.stop()


def run(args, out, redis_env):
    cluster = Cluster.configure(
        root=out / "cluster",
        port=args.port,
        # Every simulated learner comes from 127.0.0.1: per-address budgets would be one budget
        # for all of them, so those are off (per-learner budgets stay).
        env=os.environ
        | {
            "CACHE_KEY_PREFIX": "loadtest",
            "CHAT_POSTS_PER_IP_PER_MINUTE": "0",
            "ROOMS_STARTED_PER_IP_PER_HOUR": "0",
        }
        | redis_env,
    )
    ensure_database(cluster.env["DATABASE_URL"])
    cluster.manage("migrate", "--no-input")
    if not args.keep_data:
        log(f"seeding {args.seed_users:,} learners")
        seeded = subprocess.run(
            [sys.executable, "manage.py", "seed_demo", "--allow-production", "--reset",
             "--users", str(args.seed_users)],
            cwd=BASE_DIR, env=cluster.base_env(), capture_output=True, text=True, check=True,
        )  # fmt: skip
        log(seeded.stdout.strip().splitlines()[-3])
    learners = write_sessions(cluster, count=args.users, path=out / "learners.csv")
    log(f"{learners} returning learners have a session")

    started = stopped = None
    try:
        cluster.start(instances=args.instances)
        # As after a deploy (README, Operators): the hot public pages and their fragments.
        cluster.manage("warm_cache")
        # The learners' checks send each exercise's reference solution: their verdicts cached
        # first, as after any earlier run, so that a fresh machine's first run does not measure
        # a cold check cache (~60 test runs in the EVM in its first 30 s, web workers waiting).
        cluster.manage("warm_checks")
        log("one request at a time to every page first: what each costs without a queue")
        report.write_probe(out / "probe.csv", probe_pages(cluster, out / "learners.csv"))
        command = [
            str(Path(sys.executable).parent / "locust"),
            "--locustfile", str(BASE_DIR / "tests" / "load" / "locustfile.py"),
            "--host", f"http://127.0.0.1:{args.port}",
            "--headless",
            "--users", str(args.users),
            "--spawn-rate", str(args.spawn_rate),
            "--run-time", f"{args.duration}s",
            "--stop-timeout", "10",
            "--csv", str(out / "locust"),
            "--csv-full-history",
            "--html", str(out / "locust.html"),
            "--only-summary",
        ]  # fmt: skip
        log(f"locust: {args.users} users for {args.duration} s")
        started = time.time()
        with open(out / "locust.log", "w") as locust_log:
            locust = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=os.environ
                | {
                    "LEARNERS_FILE": str(out / "learners.csv"),
                    "ACKNOWLEDGED_FILE": str(out / "acknowledged.txt"),
                },
                stdout=locust_log,
                stderr=subprocess.STDOUT,
            )
            sampler = report.ProcessSampler(cluster, locust_pid=locust.pid)
            profile_at = started + args.users / args.spawn_rate + 5 if args.profile else None
            fault = Fault(cluster, args.fault, at=started + args.users / args.spawn_rate + 10)
            try:
                while locust.poll() is None:
                    sampler.sample()
                    if profile_at and time.time() >= profile_at:
                        profile_at = None
                        profile_worker(cluster, out / "profile.txt")
                    fault.maybe_start()
                    time.sleep(1 if args.fault else 5)
            except KeyboardInterrupt:
                locust.send_signal(signal.SIGINT)
                locust.wait()
        sampler.sample()
        stopped = time.time()
        sampler.write(out / "processes.csv")
        scrape_metrics(cluster, out)
        fault.join()
    except ClusterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        cluster.stop()

    summary = report.write(
        out,
        arguments=vars(args),
        command=" ".join(sys.argv),
        started=datetime.fromtimestamp(started, UTC) if started else None,
        seconds=(stopped - started) if started and stopped else 0,
        nginx_log=out / "cluster" / "nginx" / "access.log",
    )
    if args.fault:
        fault_report = fault.report(
            since=datetime.fromtimestamp(started, UTC),
            out=out,
            database=cluster.env["DATABASE_URL"],
        )
        with open(out / "summary.md", "a") as file:
            file.write("\n" + fault_report)
        summary += "\n" + fault_report
    print(summary)
    return 0


class Fault:
    """One fault injected into the running cluster, from a thread of its own."""

    sentinel_redis = None  # the run's SentinelRedis, for a failover

    def __init__(self, cluster, kind, *, at):
        self.cluster, self.kind, self.at = cluster, kind, at
        self.thread = None
        self.window = None  # (started, ended), epoch seconds
        self.detail = ""

    def maybe_start(self):
        if self.kind and self.thread is None and time.time() >= self.at:
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()

    def _run(self):
        started = time.time()
        log(f"fault: {self.kind}")
        if self.kind == "restart":
            self.cluster.restart()
        elif self.kind == "scale-down":
            self.cluster.scale(len(self.cluster.instances) - 1)
        elif self.kind == "kill":
            victim = self.cluster.instances[-1]
            processes.kill_group(self.cluster.pid(victim))
            time.sleep(5)
            self.cluster.revive(victim)
        elif self.kind == "failover":
            seconds = self.sentinel_redis.kill_primary()
            self.detail = f"the sentinels promoted the replica {seconds:.1f} s after the kill"
        self.window = (started, time.time())
        log(f"fault done in {self.window[1] - started:.1f} s")

    def join(self):
        if self.thread is not None:
            self.thread.join(timeout=300)

    def report(self, *, since, out, database):
        """Failed requests by endpoint and error, and acknowledged writes against stored ones."""
        failures = []
        path = out / "locust_failures.csv"
        if path.exists():
            with open(path, newline="") as file:
                failures = list(csv.DictReader(file))
        acknowledged_file = out / "acknowledged.txt"
        acknowledged = acknowledged_file.read_text().split() if acknowledged_file.exists() else []
        import psycopg

        with psycopg.connect(database) as db:
            stored = [
                token
                for (token,) in db.execute(
                    "SELECT substring(body from '\\(([0-9a-f]{12})\\)$')"
                    " FROM collaboration_chatmessage WHERE created_at >= %s",
                    [since],
                )
                if token
            ]
        window = (
            f"{self.window[1] - self.window[0]:.1f} s"
            if self.window
            else "did not finish within the run"
        )
        lines = [
            f"## Fault: {self.kind} ({window})",
            "",
            *([f"- {self.detail}"] if self.detail else []),
            f"- Failed requests over the whole run: "
            f"{sum(int(row['Occurrences']) for row in failures)}",
        ]
        for row in failures:
            lines.append(
                f"  - {row['Method']} {row['Name']}: {row['Occurrences']} x {row['Error']}"
            )
        lost = set(acknowledged) - set(stored)
        lines += [
            f"- Chat messages acknowledged (200): {len(acknowledged)}; stored: {len(stored)}",
            f"  - acknowledged but not stored (lost): {len(lost)}",
            f"  - stored more than once: {len(stored) - len(set(stored))}",
            f"  - stored but not acknowledged (in flight when the run ended, or failed after "
            f"the write): {len(set(stored) - set(acknowledged))}",
        ]
        return "\n".join(lines) + "\n"


def scrape_metrics(cluster, out):
    """Each instance's /metrics once locust has stopped (metrics-<instance>.txt): report.py
    reads the time its views took, by view, from them."""
    from operations.monitor import fetch

    for instance in cluster.instances:
        try:
            status, body = fetch(instance.address, "/metrics", timeout=10)
        except OSError as exc:
            status, body = None, str(exc)
        if status != 200:
            log(f"no metrics from {instance.name}: {status or body}")
            continue
        (out / f"metrics-{instance.name}.txt").write_text(body)


def profile_worker(cluster, path, seconds=20):
    """py-spy samples of one gunicorn worker of the first instance (raw stacks, one per line):
    report.py sums them by function. Started in the background; it ends by itself."""
    import psutil

    workers = psutil.Process(cluster.pid(cluster.instances[0])).children()
    if not workers:
        return
    command = [
        str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(workers[0].pid),
        "--duration", str(seconds), "--rate", "100", "--format", "raw",
        "--output", str(path), "--nonblocking",
    ]  # fmt: skip
    log(f"profiling worker {workers[0].pid} of {cluster.instances[0].name} for {seconds} s")
    subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def write_sessions(cluster, *, count, path):
    """Sessions for demo learners active in the leaderboard window, as a returning learner has
    from an earlier visit (accounts.services.open_session)."""
    os.environ.update(cluster.base_env())
    import django

    django.setup()
    from django.utils import timezone

    from accounts.models import User
    from accounts.services import open_session
    from demo.content import DEMO_EMAIL_DOMAIN

    recent = timezone.now() - timedelta(days=25)
    learners = (
        User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}", last_active_at__gte=recent)
        .exclude(is_staff=True)
        .order_by("?")[:count]
    )
    rows = [(user.username, open_session(user)) for user in learners]
    with open(path, "w", newline="") as file:
        csv.writer(file).writerows(rows)
    return len(rows)


def probe_pages(cluster, learners_csv, repeat=10):
    """Median and slowest response time of each page, requested alone, anonymous and signed in:
    the cost of a page on this machine before any queue forms."""
    from collaboration.models import Room
    from courses.models import Lesson

    lesson = Lesson.objects.select_related("course").order_by("course_id", "position")[3]
    room = Room.objects.order_by("id").first()
    with open(learners_csv, newline="") as file:
        username, session = next(csv.reader(file))
    paths = [
        "/",
        "/courses/",
        f"/courses/{lesson.course.slug}/",
        f"/courses/{lesson.course.slug}/{lesson.slug}/",
        "/leaderboard/",
        f"/u/{username}/",
        "/api/courses",
        "/api/leaderboard?limit=20",
        f"/rooms/{room.slug}/",
        f"/rooms/{room.slug}/messages/",
        "/health",
        "/ready",
    ]
    rows = []
    for who in ("anonymous", "signed in"):
        browser = Browser(f"127.0.0.1:{cluster.port}")
        if who == "signed in":
            browser.cookies["sessionid"] = session
        for path in paths:
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                status = browser.get(path).status
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            rows.append((who, path, status, times[len(times) // 2], times[-1]))
    return rows


def log(message):
    print(f"[loadtest] {message}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
