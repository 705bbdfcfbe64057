"""`make capacity`: the load mix at several user counts, each on freshly seeded data, and one
report of how the site holds up as users grow: a capacity curve, not one point.

    python tests/load/capacity.py --users 500 1000 2000 3000 --duration 120

Each size is a whole `tests/load/run.py` run (seed, start the cluster, locust, stop) in
loadtest-report/capacity/users-N/. Then loadtest-report/capacity/capacity.md and capacity.png
give, per size: requests/s, p50/p95/p99 and errors as locust saw them (client side, the whole
run) and at the edge once every user had arrived, the CPU each request cost by process, and the
load generator's own CPU. Its headline is the largest user count at which the budget held (p95
<= 100 ms, p99 <= 250 ms, no error). `--publish` copies the two files to
deploy/loadtest-results/, replacing the previous ones.
"""

import argparse
import ast
import csv
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from tests.load import report  # noqa: E402

OUT = BASE_DIR / "loadtest-report" / "capacity"
PUBLISHED = BASE_DIR / "deploy" / "loadtest-results"
# A ramp of this many seconds whatever the size, so every size has the same steady phase.
RAMP_SECONDS = 30
ROLES = ("instances", "postgres", "redis", "nginx", "asgi", "celery", "solc")


@dataclass
class Point:
    users: int
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    edge_p95: float
    edge_p99: float
    cpu_ms: dict  # role -> CPU ms per request
    locust_cores: float  # the load generator's mean CPU, in cores

    @property
    def holds(self):
        worst_p95 = max(self.p95, self.edge_p95)
        worst_p99 = max(self.p99, self.edge_p99)
        return (
            self.failures == 0
            and worst_p95 <= report.BUDGET_P95_MS
            and worst_p99 <= report.BUDGET_P99_MS
        )


def measure(users, args) -> Point:
    out = OUT / f"users-{users}"
    command = [
        sys.executable, str(BASE_DIR / "tests" / "load" / "run.py"),
        "--out", str(out),
        "--users", str(users),
        "--spawn-rate", str(max(1.0, users / RAMP_SECONDS)),
        "--duration", str(args.duration),
        "--seed-users", str(args.seed_users),
        "--instances", str(args.instances),
        "--port", str(args.port),
    ]  # fmt: skip
    print(f"[capacity] {users} users: {' '.join(command[1:])}", flush=True)
    subprocess.run(command, cwd=BASE_DIR, check=True, stdout=subprocess.DEVNULL)
    return read_point(out, users, duration=args.duration)


def read_point(out: Path, users: int, *, duration: float) -> Point:
    with open(out / "locust_stats.csv", newline="") as file:
        total = next(row for row in csv.DictReader(file) if row["Name"] == "Aggregated")
    requests = int(total["Request Count"])
    edge, _, _ = report._nginx_figures(out / "cluster" / "nginx" / "access.log")
    steady = report._last_seconds(edge, duration - RAMP_SECONDS - 5)
    cpu = report._cpu_by_role(out / "processes.csv")
    by_role = {"instances": sum(s for role, s in cpu.items() if role.startswith("app"))}
    by_role |= {role: cpu.get(role, 0.0) for role in ROLES[1:]}
    with open(out / "processes.csv", newline="") as file:
        times = [float(row["time"]) for row in csv.DictReader(file)]
    span = (max(times) - min(times)) or 1
    return Point(
        users=users,
        requests=requests,
        failures=int(total["Failure Count"]),
        rps=float(total["Requests/s"]),
        p50=float(total["50%"]),
        p95=float(total["95%"]),
        p99=float(total["99%"]),
        edge_p95=report._percentile(steady, 0.95),
        edge_p99=report._percentile(steady, 0.99),
        cpu_ms={role: 1000 * s / max(requests, 1) for role, s in by_role.items()},
        locust_cores=cpu.get("locust", 0.0) / span,
    )


def signed_in_share() -> float:
    """The share of simulated users who are signed in (every one of them also writes: completes
    lessons, checks exercises, compiles or chats), read from the locustfile's user weights
    without importing it (locust patches the standard library with gevent on import)."""
    tree = ast.parse((BASE_DIR / "tests" / "load" / "locustfile.py").read_text())
    weights, bases = {}, {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            bases[node.name] = [base.id for base in node.bases if isinstance(base, ast.Name)]
            for item in node.body:
                if isinstance(item, ast.Assign) and [t.id for t in item.targets] == ["weight"]:
                    weights[node.name] = item.value.value
    signed_in = sum(w for name, w in weights.items() if "SignedIn" in bases[name])
    return signed_in / sum(weights.values())


def chart(points, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    users = [p.users for p in points]
    width = max(users) / 12
    figure, (latency, load, cost) = plt.subplots(1, 3, figsize=(16, 4.8))
    for values, label in (([p.p50 for p in points], "p50"), ([p.p95 for p in points], "p95"),
                          ([p.p99 for p in points], "p99")):  # fmt: skip
        latency.plot(users, values, "o-", label=label)
    latency.axhline(report.BUDGET_P95_MS, color="grey", linestyle=":", label="p95 budget")
    latency.axhline(report.BUDGET_P99_MS, color="black", linestyle=":", label="p99 budget")
    latency.set(xlabel="concurrent users", ylabel="ms (locust, all requests)", yscale="log")
    errors = latency.twinx()
    errors.bar(users, [p.failures for p in points], width=width, color="red", alpha=0.3)
    errors.set_ylim(0, max(10, *(1.2 * p.failures for p in points)))
    errors.set_ylabel("failed requests (bars)", color="red")
    latency.legend(loc="upper left", fontsize="small")
    latency.set_title("Latency and errors")

    load.plot(users, [p.rps for p in points], "o-", label="served")
    load.plot(users, [u / 3 for u in users], ":", color="grey", label="asked (users / 3 s)")
    load.set(xlabel="concurrent users", ylabel="requests/s", ylim=(0, None))
    load.legend(loc="upper left", fontsize="small")
    load.set_title("Throughput")

    bottom = [0.0] * len(points)
    for role in ROLES:
        values = [p.cpu_ms[role] for p in points]
        cost.bar(users, values, width=width, bottom=bottom, label=role)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    cost.set(xlabel="concurrent users", ylabel="CPU ms per request")
    generator = cost.twinx()
    generator.plot(users, [p.locust_cores for p in points], "k^--", label="locust, cores")
    generator.set_ylim(0, 2)
    generator.set_ylabel("load generator CPU, cores")
    cost.legend(loc="upper left", fontsize="small")
    generator.legend(loc="upper right", fontsize="small")
    cost.set_title("CPU per request by process")
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def earlier_points(directory: Path, *, duration: float) -> list[Point]:
    """The points of an earlier run's report directory (its users-N folders)."""
    found = sorted(
        (int(folder.name.removeprefix("users-")), folder)
        for folder in directory.glob("users-*")
        if (folder / "locust_stats.csv").exists()
    )
    return [read_point(folder, users, duration=duration) for users, folder in found]


def chart_beside(curves: dict, path):
    """p95 and p99 (locust, all requests) and the instances' CPU per request against users, one
    line per run: this one beside earlier ones (--compare)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (p95, p99, cost) = plt.subplots(1, 3, figsize=(16, 4.8))
    for label, points in curves.items():
        users = [p.users for p in points]
        p95.plot(users, [max(p.p95, 1) for p in points], "o-", label=label)
        p99.plot(users, [max(p.p99, 1) for p in points], "o-", label=label)
        cost.plot(users, [p.cpu_ms["instances"] for p in points], "o-", label=label)
    budgets = ((p95, report.BUDGET_P95_MS, "p95"), (p99, report.BUDGET_P99_MS, "p99"))
    for axis, budget, title in budgets:
        axis.axhline(budget, color="black", linestyle=":", label=f"{title} budget")
        axis.set(xlabel="concurrent users", ylabel="ms (locust, all requests)", yscale="log")
        axis.set_title(f"{title} latency")
        axis.legend(loc="upper left", fontsize="small")
    cost.set(xlabel="concurrent users", ylabel="instances' CPU ms per request", ylim=(0, None))
    cost.set_title("The instances' CPU per request")
    cost.legend(loc="lower left", fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def write(points, args, *, started) -> str:
    signed_in = signed_in_share()
    held = [p.users for p in points if p.holds]
    headline = (
        f"**The budget held up to {max(held):,} concurrent users**"
        if held
        else "**The budget held at none of the sizes measured**"
    )
    lines = [
        "# Capacity curve",
        "",
        f"{headline} (p95 <= {report.BUDGET_P95_MS} ms, p99 <= {report.BUDGET_P99_MS} ms and no "
        "failed request, both as locust saw them over the whole run and at the edge once every "
        "user had arrived).",
        "",
        f"`tests/load/capacity.py {' '.join(sys.argv[1:])}`, {started:%Y-%m-%d %H:%M} UTC. "
        f"Each size on freshly seeded data ({args.seed_users:,} learners), {args.instances} "
        f"instances behind nginx, {args.duration} s with a {RAMP_SECONDS} s ramp; think time "
        f"1-5 s; {100 * signed_in:.0f} % of users signed in, all of them writing (completing "
        "lessons by passing exercises, compiling, chatting); locust (FastHttpUser) on the same "
        "2 cores, one process.",
        "",
        "| users | requests/s | p50 | p95 | p99 | edge p95 | edge p99 | failed | budget |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        *(
            f"| {p.users:,} | {p.rps:.0f} | {p.p50:.0f} | {p.p95:.0f} | {p.p99:.0f} | "
            f"{p.edge_p95:.0f} | {p.edge_p99:.0f} | {p.failures:,} of {p.requests:,} | "
            f"{'holds' if p.holds else 'broken'} |"
            for p in points
        ),
        "",
        "CPU per request, ms, by process (the instances' gunicorn workers, PostgreSQL's backends "
        "of this database, the Redis server, nginx, the ASGI server, Celery, the solc service), "
        "and the load generator's own CPU:",
        "",
        "| users | " + " | ".join(ROLES) + " | serving total | locust, cores |",
        "|---:|" + "---:|" * (len(ROLES) + 2),
        *(
            f"| {p.users:,} | "
            + " | ".join(f"{p.cpu_ms[role]:.2f}" for role in ROLES)
            + f" | {sum(p.cpu_ms.values()):.2f} | {p.locust_cores:.2f} |"
            for p in points
        ),
        "",
        "![capacity](capacity.png)",
        "",
        "Each run's own report (per endpoint, the edge, processes) is in "
        "loadtest-report/capacity/users-N/summary.md.",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[500, 1000, 2000, 3000])
    parser.add_argument("--duration", type=int, default=120, help="seconds per size")
    parser.add_argument("--seed-users", type=int, default=100_000)
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--port", type=int, default=18000)
    parser.add_argument("--publish", action="store_true", help="copy to deploy/loadtest-results/")
    parser.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="LABEL=DIR",
        help="an earlier run's report directory (loadtest-report/capacity of another checkout), "
        "drawn beside this run in capacity-before-after.png",
    )
    parser.add_argument("--label", default="this run", help="this run's name on that chart")
    args = parser.parse_args()

    started = datetime.now(UTC)
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    points = []
    for users in sorted(args.users):
        points.append(measure(users, args))
        p = points[-1]
        print(
            f"[capacity] {users} users: {p.rps:.0f} req/s, p95 {p.p95:.0f} ms, "
            f"p99 {p.p99:.0f} ms, {p.failures} failed",
            flush=True,
        )
    chart(points, OUT / "capacity.png")
    names = ["capacity.md", "capacity.png"]
    if args.compare:
        curves = {}
        for spec in args.compare:
            label, _, directory = spec.partition("=")
            curves[label] = earlier_points(Path(directory), duration=args.duration)
        curves[args.label] = points
        chart_beside(curves, OUT / "capacity-before-after.png")
        names.append("capacity-before-after.png")
    text = write(points, args, started=started)
    (OUT / "capacity.md").write_text(text)
    print(text)
    if args.publish:
        for name in names:
            shutil.copy(OUT / name, PUBLISHED / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
