"""Benchmark: rooms in real time across two ASGI processes.

Starts two uvicorn servers (as `make asgi` runs them) on this database and Redis, connects
--clients learners (logged in with real sessions) spread over rooms of --room-size, alternating
servers so every room spans both processes, and has each send one chat message every
1/--rate seconds. Every message is saved to PostgreSQL before its ack and its broadcast, as in
production. Reports the delivery latency (send -> arrival at each other member of the room), the
ack latency (send -> saved and acknowledged), losses, and each server's memory and CPU.
Not part of `make test`: timings vary with the machine; they are reported, not asserted.
Everything it creates (learners, sessions, rooms, messages) is deleted at the end.
"""

import asyncio
import json
import random
import secrets
import statistics
import tempfile
import time
from importlib import import_module
from pathlib import Path

import uvloop
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import User
from accounts.services import open_session
from collaboration.models import Room
from deploy.asgi_server import AsgiServer, server_environment
from deploy.processes import free_port

PORTS = (18280, 18299)
CONNECT_CONCURRENCY = 50


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def cpu_seconds(server):
    fields = Path(f"/proc/{server.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks


def runqueue_seconds(server):
    """How long the server's event loop thread was ready to run but waited for a CPU: on a
    shared machine, the part of its latency that other processes caused."""
    return int(Path(f"/proc/{server.pid}/schedstat").read_text().split()[1]) / 1e9


def peak_rss_mb(server):
    status = Path(f"/proc/{server.pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


class Load:
    """The clients' side: sockets, send loops and what they measured."""

    def __init__(self, *, rate, measure_from):
        self.rate, self.measure_from = rate, measure_from
        self.sent = {}  # (client, seq) -> perf_counter at send, measured sends only
        self.deliveries, self.acks = [], []
        self.expected = self.received = self.errors = 0
        self.stopping = False
        self.started = asyncio.Event()  # everyone sends only once every client has joined

    async def client(self, number, url, origin, cookie, room_size, *, gate, ready):
        from websockets.asyncio.client import connect

        async with gate:  # a few handshakes at a time, as a crowd arriving over seconds
            socket = await connect(
                url, origin=origin, additional_headers={"Cookie": f"sessionid={cookie}"}
            )
            welcome = json.loads(await socket.recv())
        assert welcome["type"] == "welcome", welcome
        ready.release()
        async with socket:
            sender = asyncio.create_task(self._send_loop(number, socket, room_size))
            try:
                async for raw in socket:
                    self._received(number, json.loads(raw))
            finally:
                sender.cancel()

    async def _send_loop(self, number, socket, room_size):
        period = 1 / self.rate
        await self.started.wait()
        await asyncio.sleep(random.uniform(0, period))
        seq = 0
        while not self.stopping:
            seq += 1
            now = time.perf_counter()
            if now >= self.measure_from:
                self.sent[(number, seq)] = now
                self.expected += room_size - 1
            frame = {"type": "chat", "body": f"{number}:{seq}", "ref": seq}
            await socket.send(json.dumps(frame))
            await asyncio.sleep(period)

    def _received(self, number, frame):
        now = time.perf_counter()
        if frame["type"] == "chat":
            sender, seq = map(int, frame["message"]["body"].split(":"))
            sent_at = self.sent.get((sender, seq))
            if sent_at is not None and sender != number:
                self.deliveries.append(now - sent_at)
                self.received += 1
        elif frame["type"] == "ack":
            sent_at = self.sent.get((number, frame["ref"]))
            if sent_at is not None:
                self.acks.append(now - sent_at)
        elif frame["type"] == "error":
            self.errors += 1


class Command(BaseCommand):
    help = "500 WebSocket clients on two ASGI servers, one chat message a second each: p95 and RSS."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=500)
        parser.add_argument("--room-size", type=int, default=5, help="learners per room")
        parser.add_argument("--rate", type=float, default=1.0, help="messages a second, each")
        parser.add_argument("--warmup", type=float, default=5.0, help="seconds not measured")
        parser.add_argument("--duration", type=float, default=30.0, help="seconds measured")

    def handle(self, *args, clients, room_size, rate, warmup, duration, **options):
        tag = f"bench-{secrets.token_hex(3)}"
        self.stdout.write(f"Creating {clients} learners and their rooms ({tag})…")
        cookies, slugs = self._create(tag, clients, room_size)
        self.session_keys = cookies
        servers = []
        try:
            env = server_environment(database=connection.settings_dict)
            logs = Path(tempfile.mkdtemp(prefix="bench-rooms-"))
            port = PORTS[0]
            for name in ("a", "b"):
                port = free_port(port, PORTS[1])
                servers.append(AsgiServer(port=port, env=env, log_path=logs / f"{name}.log"))
                servers[-1].start()
                port += 1
            idle_rss = [server.rss_mb() for server in servers]
            load, cpu = asyncio.run(
                self._run(servers, cookies, slugs, room_size, rate, warmup, duration),
                loop_factory=uvloop.new_event_loop,
            )
            self._report(load, servers, idle_rss, cpu, clients, room_size, rate, duration)
        finally:
            for server in servers:
                server.stop()
            self._delete(tag)

    def _create(self, tag, clients, room_size):
        password = make_password(None)
        users = User.objects.bulk_create(
            User(username=f"{tag}-{n}", email=f"{tag}-{n}@example.com", password=password)
            for n in range(clients)
        )
        rooms = Room.objects.bulk_create(
            Room(slug=f"{tag}-{n}", title=f"Bench {n}", owner=users[n * room_size])
            for n in range((clients + room_size - 1) // room_size)
        )
        return [open_session(user) for user in users], [room.slug for room in rooms]

    def _delete(self, tag):
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for key in self.session_keys:
            store(session_key=key).delete()  # the cached copy too
        users = User.objects.filter(username__startswith=f"{tag}-")
        Room.objects.filter(slug__startswith=f"{tag}-").delete()  # and their messages
        deleted, _ = users.delete()
        self.stdout.write(f"Removed the benchmark's data ({deleted} rows with the learners).")

    async def _run(self, servers, cookies, slugs, room_size, rate, warmup, duration):
        ready = asyncio.Semaphore(0)
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        load = Load(rate=rate, measure_from=float("inf"))
        started = time.perf_counter()
        tasks = []
        for number, cookie in enumerate(cookies):
            # Alternating servers: every room has members on both processes.
            server = servers[number % 2]
            url = f"{server.ws_url}/ws/rooms/{slugs[number // room_size]}/"
            client = load.client(
                number, url, server.origin, cookie, room_size, gate=gate, ready=ready
            )
            tasks.append(asyncio.create_task(client))
        try:
            async with asyncio.timeout(60 + len(tasks) / 5):
                for _ in tasks:
                    await ready.acquire()
        except TimeoutError:
            failures = [task.exception() for task in tasks if task.done() and task.exception()]
            raise CommandError(f"clients could not join: {failures[:3]}") from None
        self.stdout.write(
            f"{len(tasks)} clients connected in {time.perf_counter() - started:.1f} s; "
            f"warming up {warmup:.0f} s, then measuring {duration:.0f} s…"
        )
        load.started.set()
        await asyncio.sleep(warmup)
        load.measure_from = time.perf_counter()
        cpu_before = [cpu_seconds(server) for server in servers]
        waits_before = [runqueue_seconds(server) for server in servers]
        own_before = time.process_time()
        lags = []
        # The clients' own event loop lag: when this process is starved of CPU, its sockets are
        # read late and every latency it measures grows by that much.
        deadline = time.perf_counter() + duration
        while (now := time.perf_counter()) < deadline:
            await asyncio.sleep(0.05)
            lags.append(time.perf_counter() - now - 0.05)
        load.stopping = True
        cpu = [
            ((cpu_seconds(s) - b) / duration, (runqueue_seconds(s) - w) / duration)
            for s, b, w in zip(servers, cpu_before, waits_before, strict=True)
        ]
        load.own_cpu = (time.process_time() - own_before) / duration
        load.lag_ms = (percentile(lags, 0.95) * 1000, max(lags) * 1000)
        await asyncio.sleep(2)  # the last messages' deliveries
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return load, cpu

    def _report(self, load, servers, idle_rss, cpu, clients, room_size, rate, duration):
        ms = [value * 1000 for value in load.deliveries]
        acks = [value * 1000 for value in load.acks]
        lost = load.expected - load.received
        self.stdout.write(
            f"{clients} clients in rooms of {room_size} on 2 ASGI processes, {rate:g} message/s "
            f"each, {duration:g} s measured: {len(load.sent)} messages, {len(ms)} deliveries "
            f"({lost} missing, {load.errors} error frames)"
        )
        if ms:
            self.stdout.write(
                f"delivery ms: p50 {statistics.median(ms):.1f}  p95 {percentile(ms, 0.95):.1f}  "
                f"p99 {percentile(ms, 0.99):.1f}  max {max(ms):.1f}"
            )
        if acks:
            self.stdout.write(
                f"ack (saved) ms: p50 {statistics.median(acks):.1f}  "
                f"p95 {percentile(acks, 0.95):.1f}  p99 {percentile(acks, 0.99):.1f}"
            )
        self.stdout.write(
            f"clients' process: CPU {load.own_cpu * 100:.0f} % of a core, event loop lag "
            f"p95 {load.lag_ms[0]:.1f} ms, max {load.lag_ms[1]:.1f} ms"
        )
        for name, server, idle, (share, waited) in zip("ab", servers, idle_rss, cpu, strict=True):
            self.stdout.write(
                f"server {name} (port {server.port}): RSS {idle:.0f} MB idle, "
                f"{server.rss_mb():.0f} MB after, peak {peak_rss_mb(server):.0f} MB; "
                f"CPU {share * 100:.0f} % of a core, its event loop waited for a CPU "
                f"{waited * 100:.0f} % of the time"
            )
