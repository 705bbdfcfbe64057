"""The production topology as plain processes on 127.0.0.1, for machines without containers:
nginx (deploy/nginx.conf) in front of N gunicorn instances (deploy/gunicorn.conf.py), the ASGI
server of the rooms' WebSockets (uvicorn), a Celery worker and the shared solc service. The tests
and the load test run it.

    python deploy/cluster.py start [--instances 3] [--port 18000]
    python deploy/cluster.py status
    python deploy/cluster.py restart          # rolling: one instance at a time, no failed request
    python deploy/cluster.py scale 4          # add or remove instances behind the balancer
    python deploy/cluster.py stop

nginx listens on --port and reaches instance i through a unix socket, its slot (sockets/appi.sock,
a symlink to the socket of the instance's current generation); instance i also answers on
port + i for probes and /metrics, and /ws/ goes to the ASGI server on --ws-port (default
port + 20). Everything the cluster writes lives under --dir (var/cluster): state.json (pids and
the environment it was started with, so that later commands run the same configuration),
per-process logs, nginx's prefix.

Restarts, scale-downs and revivals change a running cluster without failing a request and
without reloading nginx: deploy/handover.py.

Each process is described as data (`Process`: its name, command line, log, readiness probe and
the part of its command line that identifies it); start, status and stop loop over
`Cluster.processes()`. The command lines come from deploy/topology.py, as the container host's do.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy import processes
from deploy.handover import Handovers, Instance, log
from deploy.nginx_config import NginxConfig, Upstream, brotli_available, worker_user
from deploy.processes import Process
from deploy.processes import ProcessError as ClusterError
from deploy.topology import asgi_argv, celery_worker_argv, compiler_argv, gunicorn_argv

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
# What the instances inherit from the runner's environment; everything else comes from here.
PASSED_ENV = (
    "DATABASE_URL", "DATABASE_POOL", "DATABASE_POOL_MIN", "DATABASE_POOL_MAX",
    "DATABASE_REPLICA_URLS", "REDIS_URL", "CACHE_KEY_PREFIX", "CELERY_BROKER_URL",
    "DJANGO_ENV", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "LOG_LEVEL",
    "MEDIA_ROOT", "STATIC_ROOT", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT", "GUNICORN_MAX_REQUESTS", "GUNICORN_MAX_REQUESTS_JITTER",
    "GUNICORN_ACCESS_LOG", "COMPILER_RATE_LIMIT_PER_MINUTE", "EXERCISE_TIMEOUT_SECONDS",
    "EXERCISE_GAS_PER_TEST", "CURRICULUM_DIR", "CHAT_POSTS_PER_IP_PER_MINUTE",
    "ROOMS_STARTED_PER_IP_PER_HOUR", "TRUSTED_PROXIES", "REDIS_SENTINELS",
    "CHAT_POSTS_PER_LEARNER_PER_MINUTE",
)  # fmt: skip


# Start order: a stage starts once every process of the stage before answers its probe.
BACKENDS, EDGE, WORKERS = 0, 1, 2


@dataclass
class Cluster(Handovers):
    root: Path
    port: int
    ws_port: int
    env: dict
    instances: list[Instance]
    pids: dict[str, int] = field(default_factory=dict)  # process name -> pid
    nginx_workers: str = "auto"
    # The instance numbers whose slots the running nginx's configuration lists.
    nginx_slots: list[int] = field(default_factory=list)

    # Setup -----------------------------------------------------------------------------------

    @classmethod
    def configure(cls, *, root, port=18000, ws_port=None, env=None, nginx_workers="auto"):
        source = os.environ if env is None else env
        passed = {name: source[name] for name in PASSED_ENV if source.get(name)}
        for name in ("DATABASE_URL", "REDIS_URL"):
            if not passed.get(name):
                raise ClusterError(f"{name} is not set: the cluster runs on PostgreSQL and Redis.")
        if not passed["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
            raise ClusterError("DATABASE_URL must point at PostgreSQL: instances share it.")
        return cls(
            root=Path(root).resolve(),
            port=port,
            ws_port=ws_port or port + 20,
            env=passed,
            instances=[],
            nginx_workers=nginx_workers,
        )

    @classmethod
    def load(cls, root):
        state = Path(root).resolve() / "state.json"
        if not state.exists():
            raise ClusterError(f"No cluster state in {state.parent}: is it running?")
        data = json.loads(state.read_text())
        data["root"] = Path(data["root"])
        data["instances"] = [
            Instance(item["number"], item["port"], item.get("generation", 1))
            for item in data["instances"]
        ]
        return cls(**data)

    def save(self):
        self.root.mkdir(parents=True, exist_ok=True)
        data = asdict(self) | {"root": str(self.root)}
        state = self.root / "state.json"
        # It holds DATABASE_URL and maybe a SECRET_KEY: readable by its owner only.
        state.touch(mode=0o600)
        state.write_text(json.dumps(data, indent=2))

    @property
    def nginx_dir(self):
        return self.root / "nginx"

    def base_env(self):
        return {
            "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": os.environ.get("HOME", "/tmp"),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # Plain HTTP on 127.0.0.1: production mode would demand HTTPS cookies. Static names
            # are hashed in every mode, which keeps nginx's immutable caching safe.
            "DEBUG": "false",
            # nginx sets X-Real-IP from the connection: per-address budgets count callers.
            "CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
            # One solc service for the machine, shared by every instance (compiler/daemon.py).
            "COMPILER_SOCKET": str(self.root / "solc.sock"),
            # The edge cache's hit rate in /metrics and the admin (operations/edge.py).
            "METRICS_EDGE_LOG": str(self.nginx_dir / "access.log"),
            **self.env,
        }

    def manage(self, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.base_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise ClusterError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")

    # The processes ---------------------------------------------------------------------------

    def processes(self) -> list[Process]:
        return [
            self.compiler_process(),
            *(self.instance_process(instance) for instance in self.instances),
            self.asgi_process(),
            self.nginx_process(),
            self.celery_process(),
        ]

    def compiler_process(self) -> Process:
        argv = compiler_argv(sys.executable)
        return Process("solc", argv, self.root / "compiler" / "compiler.log", "run_compiler")

    def instance_process(self, instance, generation=None) -> Process:
        """One generation of an instance (the current one by default)."""
        directory = self.generation_dir(instance, generation)
        socket = self.generation_socket(instance, generation)
        return Process(
            instance.name,
            gunicorn_argv(str(VENV_BIN / "gunicorn"), bind=instance.address, socket=socket),
            self.root / instance.name / "gunicorn.log",
            identity=f"--bind unix:{socket}",
            port=instance.port,
            ready="/ready",
            ready_socket=socket,
            env={
                "GUNICORN_BIND": instance.address,
                "GUNICORN_PROC_NAME": f"learning-solidity-{instance.name}",
                "GUNICORN_CONTROL_SOCKET": str(directory / "gunicorn.ctl"),
                "DRAIN_FILE": str(directory / "draining"),
                "PROMETHEUS_MULTIPROC_DIR": str(self.metrics_dir(instance, generation)),
                "GUNICORN_SHARED_PORT": "1",
            },
        )

    def asgi_process(self) -> Process:
        """/ws/ (rooms) behind nginx, as `make asgi` runs it."""
        argv = asgi_argv(
            str(VENV_BIN / "uvicorn"), host="127.0.0.1", port=self.ws_port, proxy="127.0.0.1"
        )
        log = self.root / "asgi" / "uvicorn.log"
        return Process(
            "asgi", argv, log, f"--port {self.ws_port}", port=self.ws_port, ready="/health",
            ready_timeout=60,
        )  # fmt: skip

    def nginx_process(self) -> Process:
        return Process(
            "nginx",
            self.nginx_command(),
            self.nginx_dir / "stderr.log",
            identity=str(self.nginx_dir),
            stage=EDGE,
            port=self.port,
            ready="/health",
            error_log=self.nginx_dir / "error.log",
            ready_timeout=15,
            stop_timeout=15,
            # Graceful: workers finish the requests they hold, then exit.
            stop_signal=signal.SIGQUIT,
            stops_first=True,  # so that nothing new arrives while the rest stop
        )

    def celery_process(self) -> Process:
        # Gossip, mingle and heartbeats talk to every worker on the broker: other clusters on
        # the same Redis are none of this one's business, and mingle alone costs a second.
        hostname = f"cluster-{self.port}@"
        options = [
            "--hostname", f"{hostname}%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat",
        ]  # fmt: skip
        argv = celery_worker_argv(str(VENV_BIN / "celery"), concurrency=1, options=options)
        return Process("celery", argv, self.root / "celery" / "celery.log", hostname, WORKERS)

    def process(self, name) -> Process:
        return next(process for process in self.processes() if process.name == name)

    def spawn(self, process: Process):
        if process.name == "nginx":
            self.write_nginx_config()
        self.pids[process.name] = process.start(env=self.base_env())

    def wait_ready(self, process: Process):
        process.wait_ready(self.pids.get(process.name))

    def alive(self, name) -> bool:
        return processes.alive(self.pids.get(name))

    def start(self, *, instances=3, prepare=True):
        if any(self.alive(name) for name in self.pids):
            raise ClusterError(f"A cluster already runs from {self.root}: stop it first.")
        self.instances = [Instance(n, self.port + n) for n in range(1, instances + 1)]
        self.nginx_slots = [instance.number for instance in self.instances]
        processes.require_free_ports([p.port for p in self.processes() if p.port])
        self.root.mkdir(parents=True, exist_ok=True)
        self.sockets_dir.mkdir(parents=True, exist_ok=True)
        if prepare:
            log("migrate and collectstatic")
            ensure_database(self.env["DATABASE_URL"])
            self.manage("migrate", "--no-input")
            self.manage("collectstatic", "--no-input", "--verbosity", "0")
        try:
            for stage in sorted({process.stage for process in self.processes()}):
                starting = [process for process in self.processes() if process.stage == stage]
                for process in starting:
                    self.spawn(process)
                self.save()
                for process in starting:
                    self.wait_ready(process)
                    if instance := self._instance_named(process.name):
                        self.point_slot(instance)
        finally:
            self.save()
        log(f"cluster up: http://127.0.0.1:{self.port}/ ({instances} instances)")

    def status(self):
        rows = []
        for process in self.processes():
            pid, alive = self.pids.get(process.name, 0), self.alive(process.name)
            note = ""
            if process.ready and alive:
                note = f"{process.ready} {processes.http_status(process.address, process.ready)}"
            if instance := self._instance_named(process.name):
                note += f" generation {instance.generation}"
                if not self.slot(instance.number).exists():
                    note += ", not in nginx's rotation"
            rows.append((process.name, process.port or "", pid, alive, note))
        return rows

    def stop(self):
        """The processes that stop first (nginx, so nothing new arrives), then all the others at
        once, so that their graceful stops overlap."""
        running = [process for process in self.processes() if self.pids.get(process.name)]
        for first in (True, False):
            group = [process for process in running if process.stops_first == first]
            processes.stop_all([(process, self.pids[process.name]) for process in group])
        self.pids.clear()
        for instance in self.instances:
            self._forget_generation(instance, instance.generation)
        if self.sockets_dir.exists():
            for leftover in self.sockets_dir.iterdir():
                leftover.unlink(missing_ok=True)
            self.sockets_dir.rmdir()
        (self.root / "state.json").unlink(missing_ok=True)

    # Operations ------------------------------------------------------------------------------

    def _instance_named(self, name) -> Instance | None:
        return next((i for i in self.instances if i.name == name), None)

    def instance(self, number) -> Instance:
        return next(i for i in self.instances if i.number == number)

    def pid(self, instance) -> int:
        return self.pids.get(instance.name, 0)

    def nginx_config(self):
        return NginxConfig(
            listen=f"127.0.0.1:{self.port}",
            app=[Upstream(f"unix:{self.slot(number)}") for number in self.nginx_slots],
            ws=[f"127.0.0.1:{self.ws_port}"],
            static_root=Path(self.env.get("STATIC_ROOT") or BASE_DIR / "staticfiles"),
            media_root=Path(self.env.get("MEDIA_ROOT") or BASE_DIR / "media"),
            prefix=self.nginx_dir,
            user=worker_user(),
            worker_processes=self.nginx_workers,
            brotli=brotli_available(),
            trusted_proxies=[a for a in self.env.get("TRUSTED_PROXIES", "").split(",") if a],
        )

    def write_nginx_config(self):
        for path in (self.nginx_dir / "temp", self.nginx_dir / "cache"):
            path.mkdir(parents=True, exist_ok=True)
        conf = self.nginx_dir / "nginx.conf"
        conf.write_text(self.nginx_config().render())
        result = subprocess.run(self.nginx_command("-t", "-q"), capture_output=True, text=True)
        if result.returncode:
            raise ClusterError(f"nginx rejected {conf}:\n{result.stderr}")

    def nginx_command(self, *args):
        return [
            NGINX,
            "-p",
            f"{self.nginx_dir}/",
            "-c",
            str(self.nginx_dir / "nginx.conf"),
            "-e",
            str(self.nginx_dir / "error.log"),
            *args,
        ]


def ensure_database(url):
    """Creates the database when it does not exist yet (a fresh machine); migrate does the rest."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"creating database {name}")
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", default=str(BASE_DIR / "var" / "cluster"))
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("start", help="migrate, collectstatic, start everything")
    start.add_argument("--instances", type=int, default=3)
    start.add_argument("--port", type=int, default=18000)
    start.add_argument("--ws-port", type=int)
    start.add_argument("--nginx-workers", default="auto")
    commands.add_parser("stop", help="stop everything gracefully")
    commands.add_parser("status", help="each process, its pid and readiness")
    commands.add_parser("restart", help="rolling restart, one instance at a time")
    scale = commands.add_parser("scale", help="add or remove instances")
    scale.add_argument("count", type=int)
    args = parser.parse_args(argv)

    try:
        if args.command == "start":
            cluster = Cluster.configure(
                root=args.dir,
                port=args.port,
                ws_port=args.ws_port,
                nginx_workers=args.nginx_workers,
            )
            try:
                cluster.start(instances=args.instances)
            except BaseException:
                log("start failed: stopping what did start")
                cluster.stop()
                raise
        elif args.command == "stop":
            if not (Path(args.dir) / "state.json").exists():
                log("nothing to stop")
                return 0
            Cluster.load(args.dir).stop()
            log("stopped")
        elif args.command == "status":
            for name, port, pid, alive, note in Cluster.load(args.dir).status():
                state = "running" if alive else "STOPPED"
                print(f"{name:<8} {port!s:<6} pid {pid:<8} {state:<8} {note}")
        elif args.command == "restart":
            Cluster.load(args.dir).restart()
            log("rolling restart done")
        elif args.command == "scale":
            Cluster.load(args.dir).scale(args.count)
            log(f"now {args.count} instances")
    except ClusterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
