"""A pool of long-lived Node processes, each with solc loaded once (compiler/worker.cjs).

A compile goes to a free worker; when none is free it waits in a bounded queue, and beyond the bound
(or past the queue timeout) it is refused with `CompilerBusy`, which the site answers with 503 and
Retry-After. A worker that overruns its time limit, dies, or has grown past the memory limit is
killed and replaced in the background, so the pool heals itself without a supervisor.

This module knows nothing of Django: the shared service (compiler/daemon.py) and the per-process
fallback (compiler/backend.py) both build a pool from settings and talk to it the same way.
"""

import contextlib
import hashlib
import json
import logging
import os
import queue
import selectors
import signal
import subprocess
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

WORKER_SCRIPT = Path(__file__).with_name("worker.cjs")
START_TIMEOUT_SECONDS = 30
RESPAWN_MAX_DELAY_SECONDS = 30
READ_CHUNK_BYTES = 1 << 16
# While a request runs, its worker's memory is looked at this often and killed past the hard cap.
MEMORY_WATCH_SECONDS = 0.05
# Requests that crashed a worker are refused without one for this long (the pool's memory of them
# is bounded): resubmitting a poisonous source cannot take the workers down one after another.
CRASHED_REMEMBERED = 1000
CRASHED_REFUSED_SECONDS = 600
# Deaths that come from outside (an operator, an orchestrator): they say nothing of the request.
_EXTERNAL_SIGNALS = {-signal.SIGKILL, -signal.SIGTERM}


class CompilerError(Exception):
    """No compiler output for this request."""


class CompilerBusy(CompilerError):
    """Every worker is busy and the queue is full, or no worker came free in time."""


class CompilerUnavailable(CompilerError):
    """No pool answers: the shared service is down, or the pool is closed."""


class CompileTimedOut(CompilerError):
    """The compile ran past its time limit; its worker was killed."""


class CompilerCrashed(CompilerError):
    """The worker died or solc failed during the compile."""


class _WorkerDied(Exception):
    """The worker went away without answering, killed from outside or before it got the
    request: nothing is known against the request, which may run on another worker."""


class _WorkerCrashed(Exception):
    """The worker died while running the request on its own (an abort, a fault, the memory
    cap): the request is to blame, and is not tried again."""


class _WorkerTimedOut(Exception):
    pass


class _WorkerFailed(Exception):
    pass


@dataclass(frozen=True)
class Reply:
    output: dict
    version: str
    worker_pid: int


class Worker:
    """One Node process and its pipes. Used by one thread at a time (the pool hands it out)."""

    def __init__(self, command, *, cwd=None):
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd, close_fds=True
        )
        self.pid = self.proc.pid
        self.started_at = time.time()
        self.version = ""
        self.rss = 0
        self.compiles = 0
        self.busy = False
        self._request_id = 0
        self._buffer = bytearray()
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.proc.stdout, selectors.EVENT_READ)
        self._killed = False

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if message.get("ready"):
                self.version = message.get("version", "")
                self.rss = message.get("rss", 0)
                return

    def call(self, request: dict, *, timeout, max_rss_bytes=None) -> dict:
        """Sends one request ({"input": standard JSON} or {"check": ...}) and returns its output.
        Past `max_rss_bytes` while it runs, the worker is killed (_WorkerCrashed)."""
        self._request_id += 1
        request_id = self._request_id
        line = json.dumps({"id": request_id, **request}).encode() + b"\n"
        deadline = time.monotonic() + timeout
        if self.proc.poll() is not None:
            raise _WorkerDied(f"worker {self.pid} had exited ({self.proc.returncode})")
        try:
            self.proc.stdin.write(line)
            self.proc.stdin.flush()
        except (OSError, ValueError) as exc:
            raise _WorkerDied(f"cannot write to worker {self.pid}: {exc}") from exc
        while True:
            try:
                message = self._read_message(deadline, max_rss_bytes=max_rss_bytes)
            except _WorkerDied:
                raise self._why_it_died() from None
            if message.get("id") != request_id:
                logger.warning("solc worker %s: ignored an unexpected line", self.pid)
                continue
            if "error" in message:
                raise _WorkerFailed(message["error"])
            self.compiles += 1
            self.rss = message.get("rss", self.rss)
            return message["output"]

    def _why_it_died(self) -> Exception:
        """After the worker's output ended mid-request: killed from outside, or its own crash."""
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        if code in _EXTERNAL_SIGNALS and not self._killed:
            return _WorkerDied(f"worker {self.pid} was killed from outside ({code})")
        return _WorkerCrashed(f"worker {self.pid} crashed running the request (exit {code})")

    def _read_message(self, deadline, *, max_rss_bytes=None) -> dict:
        while True:
            newline = self._buffer.find(b"\n")
            if newline >= 0:
                line = bytes(self._buffer[:newline])
                del self._buffer[: newline + 1]
                try:
                    return json.loads(line)
                except ValueError:
                    # soljson may print stray lines of its own; only JSON lines are answers.
                    logger.warning("solc worker %s said: %s", self.pid, line[:200])
                    continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _WorkerTimedOut(f"worker {self.pid} gave no answer in time")
            if max_rss_bytes is not None and self.current_rss() > max_rss_bytes:
                self.kill()
                raise _WorkerCrashed(f"worker {self.pid} went past {max_rss_bytes} bytes")
            wait = remaining if max_rss_bytes is None else min(remaining, MEMORY_WATCH_SECONDS)
            try:
                if not self._selector.select(wait):
                    continue
                chunk = os.read(self.proc.stdout.fileno(), READ_CHUNK_BYTES)
            except (OSError, ValueError) as exc:
                raise _WorkerDied(f"cannot read from worker {self.pid}: {exc}") from exc
            if not chunk:
                raise _WorkerDied(f"worker {self.pid} exited")
            self._buffer += chunk

    def alive(self) -> bool:
        return self.proc.poll() is None

    def current_rss(self) -> int:
        """Resident memory in bytes, fresh from /proc where there is one."""
        with (
            contextlib.suppress(OSError, ValueError, IndexError),
            open(f"/proc/{self.pid}/status") as status,
        ):
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return self.rss

    def kill(self):
        if self._killed:
            return
        self._killed = True
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            logger.error("solc worker %s did not exit after SIGKILL", self.pid)
        self._selector.close()
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                pipe.close()


class WorkerPool:
    def __init__(
        self, *, size, max_queue, max_rss_bytes, hard_rss_bytes=None, command=None, cwd=None
    ):
        self.size = size
        self.max_queue = max_queue
        # Past max_rss_bytes a worker is replaced after its request; past hard_rss_bytes it is
        # killed during it (solc's WebAssembly memory only grows).
        self.max_rss_bytes = max_rss_bytes
        self.hard_rss_bytes = hard_rss_bytes or 2 * max_rss_bytes
        self._crashed = OrderedDict()  # request digest -> when it crashed a worker
        self.command = command or ["node", str(WORKER_SCRIPT)]
        self.cwd = cwd
        self.version = ""
        self.retired = Counter()
        self._idle = queue.Queue()
        self._lock = threading.Lock()
        self._workers = {}
        self._starting = 0
        self._waiting = 0
        self._closed = False

    def start(self, *, wait=True, timeout=START_TIMEOUT_SECONDS):
        """Starts `size` workers in parallel; with wait, returns once they are all ready or the
        timeout has passed (the ones still starting keep trying in the background)."""
        threads = [self._spawn_in_background() for _ in range(self.size)]
        if wait:
            deadline = time.monotonic() + timeout
            for thread in threads:
                thread.join(max(0.0, deadline - time.monotonic()))

    def compile(self, standard_input, *, timeout, queue_timeout) -> Reply:
        return self._run({"input": standard_input}, timeout=timeout, queue_timeout=queue_timeout)

    def check(self, check_request, *, timeout, queue_timeout) -> Reply:
        """Runs an exercise's tests against a source (compiler/exercise.cjs); the reply's output
        is the check's result."""
        return self._run({"check": check_request}, timeout=timeout, queue_timeout=queue_timeout)

    def _run(self, request, *, timeout, queue_timeout) -> Reply:
        # solc's own failures are answered by the worker (_WorkerFailed), and a worker that dies
        # on its own while running the request crashed on it (_WorkerCrashed): neither is tried
        # again, and the request is refused for a while. A worker killed from outside (an
        # operator) says nothing about this request; every worker may have been killed at once,
        # and a just killed process can still look alive for a moment: try each, then a fresh one.
        digest = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()
        if self._crashed_recently(digest):
            raise CompilerCrashed("this request crashed a worker a moment ago")
        attempts = self.size + 1
        for attempt in range(1, attempts + 1):
            worker = self._checkout(deadline=time.monotonic() + queue_timeout)
            try:
                output = worker.call(request, timeout=timeout, max_rss_bytes=self.hard_rss_bytes)
            except _WorkerTimedOut:
                self._retire(worker, "timeout")
                raise CompileTimedOut(f"the compile ran past {timeout:g} s") from None
            except _WorkerFailed as exc:
                self._retire(worker, "solc failure")
                self._remember_crash(digest)
                raise CompilerCrashed(str(exc)) from None
            except _WorkerCrashed as exc:
                self._retire(worker, "crashed")
                self._remember_crash(digest)
                raise CompilerCrashed(str(exc)) from None
            except _WorkerDied:
                self._retire(worker, "died")
                if attempt == attempts:
                    raise CompilerCrashed(f"compiler processes died {attempts} times") from None
                continue
            except BaseException:
                self._retire(worker, "interrupted")
                raise
            self._checkin(worker)
            return Reply(output=output, version=worker.version, worker_pid=worker.pid)
        raise CompilerUnavailable("the pool has no workers")

    def _crashed_recently(self, digest) -> bool:
        with self._lock:
            crashed_at = self._crashed.get(digest)
            if crashed_at is None:
                return False
            if time.monotonic() - crashed_at > CRASHED_REFUSED_SECONDS:
                del self._crashed[digest]
                return False
            return True

    def _remember_crash(self, digest):
        with self._lock:
            self._crashed[digest] = time.monotonic()
            self._crashed.move_to_end(digest)
            while len(self._crashed) > CRASHED_REMEMBERED:
                self._crashed.popitem(last=False)

    def status(self) -> dict:
        with self._lock:
            workers = sorted(self._workers.values(), key=lambda worker: worker.started_at)
            starting, waiting = self._starting, self._waiting
        now = time.time()
        return {
            "version": self.version,
            "size": self.size,
            "workers": [
                {
                    "pid": worker.pid,
                    "state": "busy" if worker.busy else "idle",
                    "rss": worker.current_rss(),
                    "compiles": worker.compiles,
                    "uptime": round(now - worker.started_at, 1),
                }
                for worker in workers
            ],
            "starting": starting,
            "waiting": waiting,
            "max_queue": self.max_queue,
            "max_rss": self.max_rss_bytes,
            "hard_rss": self.hard_rss_bytes,
            "retired": dict(self.retired),
        }

    def close(self):
        with self._lock:
            self._closed = True
            workers = list(self._workers.values())
            self._workers.clear()
        for worker in workers:
            worker.kill()
        self._idle.put(None)  # wakes a waiting compile, which passes it on and gives up

    def _checkout(self, *, deadline) -> Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                worker = self._wait_for_idle(deadline)
            if worker is None:
                self._idle.put(None)
                raise CompilerUnavailable("the compiler pool is closed")
            if worker.alive():
                worker.busy = True
                return worker
            self._retire(worker, "died")

    def _wait_for_idle(self, deadline):
        with self._lock:
            if self._closed:
                raise CompilerUnavailable("the compiler pool is closed")
            if self._waiting >= self.max_queue:
                raise CompilerBusy(f"{self._waiting} compiles are already waiting")
            self._waiting += 1
        try:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise CompilerBusy("no compiler worker came free in time") from None
        finally:
            with self._lock:
                self._waiting -= 1

    def _checkin(self, worker):
        worker.busy = False
        if worker.rss > self.max_rss_bytes:
            # solc's WebAssembly memory grows with the largest contract seen and never shrinks.
            self._retire(worker, "memory")
        else:
            self._idle.put(worker)

    def _retire(self, worker, reason):
        worker.kill()
        with self._lock:
            self._workers.pop(worker.pid, None)
            self.retired[reason] += 1
            closed = self._closed
        logger.warning("solc worker %s retired (%s)", worker.pid, reason)
        if not closed:
            self._spawn_in_background()

    def _spawn_in_background(self) -> threading.Thread:
        with self._lock:
            self._starting += 1
        thread = threading.Thread(target=self._spawn, name="solc-spawn", daemon=True)
        thread.start()
        return thread

    def _spawn(self):
        delay = 0.5
        try:
            while not self._closed:
                worker = None
                try:
                    worker = Worker(self.command, cwd=self.cwd)
                    worker.wait_ready(START_TIMEOUT_SECONDS)
                except (OSError, _WorkerDied, _WorkerTimedOut) as exc:
                    logger.error("cannot start a solc worker (retrying in %s s): %s", delay, exc)
                    if worker is not None:
                        worker.kill()
                    time.sleep(delay)
                    delay = min(delay * 2, RESPAWN_MAX_DELAY_SECONDS)
                    continue
                with self._lock:
                    if not self._closed:
                        self._workers[worker.pid] = worker
                        self.version = worker.version
                        self._idle.put(worker)
                        return
                worker.kill()
        finally:
            with self._lock:
                self._starting -= 1
