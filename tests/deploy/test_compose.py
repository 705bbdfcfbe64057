"""The container host runs the processes deploy/topology.py describes, as the local cluster does:
the compose file's commands and the image's default command, checked against the description."""

import json
import re
from pathlib import Path

import yaml

from deploy.topology import asgi_argv, celery_worker_argv, compiler_argv, gunicorn_argv

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def compose_services() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())["services"]


def image_command() -> list[str]:
    """The app image's CMD (the web instances run it: compose gives them no command)."""
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    app_stage = dockerfile[dockerfile.index(" AS app") : dockerfile.index(" AS edge")]
    (command,) = re.findall(r"^CMD (\[.*\])$", app_stage, flags=re.MULTILINE)
    return json.loads(command)


def test_the_web_instances_run_gunicorn_with_the_topologys_command_line():
    services = compose_services()
    instances = [name for name in services if re.fullmatch(r"app\d+", name)]
    assert instances and all("command" not in services[name] for name in instances)
    assert image_command() == gunicorn_argv("gunicorn")


def test_the_asgi_service_runs_the_topologys_command_line_behind_nginx():
    assert compose_services()["asgi"]["command"] == asgi_argv(
        "uvicorn", host="0.0.0.0", port=8001, proxy="*"
    )


def test_the_celery_worker_runs_the_topologys_command_line():
    assert compose_services()["worker"]["command"] == celery_worker_argv("celery", concurrency=2)


def test_the_compiler_service_runs_the_topologys_shared_solc_service():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    stage = dockerfile[dockerfile.index(" AS compiler") : dockerfile.index(" AS app")]
    (command,) = re.findall(r"^CMD (\[.*\])$", stage, flags=re.MULTILINE)
    assert compose_services()["compiler"]["command"] == json.loads(command)
    assert json.loads(command) == compiler_argv("python")


def test_nginx_sends_ws_to_the_port_the_asgi_service_listens_on():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert 'ARG WS_UPSTREAM="asgi:8001"' in dockerfile
    assert "8001" in compose_services()["asgi"]["command"]
