"""Benchmark: the requests/s of ONE gunicorn instance, page by page, beside /health in the same run.

Starts one instance as the local cluster does (deploy/cluster.py: deploy/gunicorn.conf.py, 2 sync
workers, DJANGO_ENV=production) on a database of its own, seeded with demo learners, and with a
cache key prefix of its own. It logs in a demo learner through the login form, checks that every
page answers 200 (and that the signed-in ones really are signed in), then loads each page with
wrk (--connections at once, kept alive where the server allows), one page at a time, in --rounds
rounds whose order rotates so that the machine's noise spreads over every page. Reports per page
the median requests/s, its ratio to /health (issue 15's budget: signed-in pages >= 0.5), p50/p99
latency, the instance's CPU per request and the queries and cache calls of one warm request.

The requests carry what nginx adds in front of an instance with TLS (PROXY_HEADERS), so the
instance serves them as production's. Not part of `make test`: figures vary with the machine.
"""

import dataclasses
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarks.instance import (
    WRK_SCRIPT,
    CpuUse,
    Page,
    Sample,
    parse_wrk,
    render_table,
    round_order,
    server_timing_counts,
    summarize,
)
from deploy import processes
from deploy.cluster import BASE_DIR, Cluster, ensure_database
from deploy.handover import Instance
from tests.deploy.traffic import Browser

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/learning_solidity_bench_instance"
CACHE_KEY_PREFIX = "bench-instance"
PORTS = (18300, 18399)
RUN_DIR = BASE_DIR / "var" / "bench-instance"
# seed_demo's learners' password (demo/content.py, which the benchmarks may not import).
DEMO_PASSWORD = "learn-solidity"
# What nginx sets on every request it passes to an instance (deploy/nginx.conf), TLS terminated.
PROXY_HEADERS = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-For": "127.0.0.1",
    "X-Real-IP": "127.0.0.1",
}
LESSON_LINK = re.compile(r'href="/courses/([\w-]+)/([\w-]+)/"')
BUDGET = 0.5  # signed-in page requests/s over /health requests/s


class Command(BaseCommand):
    help = "Requests/s of one gunicorn instance per page, beside /health, with wrk."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("--seconds", type=int, default=5, help="per page and round")
        parser.add_argument("--warmup", type=int, default=2, help="seconds per page, not counted")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--users", type=int, default=100_000, help="seed up to this many")
        parser.add_argument("--port", type=int, help=f"default: a free one in {PORTS}")
        parser.add_argument("--database-url", default=DATABASE_URL)
        parser.add_argument(
            "--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
        )
        parser.add_argument("--out", default=str(RUN_DIR / "report.md"), help="markdown report")

    def handle(self, *args, **options):
        self.options = options
        for name in ("rounds", "seconds", "connections"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1")
        if not shutil.which("wrk"):
            raise CommandError("wrk is not installed: apt-get install wrk (make bench-instance).")
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            raise CommandError("No collected static files: run `make assets` first.")
        port = options["port"] or processes.free_port(*PORTS)
        processes.require_free_ports([port])
        shutil.rmtree(RUN_DIR, ignore_errors=True)
        RUN_DIR.mkdir(parents=True)
        self.address = f"127.0.0.1:{port}"
        self.database = unquote(urlsplit(options["database_url"]).path.lstrip("/"))
        self.cluster = Cluster.configure(root=RUN_DIR, port=port, env=self.instance_env(port))
        self.cluster.instances = [Instance(1, port)]

        self.users = self.prepare_database()
        previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
        self.clear_cache()
        try:
            self.start_instance()
            pages, costs, cookies = self.verify(*self.discover())
            samples = self.measure(pages, cookies)
        except KeyboardInterrupt:
            raise CommandError("Interrupted.") from None
        finally:
            self.stop_instance()
            self.clear_cache()
            signal.signal(signal.SIGTERM, previous)
        self.report(pages, costs, samples)

    # Setting up ------------------------------------------------------------------------------

    def instance_env(self, port) -> dict:
        return {
            "DATABASE_URL": self.options["database_url"],
            "REDIS_URL": self.options["redis_url"],
            "CACHE_KEY_PREFIX": CACHE_KEY_PREFIX,
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # The login form is posted by tests.deploy.traffic.Browser, whose Origin is the plain
            # http one; every other request says https, as nginx would.
            "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            # At ~2,000 requests/s the default recycling (every ~5,000 requests) would restart each
            # worker every few seconds, and /health would measure Django's start-up.
            "GUNICORN_MAX_REQUESTS": "0",
        }

    def manage(self, *args):
        """A manage.py command with the instance's configuration, its output passed through."""
        self.stdout.flush()
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.cluster.base_env(),
            check=True,
        )  # fmt: skip

    def prepare_database(self) -> int:
        import psycopg

        from accounts.models import User

        url = self.options["database_url"]
        self.stdout.write(f"Database {self.database}: migrate, load the curriculum")
        ensure_database(url)
        self.manage("migrate", "--no-input", "-v0")
        self.manage("load_curriculum", "-v0")
        count_users = f"SELECT count(*) FROM {User._meta.db_table}"
        with psycopg.connect(url) as db:
            users = db.execute(count_users).fetchone()[0]
        if users < self.options["users"]:
            self.stdout.write(f"Seeding {self.options['users']:,} learners (once)...")
            self.manage(
                "seed_demo", "--reset", "--allow-production", "--users", str(self.options["users"])
            )
            with psycopg.connect(url) as db:
                users = db.execute(count_users).fetchone()[0]
        return users

    def clear_cache(self):
        """This benchmark's keys only: each run starts cold, and nothing is left behind."""
        import redis

        client = redis.Redis.from_url(self.options["redis_url"])
        keys = list(client.scan_iter(f"{CACHE_KEY_PREFIX}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        client.close()

    def start_instance(self):
        instance = self.cluster.instances[0]
        self.cluster.sockets_dir.mkdir(parents=True, exist_ok=True)
        self.process = self.cluster.instance_process(instance)
        self.stdout.write(f"Starting one instance on {self.address} (2 sync workers, production)")
        self.cluster.spawn(self.process)
        self.cluster.wait_ready(self.process)
        self.master_pid = self.cluster.pid(instance)

    def stop_instance(self):
        if self.cluster.pids:
            self.stdout.write("Stopping the instance")
            self.cluster.stop()

    # The pages -------------------------------------------------------------------------------

    def get(self, browser, path):
        response = browser.get(path, headers=PROXY_HEADERS)
        if response.status != 200:
            raise CommandError(
                f"GET {path} answered {response.status}, not 200:\n"
                + processes.tail(self.process.log, 20)
            )
        return response

    def discover(self):
        """A course, its first lesson, the top learner (who logs in) and the second (whose
        profile is read), from the site itself."""
        anonymous = Browser(self.address)
        courses = json.loads(self.get(anonymous, "/api/courses").body)["results"]
        leaders = json.loads(self.get(anonymous, "/api/leaderboard?limit=2").body)["results"]
        if not courses or len(leaders) < 2:
            raise CommandError("The site has no courses or too few active learners: seed it.")
        course = courses[0]["slug"]
        lessons = LESSON_LINK.findall(self.get(anonymous, f"/courses/{course}/").body)
        if not lessons:
            raise CommandError(f"/courses/{course}/ links to no lesson.")
        username, other = leaders[0]["username"], leaders[1]["username"]
        pages = [
            Page("/health", "/health", signed_in=False),
            Page("catalog, anonymous", "/courses/", signed_in=False),
            Page("lesson", f"/courses/{lessons[0][0]}/{lessons[0][1]}/", signed_in=True),
            Page("course", f"/courses/{course}/", signed_in=True),
            Page("catalog", "/courses/", signed_in=True),
            Page("leaderboard", "/leaderboard/", signed_in=True),
            Page("profile", f"/u/{other}/", signed_in=True),
            Page("home", "/", signed_in=True),
        ]
        return pages, username

    def log_in(self, username) -> Browser:
        browser = Browser(self.address)
        self.get(browser, "/accounts/login/")
        form = {"username": username, "password": DEMO_PASSWORD}
        response = browser.post("/accounts/login/", form, headers=PROXY_HEADERS)
        if response.status != 302 or "sessionid" not in browser.cookies:
            raise CommandError(f"Logging in as {username} answered {response.status}")
        return browser

    def verify(self, pages, username):
        """Every page answers 200 as what it claims to be; then the queries and cache calls of
        one warm request each."""
        learner = self.log_in(username)
        self.stdout.write(f"Signed in as {username}; checking every page")
        costs = {}
        for page in pages:
            browser = learner if page.signed_in else Browser(self.address)
            self.get(browser, page.path)
            response = self.get(browser, page.path)
            signed_in = 'action="/accounts/logout/"' in response.body
            if page.signed_in and not (signed_in and username in response.body):
                raise CommandError(f"{page.path} does not show {username} signed in.")
            if not page.signed_in and signed_in:
                raise CommandError(f"{page.path} shows someone signed in to a visitor.")
            if page.label == "catalog, anonymous":
                control = response.headers.get("Cache-Control", "")
                if "public" not in control or response.headers.get("Set-Cookie"):
                    raise CommandError(f"/courses/ to a visitor is not the cached page: {control}")
            costs[page.label] = server_timing_counts(response.headers.get("Server-Timing"))
        cookies = "; ".join(f"{name}={value}" for name, value in learner.cookies.items() if value)
        return pages, costs, cookies

    # Measuring -------------------------------------------------------------------------------

    def wrk(self, page, cookies, seconds) -> Sample:
        headers = {**PROXY_HEADERS, **({"Cookie": cookies} if page.signed_in else {})}
        command = ["wrk", "--threads", "1", "--connections", str(self.options["connections"])]
        command += ["--duration", f"{seconds}s", "--timeout", "10s", "--script", self.script]
        for name, value in headers.items():
            command += ["--header", f"{name}: {value}"]
        before = self.cpu_use()
        result = subprocess.run(
            [*command, f"http://{self.address}{page.path}"], capture_output=True, text=True
        )
        spent = self.cpu_use().since(before)
        if result.returncode:
            raise CommandError(f"wrk failed ({result.returncode}):\n{result.stderr}")
        sample = parse_wrk(result.stdout)
        if sample.not_200 or sample.socket_errors:
            raise CommandError(
                f"{page.path}: {sample.not_200} answers other than 200 and "
                f"{sample.socket_errors} socket errors in {sample.requests} requests"
            )
        per_request = 1000 / sample.requests if sample.requests else 0.0
        return dataclasses.replace(
            sample,
            cpu_ms_per_request=spent["instance"] * per_request,
            db_ms_per_request=spent["database"] * per_request,
            others_cores=spent["others_cores"],
        )

    def cpu_use(self) -> CpuUse:
        return CpuUse.now(master_pid=self.master_pid, database=self.database)

    def measure(self, pages, cookies) -> dict[str, list[Sample]]:
        rounds, seconds = self.options["rounds"], self.options["seconds"]
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        self.script = script.name
        samples = {page.label: [] for page in pages}
        try:
            if self.options["warmup"]:
                self.stdout.write(f"Warming up: {self.options['warmup']} s a page")
                for page in pages:
                    self.wrk(page, cookies, self.options["warmup"])
            before = self.cpu_use()
            for number in range(rounds):
                for page in round_order(pages, number):
                    sample = self.wrk(page, cookies, seconds)
                    samples[page.label].append(sample)
                    self.stdout.write(
                        f"  round {number + 1}/{rounds}  {page.label:<20} "
                        f"{sample.per_second:>8,.0f} req/s  p50 {sample.p50_ms:>6.1f} ms  "
                        f"p99 {sample.p99_ms:>6.1f} ms  CPU {sample.cpu_ms_per_request:.2f} + DB "
                        f"{sample.db_ms_per_request:.2f} ms/req  others {sample.others_cores:.2f}"
                    )
            spent = self.cpu_use().since(before)
            self.cores = {
                kind: spent[kind] / spent["seconds"] for kind in ("instance", "database", "wrk")
            } | {"others": spent["others_cores"]}
        finally:
            os.unlink(self.script)
        return samples

    # Reporting -------------------------------------------------------------------------------

    def report(self, pages, costs, samples):
        rows = summarize(samples, baseline="/health")
        table = render_table(rows, {page.label: page for page in pages}, costs)
        signed_in_labels = {page.label for page in pages if page.signed_in}
        signed_in = [row for row in rows if row["page"] in signed_in_labels]
        slowest = min(signed_in, key=lambda row: row["ratio"])
        passing = sum(row["ratio"] >= BUDGET for row in signed_in)
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=BASE_DIR, capture_output=True, text=True
        ).stdout.strip()
        cores = self.cores
        header = (
            f"One gunicorn instance (2 sync workers, DJANGO_ENV=production), {self.users:,} "
            f"users; wrk, {self.options['connections']} connections, {self.options['rounds']} "
            f"rounds x {self.options['seconds']} s a page, medians; commit {commit or '?'}.\n"
            f"Cores busy on average, of {os.cpu_count()}: the instance {cores['instance']:.2f}, "
            f"its PostgreSQL backends {cores['database']:.2f}, wrk {cores['wrk']:.2f}, everything "
            f"else (Redis, the kernel, other work) {cores['others']:.2f}."
        )
        summary = (
            f"Signed-in pages at >= {BUDGET}x /health: {passing} of {len(signed_in)}; "
            f"lowest: {slowest['page']} at {slowest['ratio']:.2f}x."
        )
        self.stdout.write("")
        self.stdout.write(header)
        self.stdout.write(table)
        self.stdout.write(summary)
        out = Path(self.options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"# bench_instance\n\n{header}\n\n{table}\n\n{summary}\n")
        self.stdout.write(f"Report: {out}")
