"""Which build is serving: what the page cache keys on, what the service worker is named after,
and what every cached page says in its X-Build header, so that a new build never serves pages an
old one rendered (they point at static files the new build may no longer have)."""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

_SERVICE_WORKER = Path(__file__).with_name("service_worker.js")


@cache
def build_version() -> str:
    """The static manifest's hash (it changes with any static file; without a manifest, under
    DEBUG, a "dev-" name), with CODE_VERSION when the deploy sets one (a change of templates or
    code alone)."""
    static_part = manifest_hash() or "dev-" + _digest(_SERVICE_WORKER.read_bytes())
    code = settings.CODE_VERSION
    return f"{static_part}-{code}" if code else static_part


def manifest_hash() -> str:
    return getattr(staticfiles_storage, "manifest_hash", "")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]
