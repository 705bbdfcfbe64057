"""Runs the shared local compile service: COMPILER_WORKERS solc processes behind COMPILER_SOCKET.

One per machine, supervised like gunicorn; every web process on the machine sets the same
COMPILER_SOCKET. compiler/daemon.py says why this beats a pool in every web process.
"""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from compiler.backend import pool_from_settings
from compiler.daemon import CompilerService


class Command(BaseCommand):
    help = "Run the shared solc worker pool on a Unix socket (COMPILER_SOCKET)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--socket", dest="socket_path", default=settings.COMPILER_SOCKET, help="socket path"
        )
        parser.add_argument("--workers", type=int, default=settings.COMPILER_WORKERS)

    def handle(self, *args, socket_path, workers, **options):
        if not socket_path:
            raise CommandError("Set COMPILER_SOCKET (or pass --socket) to a path for the socket.")
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        pool = pool_from_settings(size=workers)
        try:
            service = CompilerService(socket_path, pool)
        except (OSError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Starting {workers} solc workers…")
        pool.start()
        status = pool.status()
        if not status["workers"]:
            pool.close()
            service.server_close()
            raise CommandError("No solc worker started: is Node installed and `npm ci` done?")

        def stop(signum, frame):
            raise KeyboardInterrupt

        # SIGTERM (a supervisor stopping us) takes the same clean path as Ctrl-C: workers and
        # socket are removed, not left for the next start to clean up.
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(
            f"solc {status['version']}: {len(status['workers'])} workers on {socket_path}"
        )
        try:
            service.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            service.server_close()
            service.socket_path.unlink(missing_ok=True)
            pool.close()
            self.stdout.write("Compile service stopped.")
