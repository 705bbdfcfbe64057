"""Fills in deploy/nginx.conf for one place it runs: the local cluster (deploy/cluster.py) or
the container image, which renders it at build time:

    python deploy/nginx_config.py --listen 8080 --app app1:8000 --app app2:8000 --ws asgi:8001 \
        --static-root /srv/static --prefix /var/cache/nginx/edge > nginx.conf
"""

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf")
BROTLI_MODULES = (
    "/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so",
    "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so",
)
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# The query parameters the edge keys its cache on: those the app's cached pages read
# (core.page_cache.QUERY_PARAMETERS; a test checks the two agree). Any other parameter does not
# make a new entry, so random query strings cannot push real pages out of the edge.
EDGE_QUERY_PARAMETERS = ("limit", "offset", "page", "q")
MEDIA_LOCATION = """\
        # Uploads (avatars, course covers): an upload may be replaced under the same name.
        location /media/ {{
            alias {root}/;
            access_log off;
            add_header Cache-Control "public, max-age=3600";
        }}
"""


@dataclass
class Upstream:
    address: str  # host:port, or unix:/path/to/socket

    def line(self):
        # One failed attempt takes the instance out for 5 s, then nginx tries it again.
        return f"        server {self.address} max_fails=1 fail_timeout=5s;"

    def backup_line(self):
        return f"        server {self.address} backup max_fails=0;"


def upstream_block(upstreams):
    """The instances, then the same instances again as backups that are never marked failed.

    nginx counts every error and every timeout as a failed attempt, whatever
    proxy_next_upstream says. Under overload all instances time out together, all get marked
    failed, and without backups nginx answered every request with an instant 502 "no live
    upstreams" (7,226 of 13,304 in a 1000-user run) while the instances were busy, not dead.
    The backups are used only while every instance is marked failed; a dead one among them
    refuses the connection and the request moves on.
    """
    lines = [upstream.line() for upstream in upstreams]
    lines += [upstream.backup_line() for upstream in upstreams]
    return "\n".join(lines)


@dataclass
class NginxConfig:
    listen: str
    app: list[Upstream]
    ws: list[str]
    static_root: Path
    prefix: Path
    # Uploads kept on this filesystem (shared by every instance); None when they live elsewhere.
    media_root: Path | None = None
    pid: str = ""
    error_log: str = ""
    access_log: str = ""
    user: str = ""
    worker_processes: str = "auto"
    mime_types: str = "/etc/nginx/mime.types"
    session_cookie: str = "sessionid"
    brotli: bool = False
    # Past gunicorn's worker timeout (30 s), so gunicorn ends a stuck worker first.
    read_timeout: str = "35s"
    # Bodies nginx passes on: above the app's own upload limit (IMAGE_UPLOAD_MAX_BYTES, 5 MB).
    max_body_mb: int = 8
    # Addresses or CIDR ranges of proxies in front (a TLS terminator, a CDN): only from them are
    # X-Forwarded-For and X-Forwarded-Proto believed; from anyone else nginx sets both itself.
    trusted_proxies: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def values(self):
        prefix = Path(self.prefix)
        brotli_types = (
            "text/css text/plain text/javascript application/javascript application/json "
            "application/xml image/svg+xml"
        )
        return {
            "user": f"user {self.user};" if self.user else "",
            "worker_processes": self.worker_processes,
            "pid": self.pid or str(prefix / "nginx.pid"),
            "error_log": self.error_log or str(prefix / "error.log"),
            "access_log": self.access_log or str(prefix / "access.log"),
            "load_modules": "\n".join(f"load_module {m};" for m in BROTLI_MODULES)
            if self.brotli
            else "",
            "mime_types": self.mime_types,
            "temp": str(prefix / "temp"),
            "cache": str(prefix / "cache"),
            "brotli": f"    brotli on;\n    brotli_comp_level 5;\n    brotli_types {brotli_types};"
            if self.brotli
            else "",
            "brotli_static": "            brotli_static on;" if self.brotli else "",
            "app_servers": upstream_block(self.app),
            "read_timeout": self.read_timeout,
            # An upstream block may not be empty: with no ASGI server yet, /ws/ answers 502.
            "ws_servers": "\n".join(f"        server {address};" for address in self.ws),
            "listen": self.listen,
            "static_root": str(self.static_root).rstrip("/"),
            "media": MEDIA_LOCATION.format(root=str(self.media_root).rstrip("/"))
            if self.media_root
            else "",
            "session_cookie": re.escape(self.session_cookie),
            "max_body": f"{self.max_body_mb}m",
            "real_ip": "\n".join(
                [f"    set_real_ip_from {cidr};" for cidr in self.trusted_proxies]
                + (
                    ["    real_ip_header X-Forwarded-For;", "    real_ip_recursive on;"]
                    if self.trusted_proxies
                    else []
                )
            ),
            "trusted_geo": "\n".join(f"        {cidr} 1;" for cidr in self.trusted_proxies),
            "edge_args": "&".join(f"{name}=$arg_{name}" for name in EDGE_QUERY_PARAMETERS),
            **self.extra,
        }

    def render(self) -> str:
        if not self.app:
            raise ValueError("nginx needs at least one instance")
        if not self.ws:
            raise ValueError("the /ws/ upstream needs an address")
        values = self.values()
        missing = set(_PLACEHOLDER.findall(TEMPLATE.read_text())) - set(values)
        if missing:
            raise KeyError(f"nginx.conf placeholders without a value: {sorted(missing)}")
        return _PLACEHOLDER.sub(lambda match: values[match.group(1)], TEMPLATE.read_text())


def brotli_available() -> bool:
    """Debian's libnginx-mod-http-brotli; stock nginx 1.22 on these machines lacks it."""
    return all(os.path.exists(module) for module in BROTLI_MODULES)


def worker_user() -> str:
    """Workers drop root for nobody; an unprivileged master cannot switch and must not try."""
    return "nobody nogroup" if os.geteuid() == 0 else ""


def main(argv=None):
    parser = argparse.ArgumentParser(description="Print deploy/nginx.conf filled in.")
    parser.add_argument("--listen", required=True)
    parser.add_argument("--app", action="append", required=True, help="host:port, repeatable")
    parser.add_argument("--ws", action="append", required=True, help="host:port, repeatable")
    parser.add_argument("--static-root", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--media-root", default="")
    parser.add_argument("--user", default="")
    parser.add_argument("--error-log", default="")
    parser.add_argument("--access-log", default="")
    parser.add_argument("--pid", default="")
    parser.add_argument(
        "--trusted-proxy", action="append", default=[], help="address or CIDR, repeatable"
    )
    args = parser.parse_args(argv)
    config = NginxConfig(
        listen=args.listen,
        app=[Upstream(address) for address in args.app],
        ws=args.ws,
        static_root=Path(args.static_root),
        prefix=Path(args.prefix),
        media_root=Path(args.media_root) if args.media_root else None,
        user=args.user,
        error_log=args.error_log,
        access_log=args.access_log,
        pid=args.pid,
        trusted_proxies=args.trusted_proxy,
    )
    sys.stdout.write(config.render())


if __name__ == "__main__":
    main()
