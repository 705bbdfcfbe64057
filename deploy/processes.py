"""Starting, watching and stopping processes by pid, never by name: the one launcher of the local
cluster, the tests' and the benchmarks' servers."""

import http.client
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path


class ProcessError(Exception):
    """A process did not start, or did not become ready."""


@dataclass(frozen=True)
class Process:
    """One process as data: what it runs, where it logs, how it is known ready, and how a pid is
    known still to be it. Started, awaited and stopped by the functions below."""

    name: str
    argv: list[str]
    log: Path
    # A part of the command line that /proc/<pid>/cmdline keeps: a recorded pid is signalled only
    # while it still runs this process (pids are reused).
    identity: str
    stage: int = 0  # the local cluster starts its processes stage by stage
    port: int | None = None
    ready: str | None = None  # a path that answers 200 on 127.0.0.1:port once it serves
    # Where `ready` is asked when not on the port: a unix socket only this process listens on
    # (two generations of a web instance share its port while one hands over to the other).
    ready_socket: Path | None = None
    env: dict = field(default_factory=dict)  # on top of the environment it is started with
    error_log: Path | None = None  # where it explains a failed start, when not in `log`
    ready_timeout: float = 90
    stop_signal: int = signal.SIGTERM
    stop_timeout: float = 30
    stops_first: bool = False  # stopped, and gone, before the others are signalled

    def __post_init__(self):
        if self.identity not in " ".join(self.argv):
            raise ValueError(f"{self.name}: {self.identity!r} is not in its command line")

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    @property
    def ready_address(self):
        return f"unix:{self.ready_socket}" if self.ready_socket else self.address

    def start(self, *, env) -> int:
        return spawn(self.argv, env=env | self.env, log=self.log)

    def wait_ready(self, pid):
        if self.ready:
            wait_for_answer(
                self.name, pid, self.ready_address, self.ready,
                log=self.error_log or self.log, timeout=self.ready_timeout,
            )  # fmt: skip

    def stop(self, pid):
        terminate(pid, token=self.identity, timeout=self.stop_timeout, sig=self.stop_signal)


def stop_all(running):
    """Stops every (Process, pid) at once, so that their graceful stops overlap."""
    for sig in {process.stop_signal for process, _ in running}:
        targets = [(pid, p.identity) for p, pid in running if p.stop_signal == sig]
        timeout = max(p.stop_timeout for p, _ in running if p.stop_signal == sig)
        terminate_all(targets, timeout=timeout, sig=sig)


def spawn(command, *, env, log: Path) -> int:
    """Starts a detached process in a session (and process group) of its own, so that it
    outlives the runner and a signal to the group reaches its children and nothing else."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as output:
        process = subprocess.Popen(
            command,
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process.pid


def _reap(pid):
    """Collects the exit status when the pid is our child, so a dead child is not a zombie."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return done == pid


def alive(pid) -> bool:
    if not pid or _reap(pid):
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def is_ours(pid, token) -> bool:
    """The pid still runs the command we started (its command line holds `token`)."""
    try:
        return token in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (FileNotFoundError, ProcessLookupError):
        return False


def terminate(pid, *, token, timeout, sig=signal.SIGTERM):
    """Graceful stop of the process, then SIGKILL for its whole group past the timeout."""
    terminate_all([(pid, token)], timeout=timeout, sig=sig)


def terminate_all(targets, *, timeout, sig=signal.SIGTERM):
    """Signals every (pid, token) at once, so their graceful stops overlap, then waits."""
    signalled = []
    for pid, token in targets:
        if not alive(pid):
            signalled.append(pid)  # dead already: only its group may be left
        elif is_ours(pid, token):
            os.kill(pid, sig)
            signalled.append(pid)
        # else: the pid now belongs to some other program; not ours to touch
    deadline = time.monotonic() + timeout
    while any(alive(pid) for pid in signalled) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in signalled:
        # A group id is never handed out while its group has members, so these are ours.
        kill_group(pid)


def kill_group(pid):
    """Whatever is left in the group the process led (workers orphaned by a killed master)."""
    if not pid:
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + 5
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def children(pid) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
            found.add(int(entry.name))
    return found


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("127.0.0.1", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def http_status(address, path, timeout=2.0):
    """The status of a GET, or None when nothing answers. `address` is host:port or
    unix:/path/to/socket."""
    if address.startswith("unix:"):
        connection = UnixHTTPConnection(address.removeprefix("unix:"), timeout)
    else:
        host, port = address.rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        connection.close()


def wait_for_answer(name, pid, address, path, *, log: Path, timeout):
    """Returns once `path` answers 200 at `address`; raises ProcessError with the end of the
    process's log when it exits first or does not answer within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while http_status(address, path) != 200:
        if not alive(pid):
            raise ProcessError(f"{name} exited while starting; the end of its log:\n" + tail(log))
        if time.monotonic() > deadline:
            raise ProcessError(f"{name} did not answer {path} within {timeout} s:\n" + tail(log))
        time.sleep(0.1)


def pending_connections(socket_path) -> int | None:
    """Connections waiting in a listening unix socket's queue (ss's Recv-Q), None when nothing
    listens there."""
    listed = subprocess.run(
        ["ss", "-xlnH", "src", str(socket_path)], capture_output=True, text=True, check=False
    ).stdout.split()
    # u_str LISTEN <queued> <backlog> <path> <inode> * 0
    return int(listed[2]) if len(listed) > 4 and listed[4] == str(socket_path) else None


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def ports_in_use(ports) -> list[int]:
    return [port for port in ports if not port_is_free(port)]


def require_free_ports(ports):
    if taken := ports_in_use(ports):
        raise ProcessError(f"Something already listens on 127.0.0.1 port(s) {taken}")


def free_port(first: int, last: int) -> int:
    for port in range(first, last + 1):
        if port_is_free(port):
            return port
    raise ProcessError(f"no free port in {first}-{last}")


def rss_mb(pid) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    kilobytes = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(kilobytes.split()[1]) / 1024


def tail(path: Path, lines=40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return f"({path} does not exist)"
