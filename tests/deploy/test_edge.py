"""deploy/nginx.conf as the CDN edge: the real nginx, rendered by the runner, in front of a small
origin whose answers each test chooses, because the rules under test (s-maxage, private, session
cookies, Set-Cookie, upgrades, hashed static names) are nginx's, whatever page carries them."""

import gzip
import http.client
import json
import shutil
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from deploy import processes
from deploy.cluster import BASE_DIR, NGINX
from deploy.nginx_config import NginxConfig, Upstream, worker_user
from tests.deploy.ports import port
from tests.deploy.traffic import Browser
from tests.workers import worker_suffix

pytestmark = pytest.mark.cluster

EDGE = f"127.0.0.1:{port(90)}"
# Two instances of the same origin: nginx only marks instances failed when there are several.
ORIGINS = [("127.0.0.1", port(91)), ("127.0.0.1", port(92))]
READ_TIMEOUT_S = 1
HASHED = "site.0123456789ab.css"
CSS = "body { color: #123456; }\n" * 200

ANSWERS = {
    "/shared": {"Cache-Control": "public, max-age=0, s-maxage=60"},
    "/private": {"Cache-Control": "private, max-age=60"},
    "/sets-cookie": {"Cache-Control": "public, s-maxage=60", "Set-Cookie": "csrftoken=abc"},
    "/uncacheable": {},
    "/sign-in": {"Cache-Control": "private, no-store"},  # a form page: the origin takes a while
    # Paths nginx.conf lists as the same for everyone (the app sends them without Vary: Cookie).
    "/api/leaderboard?limit=20": {"Cache-Control": "public, max-age=60, s-maxage=30"},
    "/rooms/r1/messages/": {"Cache-Control": "public, max-age=0, s-maxage=60"},
}


class Origin(BaseHTTPRequestHandler):
    renders = Counter()
    busy = Counter()  # path -> requests being answered now
    most_at_once = Counter()  # path -> the most answered at once
    counting = threading.Lock()

    def do_GET(self):
        Origin.renders[self.path] += 1
        with Origin.counting:
            Origin.busy[self.path] += 1
            Origin.most_at_once[self.path] = max(
                Origin.most_at_once[self.path], Origin.busy[self.path]
            )
        try:
            self.answer()
        finally:
            with Origin.counting:
                Origin.busy[self.path] -= 1

    def answer(self):
        if self.path == "/sign-in":
            time.sleep(0.3)
        if self.path == "/slow":
            time.sleep(READ_TIMEOUT_S + 0.5)  # an instance too busy to answer in time
            body, headers = b"late", {}
        elif self.path.startswith("/ws/"):
            body = json.dumps(dict(self.headers.items())).encode()
            headers = {"Content-Type": "application/json"}
        else:
            body = f"<p>render {Origin.renders[self.path]}</p>{'.' * 2000}".encode()
            answer = ANSWERS.get(self.path) or ANSWERS[self.path.partition("?")[0]]
            headers = {"Content-Type": "text/html; charset=utf-8", **answer}
        try:
            self.send_response(200)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # nginx gave up on a slow answer

    def do_POST(self):
        # An upload reaching the app: it answers with how much arrived.
        length = int(self.headers.get("Content-Length", 0))
        received = len(self.rfile.read(length))
        body = json.dumps({"received": received}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def edge():
    root = BASE_DIR / "var" / f"edge-test{worker_suffix()}"
    shutil.rmtree(root, ignore_errors=True)  # the previous run's cache would answer HIT
    static = root / "static" / "css"
    static.mkdir(parents=True, exist_ok=True)
    (static / "site.css").write_text(CSS)
    (static / HASHED).write_text(CSS)
    (static / f"{HASHED}.gz").write_bytes(gzip.compress(CSS.encode()))
    (root / "media" / "avatars").mkdir(parents=True)
    (root / "media" / "avatars" / "ada.png").write_bytes(b"\x89PNG not really")
    for path in (root / "nginx" / "temp", root / "nginx" / "cache"):
        path.mkdir(parents=True, exist_ok=True)
    addresses = [f"{host}:{port}" for host, port in ORIGINS]
    conf = root / "nginx" / "nginx.conf"
    conf.write_text(
        NginxConfig(
            listen=EDGE,
            app=[Upstream(address) for address in addresses],
            ws=addresses[:1],
            static_root=root / "static",
            media_root=root / "media",
            prefix=root / "nginx",
            user=worker_user(),
            worker_processes="1",
            read_timeout=f"{READ_TIMEOUT_S}s",
        ).render()
    )
    origins = [ThreadingHTTPServer(address, Origin) for address in ORIGINS]
    for origin in origins:
        threading.Thread(target=origin.serve_forever, daemon=True).start()
    nginx = processes.spawn(
        [NGINX, "-p", f"{root / 'nginx'}/", "-c", str(conf), "-e", str(root / "error.log")],
        env={},
        log=root / "nginx.log",
    )
    try:
        deadline = time.monotonic() + 10
        while processes.http_status(EDGE, "/ws/probe") != 200:
            assert time.monotonic() < deadline, processes.tail(root / "error.log")
            time.sleep(0.05)
        yield EDGE
    finally:
        processes.terminate(nginx, token=str(root / "nginx"), timeout=10)
        for origin in origins:
            origin.shutdown()


def test_the_edge_replays_a_response_the_app_marks_s_maxage_and_says_so(edge):
    first = Browser(edge).get("/shared")
    second = Browser(edge).get("/shared")

    assert first.headers["X-Cache"] == "MISS"
    assert second.headers["X-Cache"] == "HIT"
    assert second.body == first.body
    assert Origin.renders["/shared"] == 1


def test_the_edge_passes_a_request_with_a_session_cookie_through_and_stores_nothing(edge):
    Browser(edge).get("/shared")  # stored for anonymous visitors
    renders = Origin.renders["/shared"]
    learner = Browser(edge)
    learner.cookies = {"csrftoken": "x", "sessionid": "abc123"}

    answers = [learner.get("/shared") for _ in range(2)]

    assert [a.headers["X-Cache"] for a in answers] == ["BYPASS", "BYPASS"]
    assert Origin.renders["/shared"] == renders + 2
    assert Browser(edge).get("/shared").headers["X-Cache"] == "HIT"


@pytest.mark.parametrize("path", ["/api/leaderboard?limit=20", "/rooms/r1/messages/"])
def test_the_edge_serves_learners_from_its_cache_on_the_paths_shared_by_everyone(edge, path):
    learner = Browser(edge)
    learner.cookies = {"csrftoken": "x", "sessionid": "abc123"}

    answers = [learner.get(path), learner.get(path), Browser(edge).get(path)]

    assert [a.headers["X-Cache"] for a in answers] == ["MISS", "HIT", "HIT"]
    assert Origin.renders[path] == 1


@pytest.mark.parametrize("path", ["/private", "/sets-cookie", "/uncacheable"])
def test_the_edge_never_stores_private_cookie_setting_or_unmarked_responses(edge, path):
    answers = [Browser(edge).get(path) for _ in range(2)]

    assert [a.headers["X-Cache"] for a in answers] == ["MISS", "MISS"]
    assert Origin.renders[path] == 2


def test_visitors_asking_for_an_uncacheable_page_at_once_are_not_queued_behind_each_other(edge):
    # nginx learns that an answer is uncacheable only once it arrives; with proxy_cache_lock,
    # everyone else asking meanwhile would wait for it, in steps of 0.5 s, and then go to the
    # origin one at a time.
    visitors = [threading.Thread(target=Browser(edge).get, args=("/sign-in",)) for _ in range(4)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join()

    assert Origin.renders["/sign-in"] == 4
    assert Origin.most_at_once["/sign-in"] > 1


def test_the_edge_compresses_pages_for_clients_that_accept_gzip(edge):
    response = Browser(edge).get("/uncacheable", headers={"Accept-Encoding": "gzip"})

    assert response.headers["Content-Encoding"] == "gzip"


def test_hashed_static_files_are_immutable_and_served_precompressed(edge):
    hashed = Browser(edge).get(f"/static/css/{HASHED}", headers={"Accept-Encoding": "gzip"})
    plain = Browser(edge).get("/static/css/site.css")

    assert hashed.status == plain.status == 200
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert hashed.headers["Content-Encoding"] == "gzip"
    assert plain.headers["Cache-Control"] == "public, max-age=300"
    assert Origin.renders["/static/css/site.css"] == 0


def test_instances_that_all_time_out_stay_in_rotation(edge):
    # nginx marks every instance that times out as failed (here both, through the retry)...
    assert Browser(edge).get("/slow").status == 504

    # ...yet a busy instance is not a dead one: the next request is served, not refused with
    # "no live upstreams".
    assert Browser(edge).get("/uncacheable").status == 200


def test_uploads_are_served_from_the_shared_media_directory(edge):
    response = Browser(edge).get("/media/avatars/ada.png")

    assert response.status == 200
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert Origin.renders["/media/avatars/ada.png"] == 0


def test_websocket_upgrades_reach_the_ws_upstream_with_their_upgrade_headers(edge):
    response = Browser(edge).get(
        "/ws/rooms/solidity/", headers={"Upgrade": "websocket", "Connection": "Upgrade"}
    )

    seen = {name.lower(): value for name, value in json.loads(response.body).items()}
    assert seen["upgrade"] == "websocket"
    assert seen["connection"].lower() == "upgrade"


def test_query_parameters_no_cached_page_reads_do_not_make_new_edge_entries(edge):
    first = Browser(edge).get("/shared?utm_source=a")
    answers = [Browser(edge).get(f"/shared?x={n}&utm_source={n}") for n in range(5)]
    paged = [Browser(edge).get(f"/shared?page={n}") for n in (2, 2, 3)]

    assert first.headers["X-Cache"] in ("MISS", "HIT")  # /shared may be stored already
    assert [a.headers["X-Cache"] for a in answers] == ["HIT"] * 5
    assert sum(renders for path, renders in Origin.renders.items() if "x=" in path) == 0
    # A parameter the app's pages read is part of the key.
    assert [a.headers["X-Cache"] for a in paged] == ["MISS", "HIT", "MISS"]


def test_an_upload_over_the_apps_own_limit_still_reaches_the_app_to_be_refused_there(edge):
    """The avatar form refuses files over IMAGE_UPLOAD_MAX_BYTES with its own message; nginx
    must let such a file through to it, not answer a bare 413 first."""
    from django.conf import settings

    host, port = edge.split(":")
    too_big_for_the_app = b"x" * (settings.IMAGE_UPLOAD_MAX_BYTES + 1024 * 1024)
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("POST", "/accounts/avatar/", body=too_big_for_the_app)
        response = connection.getresponse()
        answer = response.read()
    finally:
        connection.close()
    assert response.status == 200
    assert json.loads(answer) == {"received": len(too_big_for_the_app)}
