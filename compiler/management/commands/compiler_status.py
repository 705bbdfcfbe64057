"""Shows the compiler: its version, the pool's workers and their memory, the queue, the cache."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from compiler import cache
from compiler.daemon import ServiceClient
from compiler.pool import CompilerError
from compiler.services import solc_version

MB = 1024 * 1024


class Command(BaseCommand):
    help = "Show the solc version, the worker pool (PIDs, memory, queue) and the cache hit rate."

    def handle(self, *args, **options):
        hits, misses = cache.hit_counts()
        lookups = hits + misses
        rate = f"{hits / lookups:.1%}" if lookups else "n/a"
        cache_line = f"Cache: {hits} hits, {misses} misses, hit rate {rate}"
        if not settings.COMPILER_SOCKET:
            self.stdout.write(f"solc {solc_version()} (npm package)")
            self.stdout.write(
                "No shared compile service (COMPILER_SOCKET is unset): each web process runs "
                f"its own pool of {settings.COMPILER_WORKERS}, which cannot be seen from here."
            )
            self.stdout.write(cache_line)
            return
        try:
            status = ServiceClient(settings.COMPILER_SOCKET).status()
        except CompilerError as exc:
            raise CommandError(f"The compile service on {settings.COMPILER_SOCKET}: {exc}") from exc

        self.stdout.write(f"solc {status['version']} · service on {settings.COMPILER_SOCKET}")
        self.stdout.write(f"{'PID':>8}  {'state':<6} {'RSS':>8}  {'compiles':>8}  {'uptime':>9}")
        for worker in status["workers"]:
            self.stdout.write(
                f"{worker['pid']:>8}  {worker['state']:<6} {worker['rss'] / MB:>6.0f} MB"
                f"  {worker['compiles']:>8}  {worker['uptime']:>7.0f} s"
            )
        total = sum(worker["rss"] for worker in status["workers"])
        retired = ", ".join(f"{n} {why}" for why, n in sorted(status["retired"].items()))
        self.stdout.write(
            f"Workers: {len(status['workers'])} of {status['size']} up, "
            f"{status['starting']} starting, {total / MB:.0f} MB in all "
            f"(limit {status['max_rss'] / MB:.0f} MB each); replaced: {retired or 'none'}"
        )
        self.stdout.write(f"Queue: {status['waiting']} waiting (at most {status['max_queue']})")
        self.stdout.write(cache_line)
