"""Changing the local cluster (deploy/cluster.py) while it serves, without failing a request:
rolling restarts, scaling, and reviving an instance that died.

nginx reaches instance i through a unix socket, its slot (sockets/appi.sock): a symlink to the
socket of the instance's current generation. Every start of an instance is a new generation, with
its own socket, control socket, drain file and metrics directory, so two can run side by side.

None of these changes reloads nginx: a reload closes the learners' idle keep-alive connections,
and a request a client sends down one at that moment gets no answer (a browser retries a GET,
not a POST). Instead the slot's symlink is swapped (a new generation that already answers /ready
takes over) or removed (the instance leaves: nginx's connects fail before anything is sent, so
it tries the next instance whatever the method), then the old generation serves what is queued
on its own socket and stops gracefully. Only a slot nginx has never listed (scaling past the
largest size so far) needs a reload.
"""

import hashlib
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from deploy import processes
from deploy.processes import ProcessError as ClusterError


@dataclass
class Instance:
    number: int
    port: int
    # Each start of the instance is a new generation, with its own socket, control socket, drain
    # file and metrics: during a handover the two run side by side.
    generation: int = 1

    @property
    def name(self):
        return f"app{self.number}"

    @property
    def address(self):
        """Probes and /metrics; the balancer uses the slot (`Cluster.slot`)."""
        return f"127.0.0.1:{self.port}"


class Handovers:
    """The cluster's slots and generations, and the operations that move between them. Mixed
    into `Cluster`, whose processes, pids and state these use."""

    @property
    def sockets_dir(self) -> Path:
        # A unix socket's path holds at most 107 bytes: a deep checkout gets a short one.
        directory = self.root / "sockets"
        if len(str(directory)) > 72:
            digest = hashlib.sha1(str(self.root).encode()).hexdigest()[:12]
            directory = Path(tempfile.gettempdir()) / f"learning-solidity-{digest}"
        return directory

    def slot(self, number) -> Path:
        """What nginx connects to for instance `number`: a symlink to its current generation's
        socket, swapped atomically; absent while no generation of it serves."""
        return self.sockets_dir / f"app{number}.sock"

    def generation_socket(self, instance, generation=None) -> Path:
        return self.sockets_dir / f"{instance.name}-g{generation or instance.generation}.sock"

    def generation_dir(self, instance, generation=None) -> Path:
        return self.root / instance.name / f"g{generation or instance.generation}"

    def metrics_dir(self, instance, generation=None) -> Path:
        # On tmpfs where there is one (every request writes to these files), one per
        # generation: a new generation empties its own at start, never the one it replaces.
        base = Path("/dev/shm") if os.path.isdir("/dev/shm") else Path(tempfile.gettempdir())
        digest = hashlib.sha1(str(self.root).encode()).hexdigest()[:12]
        generation = generation or instance.generation
        return base / "learning-solidity-metrics" / f"{digest}-{instance.name}-g{generation}"

    def reload_nginx(self, timeout=20):
        """Applies the current slot list and returns once no old worker is left. A reload closes
        every idle keep-alive connection of the old workers: only scaling past every slot nginx
        knows does it."""
        self.write_nginx_config()
        nginx = self.pids["nginx"]
        old_workers = processes.children(nginx)
        os.kill(nginx, signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            current = processes.children(nginx)
            if current and not (current & old_workers):
                return
            time.sleep(0.05)
        raise ClusterError(f"nginx's old workers were still running after {timeout} s")

    def point_slot(self, instance):
        """nginx's next connection to the instance's slot reaches its current generation."""
        swap = self.sockets_dir / f".{instance.name}.swap"
        swap.unlink(missing_ok=True)
        swap.symlink_to(self.generation_socket(instance).name)
        swap.replace(self.slot(instance.number))  # rename(2): atomic for nginx's connect(2)

    def retire(self, instance, generation, pid, *, queue_timeout=30):
        """Stops a generation nginx can no longer reach: first it serves the connections that
        were queued on its socket before the slot moved (a stop would reset them: nginx does
        not retry a POST it has sent), then it finishes its requests in flight and exits. On a
        machine past its CPU knee that queue takes seconds to drain: 10 s was seen to run out
        (with 1000 users on 2 cores), so the wait is long, and says so when it gives up."""
        process = self.instance_process(instance, generation)
        socket = self.generation_socket(instance, generation)
        deadline = time.monotonic() + queue_timeout
        time.sleep(0.05)  # a connect(2) that resolved the old slot just before the swap lands
        while processes.alive(pid) and processes.pending_connections(socket):
            if time.monotonic() > deadline:
                queued = processes.pending_connections(socket)
                log(
                    f"{instance.name} g{generation}: {queued} connections still queued after "
                    f"{queue_timeout} s; stopping anyway"
                )
                break
            time.sleep(0.02)
        process.stop(pid)
        self._forget_generation(instance, generation)

    def _forget_generation(self, instance, generation):
        self.generation_socket(instance, generation).unlink(missing_ok=True)
        shutil.rmtree(self.metrics_dir(instance, generation), ignore_errors=True)
        shutil.rmtree(self.generation_dir(instance, generation), ignore_errors=True)

    def _start_generation(self, instance):
        """Starts the instance's next generation and returns once it answers /ready on its own
        socket; nginx does not reach it yet."""
        instance.generation += 1
        process = self.instance_process(instance)
        self.spawn(process)
        self.save()
        try:
            self.wait_ready(process)
        except BaseException:
            processes.kill_group(self.pids.pop(instance.name))
            self._forget_generation(instance, instance.generation)
            raise

    def replace(self, instance):
        """A new generation takes the instance's place with no failed request: it starts and
        answers /ready beside the old one, the slot moves to it, the old one is retired."""
        old_generation, old_pid = instance.generation, self.pid(instance)
        self._start_generation(instance)
        self.point_slot(instance)
        self.save()
        self.retire(instance, old_generation, old_pid)

    def restart(self):
        """Rolling restart: each instance replaced by its next generation, one at a time."""
        for instance in self.instances:
            log(f"restarting {instance.name}")
            self.replace(instance)

    def revive(self, instance):
        """Starts an instance whose process died (or was killed) and puts it back in rotation."""
        if self.alive(instance.name):
            raise ClusterError(f"{instance.name} is still running")
        dead_generation, dead_pid = instance.generation, self.pid(instance)
        processes.kill_group(dead_pid)
        self._start_generation(instance)
        self.point_slot(instance)
        self.save()
        self._forget_generation(instance, dead_generation)

    def scale(self, count):
        if count < 1:
            raise ClusterError("A cluster needs at least one instance")
        while len(self.instances) < count:
            number = max(i.number for i in self.instances) + 1
            instance = Instance(number, self.port + number, generation=0)
            processes.require_free_ports([instance.port])
            self.instances.append(instance)
            log(f"adding {instance.name}")
            self._start_generation(instance)
            self.point_slot(instance)
            if number not in self.nginx_slots:
                self.nginx_slots = [i.number for i in self.instances]
                self.reload_nginx()
            self.save()
        while len(self.instances) > count:
            instance = self.instances[-1]
            log(f"removing {instance.name}")
            # nginx keeps the slot in its list: connecting to it now fails before a request is
            # sent, so nginx moves on to the next instance (and skips this one for a while).
            self.slot(instance.number).unlink(missing_ok=True)
            self.instances.remove(instance)
            self.save()
            self.retire(instance, instance.generation, self.pids.pop(instance.name, 0))
            self.save()


def log(message):
    print(f"[cluster] {message}", flush=True)
