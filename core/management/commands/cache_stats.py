from django.core.management.base import BaseCommand

from core import stats


class Command(BaseCommand):
    """Prints cache hits, misses and hit rate per group, as counted by every process."""

    help = "Show cache hits and misses per group."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="clear the counters afterwards")

    def handle(self, *args, reset, **options):
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
        if reset:
            stats.reset()
