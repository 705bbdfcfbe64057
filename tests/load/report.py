"""The load test's report: process samples while it runs, then figures, charts and summary.md."""

import csv
import itertools
import os
import re
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psutil
import psycopg
import redis

BUDGET_P95_MS = 100
BUDGET_P99_MS = 250


class ProcessSampler:
    """CPU seconds and memory of every process that serves the site, by role.

    A gunicorn master's `children_*` CPU times include the workers it has reaped, so workers
    recycled by max_requests still count. PostgreSQL is the backends serving the load test's
    database; Redis is the whole server, which other users of this machine share.
    """

    def __init__(self, cluster, *, locust_pid):
        self.cluster = cluster
        self.locust_pid = locust_pid
        self.database = unquote(urlsplit(cluster.env["DATABASE_URL"]).path.lstrip("/"))
        self.rows = []

    def groups(self):
        groups = {name: [pid] for name, pid in self.cluster.pids.items()}
        groups["locust"] = [self.locust_pid]
        groups["postgres"] = self._postgres_backends()
        groups["redis"] = self._redis_server()
        return groups

    def _postgres_backends(self):
        # From the maintenance database, so that this query's own backend is not counted.
        admin = urlsplit(self.cluster.env["DATABASE_URL"])._replace(path="/postgres").geturl()
        with psycopg.connect(admin) as db:
            rows = db.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database]
            ).fetchall()
        return [pid for (pid,) in rows]

    def _redis_server(self):
        """The Redis server the site uses: behind Sentinel, the primary of the moment (none
        while it fails over)."""
        if sentinels := self.cluster.env.get("REDIS_SENTINELS"):
            from redis.sentinel import Sentinel

            hosts = [(host, int(port)) for host, port in (a.rsplit(":", 1) for a in
                     sentinels.split(","))]  # fmt: skip
            service = urlsplit(self.cluster.env["REDIS_URL"]).hostname
            client = Sentinel(hosts, socket_timeout=1).master_for(service, socket_timeout=1)
        else:
            client = redis.Redis.from_url(self.cluster.env["REDIS_URL"], socket_timeout=1)
        try:
            return [int(client.info("server")["process_id"])]
        except redis.RedisError:
            return []
        finally:
            client.close()

    def sample(self):
        now = time.time()
        for role, pids in self.groups().items():
            cpu = rss = 0.0
            for pid in pids:
                try:
                    process = psutil.Process(pid)
                    members = [process]
                    if role not in ("postgres", "redis"):
                        members += process.children(recursive=True)
                    for member in members:
                        times = member.cpu_times()
                        cpu += times.user + times.system
                        if member is process:
                            cpu += times.children_user + times.children_system
                        rss += member.memory_info().rss
                except psutil.Error:
                    continue
            self.rows.append({"time": now, "role": role, "cpu_s": cpu, "rss_mb": rss / 2**20})

    def write(self, path):
        with open(path, "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=["time", "role", "cpu_s", "rss_mb"])
            writer.writeheader()
            writer.writerows(self.rows)


def _process_table(path):
    rows = defaultdict(list)
    with open(path) as file:
        for row in csv.DictReader(file):
            rows[row["role"]].append(row)
    lines = ["| process | CPU s | mean cores | max RSS MB |", "|---|---:|---:|---:|"]
    for role, cpu in _cpu_by_role(path).items():
        span = float(rows[role][-1]["time"]) - float(rows[role][0]["time"]) or 1
        rss = max(float(row["rss_mb"]) for row in rows[role])
        lines.append(f"| {role} | {cpu:.1f} | {cpu / span:.2f} | {rss:.0f} |")
    return lines


def _percentile(values, fraction):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(fraction * len(values)))]


_EDGE_LINE = re.compile(
    r"\[(\d+/\w+/\d+:\d+:\d+:\d+) [^\]]*\] "  # [26/Nov/2026:02:56:58 +0000]
    r'"\w+ \S+ [^"]*" (\d{3}) \d+ rt=([\d.]+) urt=\S+ .* cache=(\S*)'
)


def _nginx_figures(path):
    """The edge's own view (static files are not logged): (when, ms) of every request as nginx
    saw it, the statuses, and the edge cache's answers."""
    edge, statuses, cache = [], Counter(), Counter()
    for line in path.read_text().splitlines() if path.exists() else []:
        found = _EDGE_LINE.search(line)
        if not found:
            continue
        at = datetime.strptime(found.group(1), "%d/%b/%Y:%H:%M:%S").timestamp()
        edge.append((at, float(found.group(3)) * 1000))
        statuses[found.group(2)[0] + "xx"] += 1
        # nginx writes "-" for an empty variable: no cache lookup (a POST).
        cache[found.group(4).replace("-", "") or "no lookup (POST)"] += 1
    return edge, statuses, cache


def _last_seconds(edge, seconds):
    """The edge's times over the last `seconds` of the run: the run once every user is there."""
    if not edge or seconds <= 0:
        return []
    end = edge[-1][0]
    return [ms for at, ms in edge if end - at < seconds]


def write_probe(path, rows):
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["who", "path", "status", "median_ms", "max_ms"])
        writer.writerows(rows)


def _probe_table(path):
    if not path.exists():
        return []
    lines = ["| who | page | status | median ms | slowest ms |", "|---|---|---:|---:|---:|"]
    with open(path) as file:
        for row in csv.DictReader(file):
            lines.append(
                f"| {row['who']} | {row['path']} | {row['status']} | "
                f"{float(row['median_ms']):.1f} | {float(row['max_ms']):.1f} |"
            )
    return lines


def _cpu_by_role(path):
    """CPU seconds per role over the run. PostgreSQL backends come and go (pools grow) and a
    recycled worker's time moves to its master: add what each sample gains, never subtract."""
    by_role = defaultdict(list)
    with open(path) as file:
        for row in csv.DictReader(file):
            by_role[row["role"]].append(float(row["cpu_s"]))
    return {
        role: sum(max(0.0, b - a) for a, b in itertools.pairwise(values))
        for role, values in by_role.items()
    }


def _capacity(out, requests, users):
    """CPU each request cost, what that allows on this machine, and what the mix asks for."""
    cpu = _cpu_by_role(out / "processes.csv")
    app = sum(seconds for role, seconds in cpu.items() if role.startswith("app"))
    serving = app + cpu.get("postgres", 0) + cpu.get("nginx", 0) + cpu.get("redis", 0)
    per_request = serving / max(requests, 1)
    cores = os.cpu_count() or 1
    return [
        f"- CPU per request: {1000 * per_request:.1f} ms "
        f"(instances {1000 * app / max(requests, 1):.1f} ms, "
        f"PostgreSQL {1000 * cpu.get('postgres', 0) / max(requests, 1):.1f} ms, "
        f"nginx {1000 * cpu.get('nginx', 0) / max(requests, 1):.2f} ms)",
        f"- so {cores} cores serve at most ~{cores / max(per_request, 1e-9):.0f} requests/s with "
        f"nothing else running; {users} users thinking 1-5 s (3 s on average) ask for "
        f"~{users / 3:.0f} requests/s",
    ]


def _instance_time(out, limit=12):
    """Where the instances' time went, by view: the request durations their metrics add up
    (metrics-<instance>.txt, scraped by run.py once locust stopped), as the metrics middleware
    times them: the rest of the middleware and the view, waits for a CPU, PostgreSQL and Redis
    included; gunicorn's reading and writing of the request, and the wait for a free worker,
    are not."""
    from prometheus_client.parser import text_string_to_metric_families

    busy, count = Counter(), Counter()
    for path in sorted(out.glob("metrics-*.txt")):
        for family in text_string_to_metric_families(path.read_text()):
            if family.name != "ls_http_request_duration_seconds":
                continue
            for sample in family.samples:
                if sample.name.endswith("_sum"):
                    busy[sample.labels["view"]] += sample.value * 1000
                elif sample.name.endswith("_count"):
                    count[sample.labels["view"]] += sample.value
    total = sum(busy.values()) or 1
    lines = [
        "| view | requests | mean ms | share of the instances' time |",
        "|---|---:|---:|---:|",
    ]
    for key, ms in busy.most_common(limit):
        lines.append(
            f"| {key} | {count[key]:,.0f} | {ms / count[key]:.1f} | {100 * ms / total:.1f} % |"
        )
    return lines


# Where a sampled stack is, named by the first of these frames found from the top of the stack.
_PROFILE_AREAS = (
    ("waiting for PostgreSQL (psycopg)", "psycopg/connection.py"),
    ("waiting for Redis (redis-py)", "redis/connection.py"),
    ("rendering templates", "django/template/"),
    ("building SQL (Django ORM)", "django/db/models/"),
    ("sessions", "django/contrib/sessions/"),
    ("messages", "django/contrib/messages/"),
    ("middleware and the rest of Django", "django/"),
    ("gunicorn (accept, parse, write)", "gunicorn/"),
)


_OWN_FRAME = re.compile(
    r"(.+ \((?:accounts|collaboration|compiler|config|core|courses|demo|leaderboard)/[\w/]+\.py)"
)


def _profile(out, limit=15):
    """py-spy's samples of one worker (run.py --profile): by area of the code, and the
    project's own functions by inclusive share."""
    path = out / "profile.txt"
    if not path.exists():
        return []
    areas, own, total = Counter(), Counter(), 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        count, frames = int(count), stack.split(";")
        total += count
        area = next(
            (name for frame in reversed(frames) for name, marker in _PROFILE_AREAS
             if marker in frame),
            "other",
        )  # fmt: skip
        areas[area] += count
        for function in {match.group(1) for f in frames if (match := _OWN_FRAME.match(f))}:
            own[function] += count
    if not total:
        return []
    lines = [f"py-spy, {total:,} samples of one worker (wall clock: waits included):", ""]
    lines += ["| where the sample was | share |", "|---|---:|"]
    lines += [f"| {area} | {100 * n / total:.1f} % |" for area, n in areas.most_common()]
    lines += ["", "| project function (inclusive) | share |", "|---|---:|"]
    lines += [f"| {name}) | {100 * n / total:.1f} % |" for name, n in own.most_common(limit)]
    return lines


def _charts(out):
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = []
    with open(out / "locust_stats_history.csv") as file:
        rows = [row for row in csv.DictReader(file) if row["Name"] == "Aggregated"]
    if not rows:
        return []
    start = int(rows[0]["Timestamp"])
    seconds = [int(row["Timestamp"]) - start for row in rows]

    def series(name):
        return [float(row[name]) if row[name] not in ("", "N/A") else float("nan") for row in rows]

    figure, latency = plt.subplots(figsize=(11, 5))
    for column, label in (("50%", "p50"), ("95%", "p95"), ("99%", "p99")):
        latency.plot(seconds, series(column), label=label)
    latency.axhline(BUDGET_P95_MS, color="grey", linestyle=":", label="p95 budget")
    latency.axhline(BUDGET_P99_MS, color="black", linestyle=":", label="p99 budget")
    latency.set(xlabel="seconds", ylabel="response time, ms (last 10 s)", yscale="log")
    latency.yaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
    users = latency.twinx()
    users.plot(seconds, series("User Count"), color="lightgrey", label="users")
    users.set_ylabel("users")
    latency.legend(loc="upper left")
    latency.set_title("Latency percentiles over time (all requests)")
    figure.tight_layout()
    figure.savefig(out / "latency.png", dpi=110)

    figure, throughput = plt.subplots(figsize=(11, 4))
    throughput.plot(seconds, series("Requests/s"), label="requests/s")
    throughput.plot(seconds, series("Failures/s"), label="failures/s", color="red")
    throughput.set(xlabel="seconds", ylabel="per second")
    throughput.legend(loc="upper left")
    throughput.set_title("Throughput over time")
    figure.tight_layout()
    figure.savefig(out / "throughput.png", dpi=110)
    return ["latency.png", "throughput.png"]


def write(out: Path, *, arguments, command, started, seconds, nginx_log):
    with open(out / "locust_stats.csv") as file:
        stats = list(csv.DictReader(file))
    total = next(row for row in stats if row["Name"] == "Aggregated")
    endpoints = sorted(
        (row for row in stats if row["Name"] != "Aggregated"),
        key=lambda row: -int(row["Request Count"]),
    )
    requests = int(total["Request Count"])
    failures = int(total["Failure Count"])
    edge, statuses, cache = _nginx_figures(nginx_log)
    edge_ms = [ms for _, ms in edge]
    ramp_up = arguments["users"] / arguments["spawn_rate"]
    steady = _last_seconds(edge, seconds - ramp_up - 5)
    cached = sum(cache[s] for s in ("HIT", "STALE", "UPDATING", "REVALIDATED"))
    lookups = sum(cache.values()) - cache["BYPASS"] - cache["no lookup (POST)"]
    charts = _charts(out)

    def verdict(value, budget):
        return "within" if float(value) <= budget else "OVER"

    lines = [
        "# Load test",
        "",
        f"`{command}` — {started:%Y-%m-%d %H:%M} UTC, {seconds:.0f} s, "
        f"{os.cpu_count()} cores shared with whatever else runs on this machine.",
        f"{arguments['users']} users (spawn rate {arguments['spawn_rate']}/s), think time "
        f"1-5 s; {arguments['instances']} instances; database seeded with "
        f"{arguments['seed_users']:,} learners"
        + (" (kept from an earlier run)" if arguments["keep_data"] else "")
        + ".",
        "",
        "## All requests (locust, client side)",
        "",
        f"- requests: {requests:,}; failures: {failures:,} "
        f"({100 * failures / max(requests, 1):.2f} %)",
        f"- throughput: {float(total['Requests/s']):.1f} requests/s",
        f"- p50 {total['50%']} ms · p95 {total['95%']} ms "
        f"({verdict(total['95%'], BUDGET_P95_MS)} the {BUDGET_P95_MS} ms budget) · "
        f"p99 {total['99%']} ms ({verdict(total['99%'], BUDGET_P99_MS)} {BUDGET_P99_MS} ms) · "
        f"max {float(total['Max Response Time']):.0f} ms",
        "",
        "## Per endpoint",
        "",
        "| endpoint | requests | failures | req/s | p50 | p95 | p99 | max |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {row['Type']} {row['Name']} | {int(row['Request Count']):,} | "
            f"{int(row['Failure Count']):,} | {float(row['Requests/s']):.1f} | {row['50%']} | "
            f"{row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} |"
            for row in endpoints
        ),
        "",
        "## The edge (nginx access log, static files excluded)",
        "",
        f"- proxied requests: {len(edge_ms):,}; statuses: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())),
        f"- time at the edge: p50 {_percentile(edge_ms, 0.5):.0f} ms · "
        f"p95 {_percentile(edge_ms, 0.95):.0f} ms · p99 {_percentile(edge_ms, 0.99):.0f} ms",
        f"- once every user has arrived (the last {seconds - ramp_up - 5:.0f} s, "
        f"{len(steady):,} requests): p50 {_percentile(steady, 0.5):.0f} ms · "
        f"p95 {_percentile(steady, 0.95):.0f} ms "
        f"({verdict(_percentile(steady, 0.95), BUDGET_P95_MS)} the budget) · "
        f"p99 {_percentile(steady, 0.99):.0f} ms "
        f"({verdict(_percentile(steady, 0.99), BUDGET_P99_MS)} the budget)",
        f"- edge cache: {cached:,} of {lookups:,} anonymous GETs served from the cache "
        f"({100 * cached / max(lookups, 1):.1f} %); "
        + ", ".join(f"{k} {v:,}" for k, v in cache.most_common()),
        "",
        "## Where the time goes",
        "",
        *_capacity(out, requests, arguments["users"]),
        "",
        "The instances' time, by view (their request-duration metrics; under load a request's",
        "time includes its waits for a CPU):",
        "",
        *_instance_time(out),
        "",
        *_profile(out),
        "",
        "Processes while locust ran (PostgreSQL: the backends of this database; Redis and the",
        "machine's CPU are shared with everything else running here):",
        "",
        *_process_table(out / "processes.csv"),
        "",
        "Each page alone, before the run (10 requests each, one at a time, through nginx):",
        "",
        *_probe_table(out / "probe.csv"),
        "",
        *(f"![{name}]({name})" for name in charts),
        "",
    ]
    text = "\n".join(lines)
    (out / "summary.md").write_text(text)
    return text
