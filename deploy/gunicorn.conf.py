"""gunicorn settings for one web instance, read from the environment.

The same file serves the local cluster (deploy/cluster.py), the container image and a plain
`gunicorn -c deploy/gunicorn.conf.py config.wsgi`. Several instances run side by side, so every
per-instance path (control socket, drain file) comes from the environment.
"""

import gc
import os
import re
import shutil
import signal
import socket
import tempfile
import threading
from pathlib import Path


def _cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _int(name, default):
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "learning-solidity")
wsgi_app = "config.wsgi:application"

# Pages are CPU-bound: one sync worker per core served them best on the 2-core machines (more
# workers or threads only added contention). GUNICORN_THREADS > 1 switches to gthread.
workers = _int("GUNICORN_WORKERS", _cores())
threads = _int("GUNICORN_THREADS", 1)

timeout = _int("GUNICORN_TIMEOUT", 30)
# In-flight requests finish within this after SIGTERM; the drain happens before it (see below).
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
# Longer than nginx's upstream keepalive_timeout (4 s), so nginx never reuses a connection that
# gunicorn is closing at that same moment (gthread only: sync workers close after each response).
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle workers to bound slow leaks; the jitter keeps the workers of an instance (and of all
# instances, which see the same traffic) from restarting at the same moment. A new worker costs
# ~0.5-0.8 s of CPU to load the app, and more to warm its caches: every 5,000 requests that was
# ~0.15 ms per request, and each worker restarted about every two minutes at 2,000 users.
# Every 50,000 a worker still restarts about every twenty minutes under that load.
max_requests = _int("GUNICORN_MAX_REQUESTS", 50_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 5_000)

# No access log unless GUNICORN_ACCESS_LOG names one ("-": stderr): nginx logs every request it
# passes on, with the instance's time (urt=) and address (up=). gunicorn's line cost ~70 us of
# the worker's CPU per request (its atoms dict of every header), ~11 % of a /health.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# %(M)s: request time in milliseconds; %(p)s: the worker pid, to tell workers apart.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms pid=%(p)s "%(a)s"'

# Only nginx on this host (or the compose network) may set X-Forwarded-*.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# The worker heartbeat file on tmpfs: on a container's overlay filesystem it can stall workers.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# gunicorn's default control socket is one fixed path per user: a second instance on the same
# machine would take it over. Each instance gets its own, or none.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

pidfile = os.environ.get("GUNICORN_PIDFILE") or None

# Prometheus multiprocess mode (operations/instruments.py): every worker keeps its figures in
# files of this directory, and /metrics, answered by any one worker, adds them all up. One
# directory per instance (several share a machine), set here in the master before any worker
# imports prometheus_client, and emptied when the instance starts: counts begin again with a
# new master, as Prometheus expects of a restarted target.
METRICS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or str(
    Path("/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir())
    / "learning-solidity-metrics"
    / re.sub(r"[^A-Za-z0-9.-]+", "_", bind)
)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = METRICS_DIR

# Draining: the file that turns /ready false (settings.DRAIN_FILE). Created on SIGTERM; with
# GUNICORN_DRAIN_SECONDS > 0 the instance keeps serving that long first, so that a balancer
# polling /ready stops sending traffic before the listening socket closes. The local runner
# drains nginx itself before it signals, so it leaves the delay at 0.
DRAIN_FILE = os.environ.get("DRAIN_FILE", "")
DRAIN_SECONDS = float(os.environ.get("GUNICORN_DRAIN_SECONDS") or 0)


def _mark_draining():
    if DRAIN_FILE:
        Path(DRAIN_FILE).parent.mkdir(parents=True, exist_ok=True)
        Path(DRAIN_FILE).touch()


# GUNICORN_SHARED_PORT=1: the master binds its TCP address with SO_REUSEPORT, so that the
# instance's next generation can bind the same port while this one hands over to it (the local
# cluster's rolling restart, deploy/cluster.py). gunicorn's own `reuse_port` would not do: it
# gives every worker a listener of its own, whose queued connections die with that worker, and
# it cannot apply to a unix socket.
SHARED_PORT = os.environ.get("GUNICORN_SHARED_PORT") == "1"


def _listeners_sharing_their_port(server):
    from gunicorn import sock

    listeners = []
    for address in server.cfg.address:
        if not isinstance(address, tuple):
            listeners.append(sock.UnixSocket(address, server.cfg, server.log))
            continue
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        listener.bind(address[:2])
        listener.listen(server.cfg.backlog)
        kind = sock.TCP6Socket if family == socket.AF_INET6 else sock.TCPSocket
        # gunicorn keeps a duplicate of the descriptor and closes the one it is given.
        listeners.append(kind(address, server.cfg, server.log, fd=listener.detach()))
    return listeners


def on_starting(server):
    # A drain file left by the previous run of this instance would keep it out of rotation.
    if DRAIN_FILE:
        Path(DRAIN_FILE).unlink(missing_ok=True)
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    Path(METRICS_DIR).mkdir(parents=True, exist_ok=True)
    if SHARED_PORT:
        # The arbiter creates listeners only when none exist yet, right after this hook.
        server.LISTENERS = _listeners_sharing_their_port(server)


def child_exit(server, worker):
    # Its counters stay (they are part of the totals); its live gauges go.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def when_ready(server):
    # gunicorn's own SIGTERM handler only queues the signal for its main loop, so calling it
    # later from a timer thread is safe; a second SIGTERM stops at once.
    stop = signal.getsignal(signal.SIGTERM)
    draining = threading.Event()

    def drain_then_stop(signum, frame):
        _mark_draining()
        if draining.is_set() or DRAIN_SECONDS <= 0:
            stop(signum, frame)
            return
        draining.set()
        server.log.info("Draining for %.1f s before the graceful stop", DRAIN_SECONDS)
        threading.Timer(DRAIN_SECONDS, stop, (signum, None)).start()

    signal.signal(signal.SIGTERM, drain_then_stop)


# The cyclic garbage collector traverses every tracked object of a generation it collects, the
# worker's long-lived ones (modules, settings, URL patterns, compiled templates and queries)
# included: ~45 us of a signed-in page's ~1 ms went to it. They are frozen (gc.freeze: kept out
# of every collection) once the app is loaded, and again once the worker's first requests have
# loaded what Django loads lazily; that halved the collector's time per page.
FREEZE_AGAIN_AFTER_REQUESTS = 200


def _freeze_long_lived_objects():
    gc.collect()
    gc.freeze()


def post_worker_init(worker):
    _freeze_long_lived_objects()
    worker.requests_before_freezing_again = FREEZE_AGAIN_AFTER_REQUESTS


def post_request(worker, req, environ, resp):
    left = getattr(worker, "requests_before_freezing_again", 0)
    if left:
        worker.requests_before_freezing_again = left - 1
        if left == 1:
            _freeze_long_lived_objects()


def worker_int(worker):
    # SIGINT/SIGQUIT: a fast stop; nothing should be routed here any more.
    _mark_draining()
