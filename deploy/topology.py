"""The command lines of the production topology's processes, once: the local cluster
(deploy/cluster.py) runs them, the tests and benchmarks start ASGI servers with them
(deploy/asgi_server.py), `make asgi` runs one, and tests/deploy/test_compose.py checks that the
container host (deploy/docker-compose.yml, deploy/Dockerfile) runs the same.

    python deploy/topology.py asgi --port 8100     # exec the ASGI server as deployed
"""

import argparse
import os
import sys

GUNICORN_CONFIG = "deploy/gunicorn.conf.py"  # relative to the repository root, every process's cwd

# --ws-max-size sits above collaboration.frames.FRAME_MAX_CHARS, so an oversized frame gets an
# error frame from the consumer; only far larger ones are cut off by the server (close code 1009)
# before they are buffered whole. No per-message deflate: room frames are small, and compressing
# each one again for each recipient costs the server the CPU it needs to keep up with a busy
# room. Django has no lifespan handler.
UVICORN_OPTIONS = (
    "--ws-max-size",
    "1048576",
    "--ws-per-message-deflate",
    "false",
    "--lifespan",
    "off",
    "--no-access-log",
)


def gunicorn_argv(program="gunicorn", *, bind=None, socket=None) -> list[str]:
    """A web instance. `bind` repeats GUNICORN_BIND on the command line, where `ps` (and the
    cluster's check that a recorded pid is still this instance) can see it.

    `socket`: a unix socket of this process alone, through which the balancer reaches it
    (the local cluster; GUNICORN_SHARED_PORT lets the next generation bind the same TCP port)."""
    argv = [program, "--config", GUNICORN_CONFIG, *(["--bind", bind] if bind else [])]
    return argv + (["--bind", f"unix:{socket}"] if socket else [])


def asgi_argv(program="uvicorn", *, host, port, proxy=None) -> list[str]:
    """The rooms' WebSocket server. `proxy`: the address(es) of the proxy in front (nginx), whose
    X-Forwarded-* headers it trusts; None when clients reach it directly."""
    argv = [program, "config.asgi:application", "--host", host, "--port", str(port)]
    argv += UVICORN_OPTIONS
    if proxy is not None:
        argv += ["--proxy-headers", "--forwarded-allow-ips", proxy]
    return argv


def celery_worker_argv(program="celery", *, concurrency, options=()) -> list[str]:
    return [
        program, "--app", "config", "worker", "--loglevel", "INFO",
        "--concurrency", str(concurrency), *options,
    ]  # fmt: skip


def compiler_argv(python=sys.executable) -> list[str]:
    """The machine's shared solc service (compiler/daemon.py)."""
    return [python, "manage.py", "run_compiler"]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run one of the topology's processes.")
    commands = parser.add_subparsers(dest="command", required=True)
    asgi = commands.add_parser("asgi", help="the rooms' WebSocket server, behind a proxy")
    asgi.add_argument("--host", default="127.0.0.1")
    asgi.add_argument("--port", type=int, default=8100)
    args = parser.parse_args(argv)
    command = asgi_argv(
        os.path.join(os.path.dirname(sys.executable), "uvicorn"),
        host=args.host,
        port=args.port,
        proxy="127.0.0.1",
    )
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
