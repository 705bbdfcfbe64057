from datetime import UTC, datetime

from django.core.cache import cache
from django.core.management.base import BaseCommand

from core import stats


class Command(BaseCommand):
    """Prints cache hits, misses and hit rate per group, as counted by every process."""

    help = "Show cache hits and misses per group."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="clear the counters afterwards")

    def handle(self, *args, reset, **options):
        breaker = getattr(cache, "breaker", None)
        state = breaker.state() if breaker else None  # before the report's own cache calls
        report = stats.cache_report()
        self.stdout.write(f"{'group':<24} {'hits':>10} {'misses':>10} {'hit rate':>9}")
        hits = misses = 0
        for group, row in report.items():
            rate = f"{row['hit_rate']:.1%}" if row["hit_rate"] is not None else "-"
            self.stdout.write(f"{group:<24} {row['hits']:>10} {row['misses']:>10} {rate:>9}")
            hits, misses = hits + row["hits"], misses + row["misses"]
        overall = f"{hits / (hits + misses):.1%}" if hits + misses else "-"
        self.stdout.write(
            f"{len(report)} groups, {hits} hits, {misses} misses, hit rate {overall}."
        )
        if state is not None:
            self._breaker(state)
        if reset:
            stats.reset()

    def _breaker(self, state):
        line = f"Circuit breaker (this process): {state['state']}"
        if state["state"] != "closed":
            line += f" for {state['open_for_s']} s"
        self.stdout.write(line + ".")
        try:
            outages = cache.outages()
        except Exception as exc:
            self.stdout.write(f"Outages of every process: unknown ({type(exc).__name__}).")
            return
        line = (
            f"Outages of every process: {outages['openings']} openings, "
            f"{outages['open_seconds']} s open in all"
        )
        if outages["last_closed"]:
            closed = datetime.fromtimestamp(outages["last_closed"], UTC)
            line += (
                f"; the last closed {closed:%Y-%m-%d %H:%M:%S} UTC after "
                f"{outages['last_open_seconds']:.1f} s"
            )
        self.stdout.write(line + ".")
