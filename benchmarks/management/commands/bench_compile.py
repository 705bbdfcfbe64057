"""Benchmark: /api/compile latency, uncached on a warm pool and cached, in one run.

Requests go through the whole Django stack (middleware, view, rate limit, cache, socket, pool)
with the test client, each from its own address so the rate limit counts but never refuses. With
COMPILER_SOCKET set it measures that service; otherwise it starts one in this process for the run.
Not part of `make test`: timings vary with the machine, they are reported, not asserted.
"""

import secrets
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client, override_settings

from compiler.backend import pool_from_settings
from compiler.daemon import CompilerService, ServiceClient

SMALL_CONTRACT = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Counter {
    uint256 public count;
    event Incremented(address indexed by, uint256 count);

    function increment() external {
        count += 1;
        emit Incremented(msg.sender, count);
    }
}
"""
MB = 1024 * 1024


class Command(BaseCommand):
    help = "Print p50/p95/p99 of uncached (warm pool) and cached compiles through /api/compile."

    def add_arguments(self, parser):
        parser.add_argument("--uncached", type=int, default=200, help="uncached compiles")
        parser.add_argument("--cached", type=int, default=500, help="cached compiles")
        parser.add_argument(
            "--warmup", type=int, default=100, help="uncached compiles before measuring"
        )

    def handle(self, *args, uncached, cached, warmup, **options):
        with ExitStack() as stack:
            socket_path = settings.COMPILER_SOCKET or self._start_service(stack)
            stack.enter_context(
                override_settings(
                    COMPILER_SOCKET=socket_path,
                    ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
                )
            )
            self.client = Client()
            self.sent = 0
            nonce = secrets.token_hex(4)  # reruns must not find last run's results cached
            for i in range(warmup):
                self._compile(f"{SMALL_CONTRACT}// warm-up {nonce} {i}\n", expect_cached=False)

            self.stdout.write(f"Uncached: {uncached} distinct small contracts…")
            cold = [
                self._compile(f"{SMALL_CONTRACT}// {nonce} {i}\n", expect_cached=False)
                for i in range(uncached)
            ]
            self.stdout.write(f"Cached: {cached} repeats of one contract…")
            repeated = f"{SMALL_CONTRACT}// {nonce} cached\n"
            self._compile(repeated, expect_cached=False)
            warm = [self._compile(repeated, expect_cached=True) for _ in range(cached)]

            status = ServiceClient(socket_path).status()
        self._report("uncached", cold)
        self._report("cached", warm)
        memory = sum(worker["rss"] for worker in status["workers"])
        self.stdout.write(
            f"Pool: solc {status['version']}, {len(status['workers'])} workers, "
            f"{memory / MB:.0f} MB resident in all"
        )
        self.stdout.write(
            f"Done: {self.sent} compiles; uncached p95 {self._p(cold, 95):.1f} ms, "
            f"cached p95 {self._p(warm, 95):.1f} ms."
        )

    def _start_service(self, stack) -> str:
        pool = pool_from_settings()
        pool.start()
        if not pool.status()["workers"]:
            pool.close()
            raise CommandError("No solc worker started: is Node installed and `npm ci` done?")
        stack.callback(pool.close)
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        service = CompilerService(folder / "solc.sock", pool)
        service.serve_in_thread()
        stack.callback(service.close)
        return str(service.socket_path)

    def _compile(self, source, *, expect_cached) -> float:
        self.sent += 1
        address = f"10.{self.sent >> 16 & 255}.{self.sent >> 8 & 255}.{self.sent & 255}"
        started = time.perf_counter()
        response = self.client.post(
            "/api/compile",
            {"source": source},
            content_type="application/json",
            REMOTE_ADDR=address,
        )
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise CommandError(f"/api/compile answered {response.status_code}: {response.content}")
        body = response.json()
        if not body["ok"] or body["cached"] != expect_cached:
            raise CommandError(f"unexpected compile result: {body}")
        return elapsed

    def _report(self, label, timings):
        self.stdout.write(
            f"{label:>9}: n={len(timings)}  p50 {self._p(timings, 50):6.1f} ms  "
            f"p95 {self._p(timings, 95):6.1f} ms  p99 {self._p(timings, 99):6.1f} ms  "
            f"max {max(timings):6.1f} ms"
        )

    @staticmethod
    def _p(timings, percentile) -> float:
        if len(timings) < 2:
            return timings[0] if timings else 0.0
        return statistics.quantiles(timings, n=100, method="inclusive")[percentile - 1]
