"""A TLS terminator in front of deploy/nginx.conf, and the app in production mode behind both:
https without a redirect loop, secure cookies, and each client's own address for its budgets,
whatever headers it sends. The terminator is a second nginx with a self-signed certificate."""

import http.client
import json
import os
import secrets
import shutil
import ssl
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from deploy import processes
from deploy.cluster import BASE_DIR, NGINX
from deploy.nginx_config import NginxConfig, Upstream, worker_user
from tests.deploy.ports import port
from tests.factories import PASSWORD, UserFactory
from tests.workers import worker_suffix

pytestmark = [pytest.mark.cluster, pytest.mark.django_db(transaction=True)]

APP = f"127.0.0.1:{port(70)}"  # gunicorn
EDGE = f"127.0.0.1:{port(71)}"  # deploy/nginx.conf, trusting 127.0.0.1 only
TLS_PORT = port(72)  # the terminator
COMPILES_PER_MINUTE = 2

TERMINATOR = """
daemon off;
worker_processes 1;
pid {root}/tls.pid;
error_log {root}/tls-error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {root}/temp;
    proxy_temp_path {root}/temp;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {root}/cert.pem;
        ssl_certificate_key {root}/key.pem;
        location / {{
            proxy_pass http://{edge};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


class Client:
    """HTTPS (or plain HTTP) from a source address of its own on the loopback network."""

    def __init__(self, source, *, tls=True):
        self.source, self.tls, self.cookies = source, tls, {}

    def request(self, method, path, *, form=None, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{TLS_PORT}/"
            headers["Origin"] = f"https://127.0.0.1:{TLS_PORT}"
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            conn = http.client.HTTPSConnection(
                "127.0.0.1", TLS_PORT, context=context, source_address=(self.source, 0), timeout=20
            )
        else:
            host, edge_port = EDGE.split(":")
            conn = http.client.HTTPConnection(
                host, int(edge_port), source_address=(self.source, 0), timeout=20
            )
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.text = response.read().decode()
        finally:
            conn.close()
        response.set_cookies = response.headers.get_all("Set-Cookie") or []
        for header in response.set_cookies:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def compile(self, **headers):
        connection_headers = {"Content-Type": "application/json", **headers}
        return self.request(
            "POST", "/api/compile", body=b'{"source": "contract A {}"}', headers=connection_headers
        ).status


def _wait_for(address, path, log):
    deadline = time.monotonic() + 30
    while processes.http_status(address, path) is None:
        assert time.monotonic() < deadline, processes.tail(log)
        time.sleep(0.1)


@pytest.fixture(scope="module")
def site(django_db_setup):
    # Not under tmp_path: nginx's workers (nobody) must reach the cache directory.
    root = BASE_DIR / "var" / f"tls-test{worker_suffix()}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "temp").mkdir()
    (root / "nginx" / "temp").mkdir(parents=True)
    (root / "nginx" / "cache").mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    settings_dict = connection.settings_dict
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{TLS_PORT}",
        # The test's own database: what the test creates is committed (transactional test).
        "DATABASE_URL": f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT']}/{settings_dict['NAME']}",
        "DATABASE_POOL": "false",
        "REDIS_URL": os.environ["REDIS_URL"],
        "CACHE_KEY_PREFIX": f"tls-test-{os.getpid()}",
        "CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "COMPILER_SOCKET": str(root / "no-compiler.sock"),  # refused: 503, after the budget
        "COMPILER_RATE_LIMIT_PER_MINUTE": str(COMPILES_PER_MINUTE),
        "GUNICORN_BIND": APP,
        "GUNICORN_WORKERS": "1",
        "GUNICORN_CONTROL_SOCKET": str(root / "gunicorn.ctl"),
        "DRAIN_FILE": str(root / "draining"),
    }
    gunicorn = processes.spawn(
        [str(Path(sys.executable).parent / "gunicorn"), "--config",
         str(BASE_DIR / "deploy" / "gunicorn.conf.py"), "--bind", APP],
        env=env, log=root / "gunicorn.log",
    )  # fmt: skip
    conf = root / "nginx" / "nginx.conf"
    conf.write_text(
        NginxConfig(
            listen=EDGE,
            app=[Upstream(APP)],
            ws=[APP],
            static_root=BASE_DIR / "staticfiles",
            prefix=root / "nginx",
            user=worker_user(),
            worker_processes="1",
            trusted_proxies=["127.0.0.1"],
        ).render()
    )
    (root / "tls.conf").write_text(TERMINATOR.format(root=root, port=TLS_PORT, edge=EDGE))
    edge = processes.spawn(
        [NGINX, "-p", f"{root / 'nginx'}/", "-c", str(conf), "-e", str(root / "edge-error.log")],
        env={}, log=root / "edge.log",
    )  # fmt: skip
    terminator = processes.spawn(
        [NGINX, "-p", f"{root}/", "-c", str(root / "tls.conf"), "-e", str(root / "tls-err.log")],
        env={}, log=root / "tls.log",
    )  # fmt: skip
    try:
        _wait_for(APP, "/health", root / "gunicorn.log")
        _wait_for(EDGE, "/health", root / "edge-error.log")
        yield root
    finally:
        processes.terminate(terminator, token=str(root / "tls.conf"), timeout=10)
        processes.terminate(edge, token=str(root / "nginx"), timeout=10)
        processes.terminate(gunicorn, token=APP, timeout=20)
        shutil.rmtree(root, ignore_errors=True)


def test_pages_load_over_https_behind_the_terminator_without_a_redirect(site):
    response = Client("127.0.0.2").request("GET", "/courses/")
    assert response.status == 200, (response.status, response.getheader("Location"))
    assert "max-age=31536000" in response.getheader("Strict-Transport-Security")


def test_a_learner_signs_in_over_https_with_a_secure_session_cookie(site, settings):
    # A hash the production settings read (the suite's own hasher is a fast one they do not).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    learner = UserFactory()
    browser = Client("127.0.0.2")
    assert browser.request("GET", "/accounts/login/").status == 200
    response = browser.request(
        "POST",
        "/accounts/login/",
        form={"username": learner.username, "password": PASSWORD,
              "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
    )  # fmt: skip
    assert response.status == 302, response.text[:500]
    session = next(c for c in response.set_cookies if c.startswith("sessionid="))
    assert "Secure" in session and "HttpOnly" in session
    page = browser.request("GET", "/accounts/password/")
    assert page.status == 200 and learner.username in page.text


def test_clients_behind_the_terminator_each_get_their_own_budget_whatever_they_claim(site):
    first, second = Client("127.0.0.2"), Client("127.0.0.3")
    # The first client spends its budget, claiming another address each time.
    statuses = [first.compile(**{"X-Forwarded-For": f"10.9.9.{n}"}) for n in range(3)]
    assert statuses == [503, 503, 429]  # 503: no compiler here, after the budget was charged
    assert second.compile() == 503  # a budget of its own


def test_a_client_talking_to_nginx_directly_cannot_claim_https_or_an_address(site):
    direct = Client("127.0.0.5", tls=False)
    response = direct.request(
        "GET", "/courses/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.1.1"}
    )
    # Not from a trusted proxy: the scheme is the connection's own, so production redirects.
    assert response.status == 301
    assert response.getheader("Location") == "https://127.0.0.1/courses/" or response.getheader(
        "Location"
    ).startswith("https://")
    assert json.loads(direct.request("GET", "/ready").text)["status"] in ("ready", "degraded")
