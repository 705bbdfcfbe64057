"""Learning Solidity under load: a realistic mix of people with think time of 1-5 s.

- Visitors (anonymous) browse the home page, the catalog, courses, lessons, the leaderboard and
  profiles.
- Learners (demo learners from `manage.py seed_demo`) read lessons, complete them (passing an
  exercise with its reference solution, a repeated source the check cache answers), check the
  leaderboard and their profile, and compile exercises. Most come back with the session they
  already have (tests/load/run.py writes one per learner into LEARNERS_FILE): signing in hashes
  the password on purpose (Argon2id, ~20 ms of CPU here), which is not what a learner does every
  visit. LOGIN_SHARE of them (5 %) sign in through the form with the demo password.
- Room members read a room, poll its chat the way the page does (conditional GETs, 304 while
  nothing is new) and post messages.

The users are FastHttpUsers (geventhttpclient): they cost locust about a quarter of the CPU of
requests-based users, and locust shares the machine with the site it measures.

    locust -f tests/load/locustfile.py --host http://127.0.0.1:18000
"""

import csv
import itertools
import os
import random
import re
import socket
import uuid
from functools import cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests
from geventhttpclient.connectionpool import ConnectionPool
from locust import FastHttpUser, between, events, task
from requests.cookies import create_cookie

DEMO_PASSWORD = "learn-solidity"
LOGIN_SHARE = float(os.environ.get("LOGIN_SHARE", "0.05"))
LESSON_LINK = re.compile(r'href="/courses/([\w-]+)/([\w-]+)/"')
ROOM_LINK = re.compile(r'href="/rooms/([\w-]+)/"')

# Small contracts for /api/compile: the same few again and again (as learners run the same
# exercise), plus a unique one now and then that no cache can have seen.
CONTRACTS = [
    "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\n"
    f"contract Counter{n} {{\n    uint256 public count;\n"
    "    function increment() external { count += 1; }\n}\n"
    for n in range(5)
]


def _idle_socket_alive(pool, sock) -> bool:
    """Whether a pooled keep-alive connection may be used again: not closed by the server (no
    EOF) and nothing unread on it. geventhttpclient asks select(), which refuses a descriptor
    numbered 1024 or more ("filedescriptor out of range"), and takes that refusal for a dead
    connection: past ~1,000 users, locust dropped ~44 % of its live connections and opened new
    ones (a DNS lookup through gevent's thread pool, a TCP handshake at nginx): ~27 % of
    locust's samples in py-spy at 2,000 users. A non-blocking peek at the raw socket has no
    such limit (plain HTTP only: these users never speak TLS)."""
    if sock is None or sock.fileno() < 0:
        return False
    try:
        getattr(sock, "_sock", sock).recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return True  # idle and open
    except OSError:
        return False
    return False  # b"": the server closed it; data: a stray answer


ConnectionPool._is_socket_alive = _idle_socket_alive


# The token of every chat message the site acknowledged (200), written to ACKNOWLEDGED_FILE when
# locust quits: tests/load/run.py compares them with the messages stored.
ACKNOWLEDGED: list[str] = []


@events.quitting.add_listener
def write_acknowledged(environment, **kwargs):
    if path := os.environ.get("ACKNOWLEDGED_FILE"):
        Path(path).write_text("".join(f"{token}\n" for token in ACKNOWLEDGED))


class Site:
    """What there is to visit, found once through the site itself before the users start."""

    lessons: list[tuple[str, str]] = []
    courses: list[str] = []
    rooms: list[str] = []
    usernames: list[str] = []
    sessions = iter(())


@events.test_start.add_listener
def discover_the_site(environment, **kwargs):
    host = environment.host.rstrip("/")
    http = requests.Session()
    Site.courses = [c["slug"] for c in http.get(f"{host}/api/courses").json()["results"]]
    for course in Site.courses:
        Site.lessons += LESSON_LINK.findall(http.get(f"{host}/courses/{course}/").text)
    Site.rooms = sorted(set(ROOM_LINK.findall(http.get(f"{host}/rooms/").text)))
    board = http.get(f"{host}/api/leaderboard", params={"limit": 100}).json()["results"]
    Site.usernames = [row["username"] for row in board]
    if not (Site.lessons and Site.rooms and Site.usernames):
        raise RuntimeError("The site has no lessons, rooms or learners: seed it first.")
    learners_file = os.environ.get("LEARNERS_FILE")
    if learners_file and os.path.exists(learners_file):
        with open(learners_file, newline="") as file:
            Site.sessions = itertools.cycle(list(csv.reader(file)))


class Visitor(FastHttpUser):
    weight = 5
    wait_time = between(1, 5)

    @task(2)
    def home(self):
        self.client.get("/")

    @task(3)
    def catalog(self):
        self.client.get("/courses/")

    @task(3)
    def course(self):
        self.client.get(f"/courses/{random.choice(Site.courses)}/", name="/courses/[course]/")

    @task(6)
    def lesson(self):
        course, lesson = random.choice(Site.lessons)
        self.client.get(f"/courses/{course}/{lesson}/", name="/courses/[course]/[lesson]/")

    @task(2)
    def leaderboard(self):
        self.client.get("/leaderboard/")

    @task(1)
    def profile(self):
        self.client.get(f"/u/{random.choice(Site.usernames)}/", name="/u/[username]/")

    @task(1)
    def api_courses(self):
        self.client.get("/api/courses")


class SignedIn(FastHttpUser):
    abstract = True
    wait_time = between(1, 5)

    def on_start(self):
        username, session = next(Site.sessions, (None, None))
        if username is None or random.random() < LOGIN_SHARE:
            self.log_in(username or random.choice(Site.usernames))
        else:
            host = urlsplit(self.host).hostname
            self.client.cookiejar.set_cookie(create_cookie("sessionid", session, domain=host))
            self.username = username
        # Any page with a form sets the CSRF cookie that the POSTs below send back. It must be
        # the learner's page: a session that did not work would measure anonymous pages.
        with self.client.get(
            self.lesson_url(), name="/courses/[course]/[lesson]/", catch_response=True
        ) as response:
            if f">{self.username} · L" not in response.text:
                response.failure("not signed in: the page does not name the learner")

    def cookie(self, name):
        return next((c.value for c in self.client.cookiejar if c.name == name), None)

    def post_form(self, path, fields, **kwargs):
        headers = {"Content-Type": "application/x-www-form-urlencoded", **kwargs.pop("headers")}
        return self.client.post(path, data=urlencode(fields), headers=headers, **kwargs)

    def log_in(self, username):
        for _ in range(3):  # the form sets the CSRF cookie; a failed GET sets none
            self.client.get("/accounts/login/")
            if self.cookie("csrftoken"):
                break
        with self.post_form(
            "/accounts/login/",
            {"username": username, "password": DEMO_PASSWORD},
            headers={"X-CSRFToken": self.cookie("csrftoken") or ""},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
        self.username = username

    def csrf(self):
        if not self.cookie("csrftoken"):
            # The page that should have set it failed: as a browser would, load a page (every
            # signed-in page has the log-out form) rather than post without a token.
            self.read_lesson()
        return {"X-CSRFToken": self.cookie("csrftoken") or ""}

    def lesson_url(self):
        course, lesson = random.choice(Site.lessons)
        return f"/courses/{course}/{lesson}/"

    def read_lesson(self):
        course, lesson = random.choice(Site.lessons)
        self.client.get(f"/courses/{course}/{lesson}/", name="/courses/[course]/[lesson]/")
        return course, lesson


CURRICULUM = Path(__file__).resolve().parents[2] / "curriculum"


@cache
def solution_of(course, lesson) -> str | None:
    """The curriculum's reference solution, as a learner who got the exercise right sends it."""
    found = list(CURRICULUM.glob(f"*-{course}/*-{lesson}/solution.sol"))
    return found[0].read_text() if found else None


class Learner(SignedIn):
    weight = 4

    @task(6)
    def lesson(self):
        self.read_lesson()

    @task(2)
    def complete_lesson(self):
        # A lesson with an exercise is completed by passing its tests; one without, by the button.
        course, lesson = self.read_lesson()
        solution = solution_of(course, lesson)
        if solution is None:
            path, data, expected = f"/courses/{course}/{lesson}/complete/", {}, 302
            name = "/courses/[course]/[lesson]/complete/"
        else:
            path, data, expected = f"/courses/{course}/{lesson}/check/", {"code": solution}, 200
            name = "/courses/[course]/[lesson]/check/"
        with self.client.post(
            path,
            data=data,
            headers=self.csrf(),
            allow_redirects=False,
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code != expected:
                response.failure(f"completing answered {response.status_code}")

    @task(2)
    def course(self):
        self.client.get(f"/courses/{random.choice(Site.courses)}/", name="/courses/[course]/")

    @task(2)
    def leaderboard(self):
        self.client.get("/leaderboard/")

    @task(1)
    def own_profile(self):
        self.client.get(f"/u/{self.username}/", name="/u/[username]/")

    @task(1)
    def api_leaderboard(self):
        self.client.get(
            f"/api/leaderboard?limit=20&offset={random.randrange(0, 200, 20)}",
            name="/api/leaderboard",
        )

    @task(1)
    def compile(self):
        # Mostly repeated contracts (the compile cache), sometimes a unique one.
        repeated = random.random() < 0.8
        source = random.choice(CONTRACTS) if repeated else CONTRACTS[0] + f"// {uuid.uuid4()}\n"
        kind = "repeated" if repeated else "unique"
        with self.client.post(
            "/api/compile",
            json={"source": source},
            headers=self.csrf(),
            name=f"/api/compile [{kind}]",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"compile answered {response.status_code}")


class RoomMember(SignedIn):
    weight = 1

    def on_start(self):
        super().on_start()
        self.room = random.choice(Site.rooms)
        self.etag = None
        self.client.get(f"/rooms/{self.room}/", name="/rooms/[room]/")

    @task(6)
    def poll_chat(self):
        headers = {"HX-Request": "true"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        with self.client.get(
            f"/rooms/{self.room}/messages/",
            headers=headers,
            name="/rooms/[room]/messages/",
            catch_response=True,
        ) as response:
            if response.status_code in (200, 304):
                self.etag = response.headers.get("ETag", self.etag)
                response.success()
            else:
                response.failure(f"polling answered {response.status_code}")

    @task(1)
    def post_message(self):
        token = uuid.uuid4().hex[:12]  # tells this message apart from every other one
        body = random.choice(["gm", "Does this compile?", "Try uint256.", "Nice!"])
        with self.post_form(
            f"/rooms/{self.room}/messages/new/",
            {"body": f"{body} ({token})"},
            headers={"HX-Request": "true", **self.csrf()},
            name="/rooms/[room]/messages/new/",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"posting answered {response.status_code}")
            else:
                ACKNOWLEDGED.append(token)

    @task(1)
    def switch_room(self):
        self.room = random.choice(Site.rooms)
        self.etag = None
        self.client.get(f"/rooms/{self.room}/", name="/rooms/[room]/")
