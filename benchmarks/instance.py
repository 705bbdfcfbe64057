"""The measuring parts of bench_instance: wrk's script and its output, where the machine's CPU
went (the instance, its database, wrk, everything else), and the report's arithmetic and table."""

import json
import os
import re
import resource
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from deploy import processes

SERVER_TIMING = re.compile(r'desc="(\d+) (queries|calls)"')

# wrk counts every answer as a success, a redirect to the login page included: this counts the
# answers other than 200, and reports the run as one line of JSON.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_200 = 0 end
function response(status, headers, body)
  if status ~= 200 then not_200 = not_200 + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("not_200") end
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "not_200": %d, ' ..
    '"socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), bad,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    signed_in: bool


@dataclass(frozen=True)
class Sample:
    """One wrk run of one page."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    not_200: int
    socket_errors: int
    cpu_ms_per_request: float = 0.0  # the instance's
    db_ms_per_request: float = 0.0  # PostgreSQL's, for the instance's database
    others_cores: float = 0.0  # the rest of the machine meanwhile

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse_wrk(output: str) -> Sample:
    line = next((line for line in output.splitlines() if line.startswith("WRK ")), None)
    if line is None:
        raise ValueError(f"no WRK line in wrk's output:\n{output}")
    figures = json.loads(line.removeprefix("WRK "))
    return Sample(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        not_200=figures["not_200"],
        socket_errors=figures["socket_errors"],
    )


def server_timing_counts(header: str) -> tuple[int, int]:
    """(queries, cache calls) from core.monitoring's Server-Timing header."""
    found = {kind: int(count) for count, kind in SERVER_TIMING.findall(header or "")}
    return found.get("queries", 0), found.get("calls", 0)


def round_order(pages: list, round_index: int) -> list:
    """Every round starts one page further on, so no page always runs first or after the same
    neighbour."""
    shift = round_index % len(pages)
    return pages[shift:] + pages[:shift]


def summarize(samples: dict[str, list[Sample]], *, baseline: str) -> list[dict]:
    """One row per page: medians over the rounds, requests/s also as a ratio to `baseline`."""
    base = statistics.median(s.per_second for s in samples[baseline])
    rows = []
    for label, runs in samples.items():
        per_second = statistics.median(s.per_second for s in runs)
        rows.append({
            "page": label,
            "per_second": per_second,
            "spread": (min(s.per_second for s in runs), max(s.per_second for s in runs)),
            "ratio": per_second / base if base else 0.0,
            "p50_ms": statistics.median(s.p50_ms for s in runs),
            "p99_ms": statistics.median(s.p99_ms for s in runs),
            "cpu_ms": statistics.median(s.cpu_ms_per_request for s in runs),
            "db_ms": statistics.median(s.db_ms_per_request for s in runs),
            "others": statistics.median(s.others_cores for s in runs),
        })  # fmt: skip
    return rows


def render_table(rows: list[dict], pages: dict[str, Page], costs: dict[str, tuple]) -> str:
    lines = [
        "| page | path | req/s (median) | min-max | x /health | p50 ms | p99 ms "
        "| CPU ms/req | DB ms/req | others, cores | queries | cache calls |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        page = pages[row["page"]]
        queries, calls = costs.get(row["page"], (0, 0))
        low, high = row["spread"]
        lines.append(
            f"| {row['page']} | `{page.path}` | {row['per_second']:,.0f} | {low:,.0f}-{high:,.0f} "
            f"| {row['ratio']:.2f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} "
            f"| {row['cpu_ms']:.2f} | {row['db_ms']:.2f} | {row['others']:.2f} "
            f"| {queries} | {calls} |"
        )
    return "\n".join(lines)


def _cpu_seconds(pid) -> float:
    """User + system CPU of a process so far, or 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _backend_pids(database) -> set[int]:
    """PostgreSQL's backends connected to `database`: their process title names it."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (FileNotFoundError, ProcessLookupError, UnicodeDecodeError):
                continue
            if title.startswith("postgres: ") and f" {database} " in title:
                found.add(int(entry.name))
    return found


def _machine_busy_seconds() -> float:
    """CPU time the machine's cores have spent on anything but idling, from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds spent by the instance (master and workers), by PostgreSQL for its database,
    by this process's finished children (wrk), and by the whole machine."""

    at: float
    instance: dict[int, float]
    database: dict[int, float]
    children: float
    machine: float

    @classmethod
    def now(cls, *, master_pid, database) -> "CpuUse":
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        instance = processes.children(master_pid) | {master_pid}
        return cls(
            at=time.monotonic(),
            instance={pid: _cpu_seconds(pid) for pid in instance},
            database={pid: _cpu_seconds(pid) for pid in _backend_pids(database)},
            children=usage.ru_utime + usage.ru_stime,
            machine=_machine_busy_seconds(),
        )

    def since(self, before: "CpuUse") -> dict[str, float]:
        """Seconds of each kind between `before` and this, and `others`: the rest of the
        machine (Redis, the kernel, other people's work), in cores."""
        spent = {
            "seconds": self.at - before.at,
            "instance": _grown(before.instance, self.instance),
            "database": _grown(before.database, self.database),
            "wrk": self.children - before.children,
        }
        rest = self.machine - before.machine - spent["instance"] - spent["database"] - spent["wrk"]
        spent["others_cores"] = max(0.0, rest) / spent["seconds"] if spent["seconds"] else 0.0
        return spent


def _grown(before: dict[int, float], after: dict[int, float]) -> float:
    # A process that started in between counts whole; one that ended in between is not counted.
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
