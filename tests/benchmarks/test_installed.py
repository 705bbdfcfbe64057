"""The benchmarks are tools: installed for development, the tests and `make bench`, never in
production."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def installed_apps(**env) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(','.join(settings.INSTALLED_APPS))"
    )
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings"} | env
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().split(",")


def test_production_settings_do_not_install_the_benchmarks():
    production = installed_apps(
        DJANGO_ENV="production", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="example.com"
    )
    assert "demo" in production and "benchmarks" not in production


def test_development_settings_install_them():
    assert "benchmarks" in installed_apps(DJANGO_ENV="development")
