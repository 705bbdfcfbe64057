"""The shared local compile service: one solc worker pool per machine, behind a Unix socket.

Why one shared service and not a pool inside every gunicorn process:
- Memory. Each Node process with solc loaded holds ~220 MB. The deployment runs several gunicorn
  instances of 2 sync workers each on one machine; a pool of 2 in every process would be 12+ solc
  processes (~2.6 GB) for a machine with 2 cores, where more than ~2 compiles at once only queue
  for CPU anyway. The service keeps COMPILER_WORKERS processes per machine whatever the web tier.
- A sync gunicorn worker handles one request at a time, so a per-process pool could never have
  more than one compile in flight: its queue would never fill and its 503 would never fire. The
  shared pool sees every compile on the machine, so its queue bound is real back-pressure.
- Warm workers survive web restarts: a rolling restart or gunicorn's max-requests recycling does
  not pay the 0.3-0.6 s load plus the ~200 ms first compile again in every new web process.
- Timeouts, memory limits and replacement are policed in one place, and `compiler_status` can see
  every worker.
The cost is one more process to run (`manage.py run_compiler`, supervised like gunicorn) and a local
socket hop (well under a millisecond). If the service is down, compiles answer 503 with Retry-After
and every other page keeps working. Without COMPILER_SOCKET (`make run`, one process) each process
runs its own pool instead: the same code, no extra process to start (compiler/backend.py).

Wire protocol: one request per connection, one JSON line each way.
  -> {"op": "compile", "input": <standard JSON>, "timeout": s, "queue_timeout": s}
  <- {"output": <standard JSON output>, "version": "...", "worker": pid}
  -> {"op": "check", "check": {"source", "tests", "limits"}, "timeout": s, "queue_timeout": s}
  <- {"output": <the check's result>, "version": "...", "worker": pid}
  -> {"op": "status"}
  <- {"status": {...}}
Failures come back as {"error": <code>, "message": "..."} and are raised again on the client side
as the pool's own exceptions, so callers cannot tell the two backends apart.
"""

import contextlib
import json
import logging
import os
import socket
import socketserver
import threading
from pathlib import Path

from compiler.pool import (
    CompilerBusy,
    CompilerCrashed,
    CompilerError,
    CompilerUnavailable,
    CompileTimedOut,
    Reply,
)

logger = logging.getLogger(__name__)

# 100 KB of source is at most ~600 KB once JSON-escaped; anything far bigger is not ours.
MAX_REQUEST_BYTES = 4 * 1024 * 1024
MAX_TIMEOUT_SECONDS = 60
CLIENT_MARGIN_SECONDS = 5
ERROR_CODES = {
    CompilerBusy: "busy",
    CompileTimedOut: "timeout",
    CompilerCrashed: "crashed",
    CompilerUnavailable: "unavailable",
}
ERRORS_BY_CODE = {code: error for error, code in ERROR_CODES.items()}


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30  # a client that stalls mid-request must not hold a thread for ever

    def handle(self):
        try:
            line = self.rfile.readline(MAX_REQUEST_BYTES + 1)
        except OSError:
            return
        try:
            if len(line) > MAX_REQUEST_BYTES:
                raise ValueError("request too large")
            request = json.loads(line)
            if not isinstance(request, dict):
                raise ValueError("request is not an object")
        except (ValueError, RecursionError) as exc:
            answer = {"error": "bad-request", "message": str(exc)}
        else:
            answer = self.server.answer(request)
        with contextlib.suppress(OSError):
            self.wfile.write(json.dumps(answer).encode() + b"\n")


class CompilerService(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True
    # The listen backlog: socketserver's default of 5 makes a burst of clients fail to connect
    # (EAGAIN) before the pool's own queue bound can answer them "busy".
    request_queue_size = 128

    def __init__(self, socket_path, pool):
        self.socket_path = Path(socket_path)
        self.pool = pool
        if self.socket_path.exists():
            if _answers(self.socket_path):
                raise RuntimeError(f"a compile service already listens on {self.socket_path}")
            self.socket_path.unlink()  # left behind by a service that was killed
        self.socket_path.parent.mkdir(parents=True, exist_ok=True)
        super().__init__(str(self.socket_path), _Handler)
        # Only this user and its group (the web processes) may ask for compiles.
        os.chmod(self.socket_path, 0o660)

    def answer(self, request) -> dict:
        if request.get("op") == "status":
            return {"status": self.pool.status()}
        op = request.get("op")
        payload = request.get("input") if op == "compile" else request.get("check")
        if op not in ("compile", "check") or not isinstance(payload, dict):
            return {
                "error": "bad-request",
                "message": "expected op compile with an input object, or op check with a check",
            }
        try:
            timeout = _bounded(request.get("timeout"))
            queue_timeout = _bounded(request.get("queue_timeout"))
        except (TypeError, ValueError):
            return {"error": "bad-request", "message": "timeouts must be positive numbers"}
        try:
            run = self.pool.compile if op == "compile" else self.pool.check
            reply = run(payload, timeout=timeout, queue_timeout=queue_timeout)
        except CompilerError as exc:
            return {"error": ERROR_CODES.get(type(exc), "crashed"), "message": str(exc)}
        return {"output": reply.output, "version": reply.version, "worker": reply.worker_pid}

    def serve_in_thread(self) -> threading.Thread:
        thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.1},  # how long close() waits for the loop to notice
            name="compiler-service",
            daemon=True,
        )
        thread.start()
        return thread

    def close(self):
        """Stops serving (call from another thread than serve_forever's) and removes the socket."""
        self.shutdown()
        self.server_close()
        self.socket_path.unlink(missing_ok=True)


class ServiceClient:
    """Talks to a CompilerService; the same compile() and status() as WorkerPool."""

    def __init__(self, socket_path):
        self.socket_path = str(socket_path)

    def compile(self, standard_input, *, timeout, queue_timeout) -> Reply:
        return self._run(
            {"op": "compile", "input": standard_input}, timeout=timeout, queue_timeout=queue_timeout
        )

    def check(self, check_request, *, timeout, queue_timeout) -> Reply:
        return self._run(
            {"op": "check", "check": check_request}, timeout=timeout, queue_timeout=queue_timeout
        )

    def _run(self, request, *, timeout, queue_timeout) -> Reply:
        answer = self._ask(
            {**request, "timeout": timeout, "queue_timeout": queue_timeout},
            wait=timeout + queue_timeout + CLIENT_MARGIN_SECONDS,
        )
        return Reply(
            output=answer["output"], version=answer["version"], worker_pid=answer["worker"]
        )

    def status(self) -> dict:
        return self._ask({"op": "status"}, wait=CLIENT_MARGIN_SECONDS)["status"]

    def _ask(self, request, *, wait) -> dict:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(wait)
            try:
                connection.connect(self.socket_path)
                connection.sendall(json.dumps(request).encode() + b"\n")
                with connection.makefile("rb") as answers:
                    line = answers.readline()
            except OSError as exc:  # socket.timeout is an OSError too
                raise CompilerUnavailable(f"the compile service does not answer: {exc}") from exc
        try:
            answer = json.loads(line)
        except ValueError:
            raise CompilerUnavailable("the compile service closed the connection") from None
        if "error" in answer:
            error = ERRORS_BY_CODE.get(answer["error"], CompilerUnavailable)
            raise error(answer.get("message", answer["error"]))
        return answer


def _bounded(seconds) -> float:
    seconds = float(seconds)
    if not seconds > 0:  # also refuses NaN
        raise ValueError(seconds)
    return min(seconds, MAX_TIMEOUT_SECONDS)


def _answers(socket_path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        try:
            probe.connect(str(socket_path))
        except OSError:
            return False
    return True
