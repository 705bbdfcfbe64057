"""The compose topology in real containers, checked from outside, then torn down.

    python deploy/container_test.py [--port 18480] [--keep]

`make container-test` runs it once the images are built (deploy/local/build.sh), from a venv with
the `container` dependency group (podman-compose, PyYAML, websockets). It brings
deploy/docker-compose.yml up with podman (deploy/docker-compose.local.yml on top: images of Debian
packages) in production mode on 127.0.0.1:<port> and checks through nginx what a visitor and two
learners get: every page 200, hashed static files served as immutable, a compile and a graded
check by the real solc in the compiler container, a live room over a WebSocket, no process as
root. Whatever happens it then removes the containers, pod, network and volumes it made; --keep
leaves them up for a look (`--down` removes them).

Why the script starts the services itself: podman-compose honours `depends_on` conditions only
from podman 4.6 on, and podman runs health checks from systemd timers, which hosts without
systemd lack. So `up --no-start` creates everything from the compose files, and the services are
started here in dependency order, each condition waited for as compose would (`podman healthcheck
run` for service_healthy, the exit code for service_completed_successfully).
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import yaml
from websockets.sync.client import connect

BASE_DIR = Path(__file__).resolve().parent.parent
COMPOSE_FILES = [
    BASE_DIR / "deploy" / "docker-compose.yml",
    BASE_DIR / "deploy" / "docker-compose.local.yml",
]
PROJECT = "learning-solidity-test"
CONTAINERS_CONF = BASE_DIR / "deploy" / "local" / "containers.conf"
HEALTH_TIMEOUT = 180
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
IMMUTABLE = "public, max-age=31536000, immutable"


class Failed(Exception):
    pass


def say(message):
    print(message, flush=True)


# The stack ------------------------------------------------------------------------------------


@dataclass
class Stack:
    port: int
    compose_command: list[str]
    env: dict = field(default_factory=dict)

    @classmethod
    def configure(cls, port):
        podman_compose = shutil.which("podman-compose", path=os.path.dirname(sys.executable))
        podman_compose = podman_compose or shutil.which("podman-compose")
        if not podman_compose:
            raise Failed("podman-compose is not installed (make container-test installs it)")
        command = [podman_compose, "--project-name", PROJECT]
        for path in COMPOSE_FILES:
            command += ["--file", str(path)]
        origin = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "SECRET_KEY": secrets.token_urlsafe(64),
            "POSTGRES_PASSWORD": secrets.token_urlsafe(24),
            # Only on the loopback address: nothing outside this host reaches the stack.
            "HTTP_PORT": f"127.0.0.1:{port}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": origin,
            # No TLS terminator in front of nginx here: production mode over plain HTTP.
            "SECURE_SSL_REDIRECT": "false",
        }
        env.setdefault("CONTAINERS_CONF", str(CONTAINERS_CONF))
        return cls(port=port, compose_command=command, env=env)

    def compose(self, *args, check=True):
        command = [*self.compose_command, *args]
        result = subprocess.run(command, env=self.env, cwd=BASE_DIR, capture_output=True, text=True)
        if check and result.returncode:
            output = (result.stdout or "") + (result.stderr or "")
            raise Failed(f"podman-compose {' '.join(args)} failed:\n{output[-3000:]}")
        return result

    def podman(self, *args, check=True, timeout=60):
        result = subprocess.run(
            ["podman", *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if check and result.returncode:
            raise Failed(f"podman {' '.join(args)} failed: {result.stderr.strip()[-2000:]}")
        return result

    def services(self) -> dict:
        return yaml.safe_load(self.compose("config").stdout)["services"]

    def containers(self) -> dict:
        """Service name -> container name, for every container of this project."""
        listing = self.podman(
            "ps",
            "--all",
            "--format",
            "json",
            "--filter",
            f"label=io.podman.compose.project={PROJECT}",
        )
        found = {}
        for item in json.loads(listing.stdout or "[]"):
            service = item["Labels"].get("com.docker.compose.service")
            found[service] = item["Names"][0]
        return found

    def up(self):
        # --no-deps: no `podman --requires` links; the order is kept here (podman 4.3 also fails
        # to start a container whose required container has exited, as migrate does).
        self.compose("up", "--no-start", "--no-deps")
        services = self.services()
        containers = self.containers()
        missing = set(services) - set(containers)
        if missing:
            raise Failed(f"podman-compose created no container for {sorted(missing)}")
        met = set()
        for name in start_order(services):
            for dependency, condition in dependencies(services[name]).items():
                if (dependency, condition) not in met:
                    self.await_condition(dependency, containers[dependency], condition)
                    met.add((dependency, condition))
            self.podman("start", containers[name])
            say(f"  started {name}")
        return services, containers

    def await_condition(self, service, container, condition, timeout=HEALTH_TIMEOUT):
        deadline = time.monotonic() + timeout
        begun = time.monotonic()
        if condition == "service_completed_successfully":
            result = self.podman("wait", container, timeout=timeout)
            code = int(result.stdout.strip() or -1)
            if code != 0:
                raise Failed(f"{service} exited with {code}:\n{self.logs(container)}")
            say(f"  {service} completed after {time.monotonic() - begun:.1f} s")
            return
        while time.monotonic() < deadline:
            state = self.state(container)
            if state["Status"] == "exited":
                raise Failed(
                    f"{service} exited ({state['ExitCode']}) before it was {condition}:\n"
                    f"{self.logs(container)}"
                )
            if condition == "service_started" and state["Running"]:
                return
            if (
                condition == "service_healthy"
                and self.podman("healthcheck", "run", container, check=False).returncode == 0
            ):
                say(f"  {service} healthy after {time.monotonic() - begun:.1f} s")
                return
            time.sleep(1)
        raise Failed(f"{service} was not {condition} within {timeout} s:\n{self.logs(container)}")

    def state(self, container) -> dict:
        return json.loads(self.podman("inspect", "--format", "{{json .State}}", container).stdout)

    def logs(self, container, lines=40) -> str:
        result = self.podman("logs", "--tail", str(lines), container, check=False)
        return (result.stdout + result.stderr).rstrip()

    def inventory(self) -> dict:
        """Everything of this project's that podman holds: containers, pods, volumes, networks."""
        label = f"label=io.podman.compose.project={PROJECT}"
        lists = {
            "containers": ("ps", "--all", "--quiet", "--filter", label),
            "pods": ("pod", "ls", "--quiet", "--filter", f"name=^pod_{PROJECT}$"),
            "volumes": ("volume", "ls", "--quiet", "--filter", label),
            "networks": ("network", "ls", "--quiet", "--filter", label),
        }
        return {kind: self.podman(*args).stdout.split() for kind, args in lists.items()}

    def down(self) -> str:
        """Removes everything the project made and says what that was; raises if any remains."""
        made = self.inventory()
        if not any(made.values()):
            return ""
        self.compose("down", "--volumes", "--timeout", "10", check=False)
        # Whatever podman-compose left (a container it no longer knows from the files, say).
        left = self.inventory()
        if left["containers"]:
            self.podman("rm", "--force", "--volumes", *left["containers"], check=False)
        for kind in ("pods", "volumes", "networks"):
            if left[kind]:
                self.podman(kind[:-1], "rm", "--force", *left[kind], check=False)
        remaining = {kind: ids for kind, ids in self.inventory().items() if ids}
        if remaining:
            raise Failed(f"could not remove {remaining}")
        return ", ".join(f"{len(ids)} {kind}" for kind, ids in made.items() if ids)


def dependencies(service) -> dict:
    depends = service.get("depends_on") or {}
    if isinstance(depends, list):
        return dict.fromkeys(depends, "service_started")
    return {
        name: (spec or {}).get("condition", "service_started") for name, spec in depends.items()
    }


def start_order(services) -> list[str]:
    order, visiting = [], set()

    def visit(name):
        if name in order:
            return
        if name in visiting:
            raise Failed(f"depends_on has a cycle through {name}")
        visiting.add(name)
        for dependency in dependencies(services[name]):
            visit(dependency)
        visiting.discard(name)
        order.append(name)

    for name in services:
        visit(name)
    return order


# A browser-like client ------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


class Browser:
    """Cookies and CSRF as a browser keeps them; one connection per request."""

    def __init__(self, port):
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.cookies = {}

    def request(self, method, path, *, body=None, headers=None, timeout=30) -> Response:
        headers = {"Connection": "close", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Response(response.status, response.headers, text)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, form, **kwargs):
        if "csrftoken" not in self.cookies:
            self.get("/accounts/login/")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            "Origin": self.origin,
            **kwargs.pop("headers", {}),
        }
        return self.request("POST", path, body=urlencode(form), headers=headers, **kwargs)

    def post_json(self, path, data, **kwargs):
        headers = {"Content-Type": "application/json", "Origin": self.origin}
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        return self.request("POST", path, body=json.dumps(data), headers=headers, **kwargs)

    def sign_up(self, username, password):
        self.get("/accounts/signup/")
        response = self.post(
            "/accounts/signup/",
            {
                "username": username,
                "email": f"{username}@example.com",
                "password1": password,
                "password2": password,
            },
        )
        expect(response.status == 302, f"sign-up of {username} answered {response.status}")
        expect("sessionid" in self.cookies, "sign-up set no session cookie")


def expect(condition, message):
    if not condition:
        raise Failed(message)


# The checks -----------------------------------------------------------------------------------


@dataclass
class Site:
    port: int
    course: str = ""
    lesson: str = ""
    solution: str = ""
    starter: str = ""
    room: str = ""
    learners: list = field(default_factory=list)


def first_exercise():
    """The first lesson of the shipped curriculum that has an exercise: its slugs and files."""
    folder = re.compile(r"^\d+-(?P<slug>[a-z0-9-]+)$")
    for course in sorted(p for p in (BASE_DIR / "curriculum").iterdir() if p.is_dir()):
        for lesson in sorted(p for p in course.iterdir() if p.is_dir()):
            if (lesson / "solution.sol").exists():
                return (
                    folder.match(course.name)["slug"],
                    folder.match(lesson.name)["slug"],
                    (lesson / "solution.sol").read_text(),
                    (lesson / "starter.sol").read_text(),
                )
    raise Failed("the curriculum has no exercise")


def check_edge_ready(site):
    browser = Browser(site.port)
    deadline = time.monotonic() + 60
    while True:
        try:
            response = browser.get("/ready", timeout=5)
            if response.status == 200:
                body = json.loads(response.body)
                # "degraded": it serves without something (Redis); here everything must answer.
                expect(body.get("status") == "ready", f"/ready says {response.body}")
                return f"/ready through nginx: {body['status']}"
        except OSError:
            response = None
        if time.monotonic() > deadline:
            raise Failed(f"/ready through nginx answered {response and response.status}")
        time.sleep(1)


def check_anonymous_pages(site):
    browser = Browser(site.port)
    paths = [
        "/",
        "/courses/",
        f"/courses/{site.course}/",
        f"/courses/{site.course}/{site.lesson}/",
        "/leaderboard/",
        "/rooms/",
        "/search/?q=mapping",
        "/accounts/login/",
        "/accounts/signup/",
        "/admin/login/",
        "/api/courses",
        "/api/leaderboard?limit=10",
        "/sw.js",
        "/health",
        "/ready",
    ]
    return check_pages(browser, paths)


def check_pages(browser, paths):
    failures = []
    for path in paths:
        response = browser.get(path)
        if response.status != 200:
            failures.append(f"{path}: {response.status}")
        elif response.headers.get_content_type() == "text/html" and "/static/" in response.body:
            unhashed = [u for u in static_urls(response.body) if not HASHED.search(u)]
            if unhashed:
                failures.append(f"{path}: unhashed static URLs {unhashed}")
    expect(not failures, "pages not 200: " + "; ".join(failures))
    return f"{len(paths)} pages 200"


def static_urls(html):
    return sorted(set(re.findall(r"""(?:src|href|data-editor)="(/static/[^"]+)\"""", html)))


def check_static_files(site):
    """Every static file the home, a lesson and a room load: hashed, immutable, compressed."""
    browser = site.learners[0]["browser"]
    urls = set()
    for path in ("/", f"/courses/{site.course}/{site.lesson}/", f"/rooms/{site.room}/"):
        urls |= set(static_urls(browser.get(path).body))
    urls = sorted(urls)
    for name in ("css/site.", "dist/site.", "dist/editor.", "vendor/htmx.min.", "js/room-live."):
        expect(any(f"/static/{name}" in url for url in urls), f"no page loads {name}*: {urls}")
    for url in urls:
        expect(HASHED.search(url), f"{url} is not a hashed name")
        response = browser.get(url, headers={"Accept-Encoding": "gzip"})
        expect(response.status == 200, f"{url}: {response.status}")
        cache = response.headers.get("Cache-Control")
        expect(cache == IMMUTABLE, f"{url}: Cache-Control {cache!r}")
        expect(
            response.headers.get("Content-Encoding") == "gzip",
            f"{url}: not served gzipped (collectstatic's .gz copy)",
        )
        expect("X-Cache" not in response.headers, f"{url} went past nginx's static location")
    # The editor's chunks are imported by hashed relative names too (core/staticfiles.py).
    editor = next(url for url in urls if "/dist/editor." in url)
    imports = sorted(set(re.findall(r'"\./(chunks/[^"]+)"', browser.get(editor).body)))
    expect(imports, "editor.js imports no chunk")
    for chunk in imports:
        url = editor.rsplit("/", 1)[0] + "/" + chunk
        response = browser.get(url)
        expect(HASHED.search(chunk), f"editor.js imports an unhashed {chunk}")
        expect(response.status == 200, f"{url}: {response.status}")
        cache = response.headers.get("Cache-Control")
        expect(cache == IMMUTABLE, f"{url}: Cache-Control {cache!r}")
    unhashed = browser.get("/static/dist/site.js")
    expect(unhashed.status == 404, f"the unhashed /static/dist/site.js answered {unhashed.status}")
    return (
        f"{len(urls)} hashed files 200, gzip, {IMMUTABLE!r}; editor imports {len(imports)} "
        "hashed chunks; unhashed name 404"
    )


def check_learner_pages(site):
    learner = site.learners[0]
    browser = learner["browser"]
    title = f"Container check {secrets.token_hex(3)}"
    started = browser.post("/rooms/", {"title": title})
    expect(started.status == 302, f"starting a room answered {started.status}")
    site.room = started.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    joined = site.learners[1]["browser"].post(f"/rooms/{site.room}/join/", {})
    expect(joined.status in (200, 302), f"joining the room answered {joined.status}")
    paths = [
        "/",
        "/courses/",
        f"/courses/{site.course}/",
        f"/courses/{site.course}/{site.lesson}/",
        "/leaderboard/",
        f"/u/{learner['username']}/",
        "/rooms/",
        f"/rooms/{site.room}/",
        f"/rooms/{site.room}/messages/",
        "/accounts/password/",
        "/accounts/avatar/",
    ]
    result = check_pages(browser, paths)
    return f"signed up 2 learners, started room {site.room}; {result} signed in"


def check_compile(site):
    source = (
        "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.24;\n"
        f"contract Counter{secrets.token_hex(3)} {{\n"
        "    uint256 public count;\n    function increment() external { count += 1; }\n}\n"
    )
    browser = Browser(site.port)
    first = browser.post_json("/api/compile", {"source": source}, timeout=60)
    expect(first.status == 200, f"/api/compile answered {first.status}: {first.body[:300]}")
    body = json.loads(first.body)
    expect(body["ok"], f"the compile failed: {body.get('errors')}")
    (name, contract), *_ = body["contracts"].items()
    expect(len(contract["bytecode"]) > 100, f"{name} compiled to no bytecode")
    expect(
        any(item.get("name") == "increment" for item in contract["abi"]), "the ABI lacks increment"
    )
    again = json.loads(browser.post_json("/api/compile", {"source": source}).body)
    expect(again["cached"], "the same source again was not answered from the cache")
    broken = json.loads(browser.post_json("/api/compile", {"source": source[:-3]}).body)
    expect(not broken["ok"] and broken["errors"], "a broken source compiled")
    return (
        f"{name}: {len(contract['bytecode']) // 2} bytes by solc {body['compiler']} in "
        f"{body['ms']} ms; again: cached; a syntax error: {broken['errors'][0]['message']!r}"
    )


def check_graded(site):
    browser = site.learners[0]["browser"]
    path = f"/courses/{site.course}/{site.lesson}/check/"
    starter = browser.post(path, {"code": site.starter}, timeout=60)
    expect(starter.status == 200, f"checking the starter answered {starter.status}")
    expect("✓</p>" not in starter.body, "the starter code passed the exercise")
    solution = browser.post(path, {"code": site.solution}, timeout=60)
    expect(solution.status == 200, f"checking the solution answered {solution.status}")
    verdict = re.search(r"(\d+) of (\d+) tests? passed ✓", solution.body)
    expect(verdict and verdict[1] == verdict[2], "the reference solution did not pass every test")
    expect("Lesson complete" in solution.body, "passing did not complete the lesson")
    profile = browser.get(f"/u/{site.learners[0]['username']}/")
    expect(profile.status == 200, f"the profile answered {profile.status}")
    return f"{site.course}/{site.lesson}: starter fails, reference solution {verdict[0]}"


def check_websocket(site):
    """Both learners open the room's socket through nginx; one chats, the other hears it."""
    body = f"live over the edge {secrets.token_hex(4)}"
    with contextlib.ExitStack() as stack:
        sockets = []
        for learner in site.learners:
            socket_ = stack.enter_context(
                connect(
                    f"ws://127.0.0.1:{site.port}/ws/rooms/{site.room}/",
                    origin=f"http://127.0.0.1:{site.port}",
                    additional_headers={
                        "Cookie": f"sessionid={learner['browser'].cookies['sessionid']}"
                    },
                    open_timeout=10,
                )
            )
            welcome = frame_of(socket_, "welcome")
            expect(welcome["me"] == learner["username"], f"welcomed as {welcome['me']}")
            sockets.append(socket_)
        sender, receiver = sockets
        sender.send(json.dumps({"type": "chat", "body": body, "ref": "c1"}))
        expect(frame_of(sender, "ack")["ref"] == "c1", "no ack for the chat message")
        heard = frame_of(receiver, "chat")["message"]
        expect(body in json.dumps(heard), f"the other learner got {heard}")
    # The room page (personal, never from the edge's cache) lists what was saved.
    room = site.learners[1]["browser"].get(f"/rooms/{site.room}/")
    expect(body in room.body, "the chat message is not on the room page: it was not saved")
    return "2 learners in a room: ack to the sender, broadcast to the other, saved"


def frame_of(socket_, kind, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(socket_.recv(timeout=max(0.1, deadline - time.monotonic())))
        if frame["type"] == kind:
            return frame
        if frame["type"] == "error":
            raise Failed(f"error frame while waiting for {kind}: {frame}")


def check_users(stack, containers):
    """Every long-running container runs its processes as a user that is not root."""
    users = {}
    for service, container in sorted(containers.items()):
        if service == "migrate":
            continue
        top = stack.podman("top", container, "user", check=False).stdout.split()[1:]
        expect(top, f"{service}: no processes")
        expect("root" not in top and "0" not in top, f"{service} runs processes as root")
        users[service] = sorted(set(top))[0]
    grouped = {}
    for service, user in users.items():
        grouped.setdefault(user, []).append(service)
    return "; ".join(f"{user}: {', '.join(names)}" for user, names in sorted(grouped.items()))


# Running it -----------------------------------------------------------------------------------


def run_checks(stack, containers):
    course, lesson, solution, starter = first_exercise()
    site = Site(port=stack.port, course=course, lesson=lesson, solution=solution, starter=starter)
    checks = [
        ("edge ready", lambda: check_edge_ready(site)),
        ("pages, visitor", lambda: check_anonymous_pages(site)),
        ("learners", lambda: sign_up_learners(site)),
        ("pages, learner", lambda: check_learner_pages(site)),
        ("static files", lambda: check_static_files(site)),
        ("compile", lambda: check_compile(site)),
        ("graded check", lambda: check_graded(site)),
        ("websocket room", lambda: check_websocket(site)),
        ("non-root", lambda: check_users(stack, containers)),
    ]
    failed = 0
    for name, check in checks:
        started = time.monotonic()
        try:
            detail = check()
        except Exception as exc:  # any error is this check failing; the others still run
            failed += 1
            say(f"FAIL {name} ({time.monotonic() - started:.1f} s): {type(exc).__name__}: {exc}")
            if name in ("edge ready", "learners"):
                break  # nothing after these can pass
        else:
            say(f"ok   {name} ({time.monotonic() - started:.1f} s): {detail}")
    return failed


def sign_up_learners(site):
    for _ in range(2):
        username = f"container{secrets.token_hex(3)}"
        browser = Browser(site.port)
        browser.sign_up(username, f"{secrets.token_urlsafe(12)}-Aa1")
        site.learners.append({"username": username, "browser": browser})
    return ", ".join(learner["username"] for learner in site.learners)


def free_port(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=18480)
    parser.add_argument("--keep", action="store_true", help="leave the stack up afterwards")
    parser.add_argument("--down", action="store_true", help="only remove a kept stack")
    args = parser.parse_args(argv)
    begun = time.monotonic()
    stack = Stack.configure(args.port)

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    if args.down:
        say(f"removed: {stack.down() or 'nothing was left'}")
        return 0
    failed = 1
    try:
        removed = stack.down()  # what an interrupted run or --keep left behind
        if removed:
            say(f"removed a previous run's {removed}")
        if not free_port(args.port):
            raise Failed(f"127.0.0.1:{args.port} is taken: pass --port")
        say(f"== up: {PROJECT} on http://127.0.0.1:{args.port}/ (production mode)")
        started = time.monotonic()
        _, containers = stack.up()
        say(f"  all {len(containers)} services started in {time.monotonic() - started:.1f} s")
        say("== checks from outside, through nginx")
        failed = run_checks(stack, containers)
        if failed:
            say("== logs of the services")
            for service, container in sorted(containers.items()):
                say(f"-- {service}\n{stack.logs(container, lines=15)}")
    except Failed as exc:
        say(f"FAIL bring-up: {exc}")
    except KeyboardInterrupt:
        say("interrupted")
    finally:
        if args.keep and not failed:
            say(f"kept up on http://127.0.0.1:{args.port}/ (remove: {sys.argv[0]} --down)")
        else:
            started = time.monotonic()
            try:
                removed = stack.down()
                say(
                    f"== down: removed {removed or 'nothing'} in {time.monotonic() - started:.1f} s"
                )
            except Failed as exc:
                failed += 1
                say(f"FAIL down: {exc}")
    verdict = "FAILED" if failed else "PASSED"
    say(f"{verdict}: {failed} failed; total {time.monotonic() - begun:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
