"""A browser-like HTTP client and a steady stream of requests for the cluster tests."""

import http.client
import re
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


class Browser:
    """Cookies and CSRF like a browser; a fresh connection for every request, or with
    `keep_alive` one connection reused for as long as the server keeps it open.

    A kept-alive connection is what browsers and locust use, and what a server that closes
    idle connections (an nginx reload) races with: a request sent as the server closes gets no
    answer. This client never retries, so such a race shows up as a failure.
    """

    def __init__(self, address, *, keep_alive=False):
        self.host, port = address.rsplit(":", 1)
        self.port = int(port)
        self.cookies = {}
        self.keep_alive = keep_alive
        self._connection = None

    def _connect(self, timeout):
        if not self.keep_alive:
            return http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        if self._connection is None:
            self._connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        return self._connection

    def request(self, method, path, *, form=None, headers=None, timeout=30) -> Response:
        headers = {**({} if self.keep_alive else {"Connection": "close"}), **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Origin"] = f"http://{self.host}:{self.port}"
        connection = self._connect(timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        except BaseException:
            connection.close()
            self._connection = None
            raise
        finally:
            if not self.keep_alive:
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
        return self.request("POST", path, form=form, **kwargs)

    def log_in(self, username, password):
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"username": username, "password": password})
        if response.status != 302:
            raise AssertionError(f"login as {username} answered {response.status}")
        return response


@dataclass
class Outcome:
    method: str
    path: str
    status: int | None
    expected: int
    error: str = ""
    form_body: str = ""  # the form's "body" field, which tells chat messages apart

    @property
    def failed(self):
        return bool(self.error) or self.status != self.expected


@dataclass
class Call:
    """One request the stream repeats: `make(n)` gives (method, path, form) for the n-th time."""

    make: object
    expected: int = 200
    headers: dict = field(default_factory=dict)


def get(path, expected=200):
    return Call(lambda n: ("GET", path, None), expected)


class Traffic:
    """Threads that each loop over their calls until stopped, recording every outcome."""

    def __init__(self, lanes, *, pause=0.03):
        # lanes: [(Browser, [Call, ...]), ...], one thread each.
        self.lanes = lanes
        self.pause = pause
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = []

    def __enter__(self):
        for browser, calls in self.lanes:
            thread = threading.Thread(target=self._run, args=(browser, calls), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _run(self, browser, calls):
        n = 0
        while not self._stop.is_set():
            call = calls[n % len(calls)]
            method, path, form = call.make(n)
            body = (form or {}).get("body", "")
            try:
                response = browser.request(method, path, form=form, headers=call.headers)
                outcome = Outcome(method, path, response.status, call.expected, form_body=body)
            except (OSError, http.client.HTTPException) as exc:
                outcome = Outcome(method, path, None, call.expected, repr(exc), body)
            with self._lock:
                self.outcomes.append(outcome)
            n += 1
            time.sleep(self.pause)

    def count(self, method=None):
        return sum(1 for o in self.outcomes if method is None or o.method == method)

    @property
    def failures(self):
        return [o for o in self.outcomes if o.failed]

    def summary(self):
        by_method = {}
        for o in self.outcomes:
            total, failed = by_method.get(o.method, (0, 0))
            by_method[o.method] = (total + 1, failed + o.failed)
        return ", ".join(f"{m}: {t} requests, {f} failed" for m, (t, f) in by_method.items())


UPSTREAM = re.compile(r" up=(?P<up>.*?) us=")


def upstreams_in_log(path):
    """The upstream address list of each proxied request in nginx's access log."""
    lines = path.read_text().splitlines() if path.exists() else []
    return [m.group("up").split(", ") for m in map(UPSTREAM.search, lines) if m]
