"""The cluster as it runs in production, on 127.0.0.1: nginx, three gunicorn instances and a
Celery worker started by deploy/cluster.py on a database of their own, under real traffic."""

import json
import os
import re
import signal
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg
import pytest
from websockets.sync.client import connect

from courses.curriculum import read_curriculum
from deploy import processes
from deploy.cluster import BASE_DIR, Cluster
from tests.deploy.ports import port
from tests.deploy.traffic import Browser, Call, Traffic, get, upstreams_in_log
from tests.workers import worker_suffix

pytestmark = pytest.mark.cluster

PORT = port(60)  # nginx; the instances on the next ports, the ASGI server at +20
DEMO_PASSWORD = "learn-solidity"


def _cluster_database_url():
    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"test_{url.path.lstrip('/')}_cluster{worker_suffix().replace('-', '_')}"
    return url._replace(path=f"/{name}").geturl()


def _admin_sql(url, *statements):
    with psycopg.connect(urlsplit(url)._replace(path="/postgres").geturl(), autocommit=True) as db:
        for statement in statements:
            db.execute(statement)


@pytest.fixture(scope="module")
def cluster():
    database_url = _cluster_database_url()
    name = urlsplit(database_url).path.lstrip("/")
    root = BASE_DIR / "var" / f"cluster-test{worker_suffix()}"
    if (root / "state.json").exists():
        Cluster.load(root).stop()  # left behind by an interrupted run: it holds the ports
    _admin_sql(
        database_url,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}"',
    )
    cluster = Cluster.configure(
        root=root,
        port=PORT,
        env={
            "DATABASE_URL": database_url,
            "REDIS_URL": os.environ["REDIS_URL"],
            "CACHE_KEY_PREFIX": f"cluster-test-{os.getpid()}",
            **TRAFFIC_ENV,
        },
        nginx_workers="1",
    )
    with running(cluster, database_url):
        yield cluster


# The traffic lanes are a few learners from 127.0.0.1 writing as fast as they can: the budgets
# of checks, posts and rooms, per learner and per address, are not what these tests are about.
TRAFFIC_ENV = {
    "COMPILER_RATE_LIMIT_PER_MINUTE": "0",
    "CHAT_POSTS_PER_IP_PER_MINUTE": "0",
    "ROOMS_STARTED_PER_IP_PER_HOUR": "0",
    "CHAT_POSTS_PER_LEARNER_PER_MINUTE": "0",
}


@contextmanager
def running(cluster, database_url):
    """The cluster started with 3 instances and demo data; stopped and its database dropped."""
    name = urlsplit(database_url).path.lstrip("/")
    try:
        cluster.start(instances=3)
        cluster.manage("seed_demo", "--allow-production", "--users", "20")
        yield cluster
    finally:
        cluster.stop()
        _admin_sql(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(cluster):
    return site_of(cluster)


def site_of(cluster):
    """Slugs and a demo learner from the cluster's own database."""
    with psycopg.connect(cluster.env["DATABASE_URL"]) as db:
        course, lesson = db.execute(
            "SELECT c.slug, l.slug FROM courses_lesson l JOIN courses_course c"
            " ON c.id = l.course_id ORDER BY l.position LIMIT 1"
        ).fetchone()
        (room,) = db.execute("SELECT slug FROM collaboration_room LIMIT 1").fetchone()
        usernames = [
            row[0]
            for row in db.execute(
                "SELECT username FROM accounts_user WHERE username LIKE 'learner%'"
                " ORDER BY id LIMIT 3"
            )
        ]
    return {"course": course, "lesson": lesson, "room": room, "learners": usernames}


def _edge(cluster):
    return f"127.0.0.1:{cluster.port}"


def _reads(site):
    course, lesson = site["course"], site["lesson"]
    return [
        get("/"),
        get("/courses/"),
        get(f"/courses/{course}/"),
        get(f"/courses/{course}/{lesson}/"),
        get("/leaderboard/"),
        get("/api/courses"),
        get("/api/leaderboard?limit=10"),
        get(f"/rooms/{site['room']}/"),
        get("/health"),
    ]


def _solution(course, lesson) -> str:
    """The curriculum's reference solution of a lesson, as a learner who got it right sends it."""
    for found in read_curriculum():
        if found.slug == course:
            return next(item.solution for item in found.lessons if item.slug == lesson)
    raise LookupError(f"{course}/{lesson} is not in the curriculum")


def _writes(site, tag):
    """A learner posting chat messages (htmx) and passing a lesson's exercise, over and over."""
    room, course, lesson = site["room"], site["course"], site["lesson"]
    solution = _solution(course, lesson)
    return [
        Call(
            lambda n: ("POST", f"/rooms/{room}/messages/new/", {"body": f"{tag}-{n}"}),
            expected=200,
            headers={"HX-Request": "true"},
        ),
        Call(
            lambda n: ("POST", f"/courses/{course}/{lesson}/check/", {"code": solution}),
            expected=200,
        ),
    ]


def _lanes(cluster, site, *, tag=None, readers=3, keep_alive=False):
    """Readers, and with `tag` a signed-in writer; with `keep_alive` each reuses one connection
    to nginx, as browsers and locust do, so nginx closing idle connections would show."""
    lanes = [(Browser(_edge(cluster), keep_alive=keep_alive), _reads(site)) for _ in range(readers)]
    if tag:
        writer = Browser(_edge(cluster), keep_alive=keep_alive)
        writer.log_in(site["learners"][0], DEMO_PASSWORD)
        lanes.append((writer, _writes(site, tag)))
    return lanes


def _assert_every_acknowledged_message_stored_once(cluster, traffic, tag):
    posted = [o for o in traffic.outcomes if o.path.endswith("/messages/new/")]
    acknowledged = {
        int(o.form_body.rsplit("-", 1)[1]) for o in posted if not o.failed and o.form_body
    }
    stored = _messages_tagged(cluster, tag)
    assert len(stored) == len(set(stored)), "a message was applied twice"
    assert acknowledged <= set(stored), "an acknowledged message was lost"
    return posted, stored


def _messages_tagged(cluster, tag):
    with psycopg.connect(cluster.env["DATABASE_URL"]) as db:
        return sorted(
            int(body.rsplit("-", 1)[1])
            for (body,) in db.execute(
                "SELECT body FROM collaboration_chatmessage WHERE body LIKE %s", [f"{tag}-%"]
            )
        )


def _report(name, traffic):
    print(f"\n{name}: {traffic.summary()}")
    for failure in traffic.failures[:10]:
        print(f"  {failure}")


def test_a_learner_logged_in_through_one_instance_stays_logged_in_on_the_others(cluster, site):
    username = site["learners"][1]
    first, *others = cluster.instances
    browser = Browser(first.address)
    browser.log_in(username, DEMO_PASSWORD)

    for instance in [first, *others]:
        browser.host, browser.port = "127.0.0.1", instance.port
        response = browser.get("/accounts/password/")
        assert response.status == 200, f"{instance.name} did not know the session"
        assert username in response.body

    browser.host, browser.port = "127.0.0.1", cluster.port
    assert browser.get("/accounts/password/").status == 200


def test_killing_an_instance_under_load_fails_no_get_and_loses_no_acknowledged_write(cluster, site):
    victim = cluster.instance(2)
    log = cluster.nginx_dir / "access.log"
    logged_before = len(upstreams_in_log(log))
    nginx_pid = cluster.pids["nginx"]
    nginx_workers = processes.children(nginx_pid)

    lanes = _lanes(cluster, site, tag="killed", readers=4, keep_alive=True)
    with Traffic(lanes) as traffic:
        time.sleep(1.5)
        os.killpg(cluster.pid(victim), signal.SIGKILL)
        time.sleep(3)
        cluster.revive(victim)
        time.sleep(1.5)
    _report("SIGKILL and revival", traffic)

    assert traffic.count("GET") > 100
    assert traffic.count("POST") > 10
    # Only a POST the killed process held may fail: nginx does not send a write twice.
    assert [o for o in traffic.failures if o.method != "POST"] == []
    _assert_every_acknowledged_message_stored_once(cluster, traffic, "killed")
    time.sleep(1.5)  # nginx flushes its access log every second
    retried = [ups for ups in upstreams_in_log(log)[logged_before:] if len(ups) > 1]
    # A request met the dead instance when nginx retried it elsewhere, or, a POST, failed.
    lost_posts = [o for o in traffic.failures if o.method == "POST"]
    assert retried or lost_posts, "no request met the dead instance: the test proved nothing"
    print(f"  retried on another instance: {len(retried)}; POSTs failed: {len(lost_posts)}")
    # The revival put the new generation behind the same slot: nginx was not reloaded.
    assert processes.children(nginx_pid) == nginx_workers
    assert processes.http_status(victim.address, "/ready") == 200


def test_a_rolling_restart_under_load_fails_no_request_of_any_kind(cluster, site):
    pids_before = {i.number: cluster.pid(i) for i in cluster.instances}
    nginx_workers = processes.children(cluster.pids["nginx"])

    lanes = _lanes(cluster, site, tag="rolling", readers=4, keep_alive=True)
    with Traffic(lanes) as traffic:
        time.sleep(1)
        cluster.restart()
        time.sleep(1)
    _report("rolling restart", traffic)

    assert traffic.count("GET") > 100
    assert traffic.count("POST") > 20
    assert traffic.failures == []
    assert all(cluster.pid(i) != pids_before[i.number] for i in cluster.instances)
    assert all(not processes.alive(pid) for pid in pids_before.values())
    # The learners' kept-alive connections were never closed under them: no reload.
    assert processes.children(cluster.pids["nginx"]) == nginx_workers
    posted, stored = _assert_every_acknowledged_message_stored_once(cluster, traffic, "rolling")
    assert len(stored) == len(posted), "a write was lost or applied twice"


def test_adding_a_fourth_instance_and_reloading_nginx_fails_no_request(cluster, site):
    log = cluster.nginx_dir / "access.log"

    with Traffic(_lanes(cluster, site, tag="scale")) as traffic:
        time.sleep(1)
        cluster.scale(4)
        logged_before = len(upstreams_in_log(log))
        time.sleep(3)
    _report("scale to 4", traffic)

    assert len(cluster.instances) == 4
    assert traffic.count("GET") > 100
    assert traffic.count("POST") > 10
    assert traffic.failures == []
    time.sleep(1.5)
    served_by = {ups[-1] for ups in upstreams_in_log(log)[logged_before:]}
    assert f"unix:{cluster.slot(4)}" in served_by


def test_scaling_down_under_load_fails_no_request_and_keeps_nginx_running_as_it_was(cluster, site):
    if len(cluster.instances) < 4:
        cluster.scale(4)
    leaving = cluster.instance(4)
    leaving_pid = cluster.pid(leaving)
    nginx_workers = processes.children(cluster.pids["nginx"])
    log = cluster.nginx_dir / "access.log"

    lanes = _lanes(cluster, site, tag="scale-down", readers=4, keep_alive=True)
    with Traffic(lanes) as traffic:
        time.sleep(1.5)
        cluster.scale(3)
        # Every request app4 served ended before scale() returned (it stopped app4), but nginx
        # writes its access log every second (buffer=64k flush=1s in deploy/nginx.conf): its
        # last lines may land after that. What is logged from here on was sent after it.
        time.sleep(1.2)
        logged_before = len(upstreams_in_log(log))
        time.sleep(2)
    _report("scale down to 3", traffic)

    assert [i.number for i in cluster.instances] == [1, 2, 3]
    assert not processes.alive(leaving_pid)
    assert traffic.count("GET") > 100
    assert traffic.count("POST") > 10
    assert traffic.failures == []
    assert processes.children(cluster.pids["nginx"]) == nginx_workers
    posted, stored = _assert_every_acknowledged_message_stored_once(cluster, traffic, "scale-down")
    assert len(stored) == len(posted)
    time.sleep(1.5)
    served_by = {ups[-1] for ups in upstreams_in_log(log)[logged_before:]}
    assert f"unix:{cluster.slot(4)}" not in served_by


def test_a_learner_chats_live_through_nginx_on_the_clusters_asgi_server(cluster, site):
    """/ws/ on the edge reaches the ASGI server the cluster runs, with the session the learner
    got from the HTTP instances; the message is saved before it is acknowledged."""
    browser = Browser(_edge(cluster))
    browser.log_in(site["learners"][2], DEMO_PASSWORD)
    edge = f"127.0.0.1:{cluster.port}"
    with connect(
        f"ws://{edge}/ws/rooms/{site['room']}/",
        origin=f"http://{edge}",
        additional_headers={"Cookie": f"sessionid={browser.cookies['sessionid']}"},
        open_timeout=10,
    ) as socket:
        welcome = _frame_of(socket, "welcome")
        assert welcome["me"] == site["learners"][2]
        socket.send(json.dumps({"type": "chat", "body": "over the edge", "ref": "c1"}))
        assert _frame_of(socket, "ack")["ref"] == "c1"
    assert _messages_with_body(cluster, "over the edge") == 1


def _frame_of(socket, kind, timeout=10):
    while True:
        frame = json.loads(socket.recv(timeout=timeout))
        if frame["type"] == kind:
            return frame


def _messages_with_body(cluster, body):
    with psycopg.connect(cluster.env["DATABASE_URL"]) as db:
        query = "SELECT count(*) FROM collaboration_chatmessage WHERE body = %s"
        return db.execute(query, [body]).fetchone()[0]


def test_through_the_edge_two_learners_see_only_their_own_and_their_writes_at_once(cluster, site):
    """The stored page is shared by everyone (core/personal.py): through nginx and three
    instances, each learner gets their own header and progress on it, a visitor the public
    copy, and a completion shows on the learner's very next page, whichever instance serves it."""
    course, lesson = site["course"], site["lesson"]
    names = ("edge_ada", "edge_bob")
    cluster.manage(
        "shell",
        "-c",
        "from accounts.models import User\n"
        + "".join(
            f"User.objects.filter(username='{name}').exists() or "
            f"User.objects.create_user('{name}', password='{DEMO_PASSWORD}')\n"
            for name in names
        ),
    )
    ada, bob, visitor = (Browser(_edge(cluster)) for _ in range(3))
    ada.log_in(names[0], DEMO_PASSWORD)
    bob.log_in(names[1], DEMO_PASSWORD)
    pages = [
        "/",
        "/courses/",
        f"/courses/{course}/",
        f"/courses/{course}/{lesson}/",
        "/leaderboard/",
    ]
    for _ in range(3):  # every instance stores and serves its copies
        for path in pages:
            mine, theirs, public = ada.get(path), bob.get(path), visitor.get(path)
            assert (mine.status, theirs.status, public.status) == (200, 200, 200), path
            # The header names who is signed in (both may be on the public leaderboard too).
            assert "edge_ada · L" in mine.body and "edge_bob · L" not in mine.body, path
            assert "edge_bob · L" in theirs.body and "edge_ada · L" not in theirs.body, path
            assert not re.search(r" · L\d+ · \d+ XP", public.body), path
            assert "Log in" in public.body, path
            assert "<!--personal:" not in mine.body + theirs.body + public.body, path

    checked = ada.post(f"/courses/{course}/{lesson}/check/", {"code": _solution(course, lesson)})
    assert checked.status == 200 and "You completed this lesson ✓" in checked.body
    for _ in range(3):  # the next page, on each instance in turn
        page = ada.get(f"/courses/{course}/{lesson}/").body
        assert "You completed this lesson ✓" in page
        assert "edge_ada · L1 · 0 XP" not in page  # the lesson's XP is in the header
        assert "done ✓" in ada.get(f"/courses/{course}/").body
        assert "You completed this lesson" not in bob.get(f"/courses/{course}/{lesson}/").body
