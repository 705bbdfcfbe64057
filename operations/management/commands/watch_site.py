"""Watches a running site during a deployment or a load test through every instance's /metrics
and /ready: a line every few seconds (requests/s, p95, errors, cache and edge hit rates, each
instance's state and memory), and exit status 1 with the reason once a budget stays broken past
the grace period."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.monitor import Budgets, Watch, instances_of_cluster


class Command(BaseCommand):
    help = "Watch every instance's /metrics and /ready; fail when a budget stays broken."

    def add_arguments(self, parser):
        parser.add_argument(
            "--instance",
            action="append",
            default=[],
            help="host:port of an instance (repeatable); default: the local cluster's",
        )
        parser.add_argument("--cluster-dir", default=str(settings.BASE_DIR / "var" / "cluster"))
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between lines")
        parser.add_argument("--grace", type=float, default=30.0, help="seconds a budget may break")
        parser.add_argument("--duration", type=float, default=0, help="stop after (0: never)")
        parser.add_argument("--p95-ms", type=float, default=settings.BUDGET_P95_MS)
        parser.add_argument("--error-rate", type=float, default=settings.BUDGET_ERROR_RATE)
        parser.add_argument("--hit-rate", type=float, default=settings.BUDGET_CACHE_HIT_RATE)
        parser.add_argument("--min-requests", type=int, default=10, help="per line, for p95")
        parser.add_argument("--token", default=settings.METRICS_TOKEN, help="METRICS_TOKEN")

    def handle(self, *args, **options):
        instances = [(address, address) for address in options["instance"]]
        instances = instances or instances_of_cluster(options["cluster_dir"])
        if not instances:
            raise CommandError(
                f"No instances: pass --instance host:port or start a cluster "
                f"({options['cluster_dir']}/state.json)."
            )
        budgets = Budgets(
            p95_ms=options["p95_ms"],
            error_rate=options["error_rate"],
            hit_rate=options["hit_rate"],
            min_requests=options["min_requests"],
        )
        watch = Watch(instances, budgets=budgets, grace=options["grace"], token=options["token"])
        self.stdout.write(
            f"watching {len(instances)} instance{'s' * (len(instances) != 1)} every "
            f"{options['interval']:g} s; budgets: p95 {budgets.p95_ms:g} ms, errors "
            f"{budgets.error_rate:.1%}, cache hit rate {budgets.hit_rate:.0%}, grace "
            f"{options['grace']:g} s"
        )
        started = time.monotonic()
        ticks = 0
        while True:
            try:
                tick = watch.tick()
            except PermissionError as exc:
                raise CommandError(f"{exc}: set --token or METRICS_ALLOWED_IPS") from exc
            if ticks:
                self.stdout.write(tick.line())
            ticks += 1
            if watch.failure:
                raise CommandError(f"budget broken: {watch.failure}", returncode=1)
            if options["duration"] and time.monotonic() - started >= options["duration"]:
                break
            time.sleep(options["interval"])
        self.stdout.write(f"watch_site: {ticks - 1} lines, every budget held.")
