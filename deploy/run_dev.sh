#!/usr/bin/env bash
# `make run`'s last step: the site under uvicorn with --reload and, when a broker is configured
# (CELERY_BROKER_URL, or REDIS_URL which it defaults to), a Celery worker beside it, stopped with
# it. Without a broker, tasks run inside the request (eagerly) and no worker is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8000}"
PY=.venv/bin/python
broker=$($PY -c 'import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings"); django.setup(); from django.conf import settings; print("" if settings.CELERY_TASK_ALWAYS_EAGER else settings.CELERY_BROKER_URL.split("@")[-1])')
if [ -n "$broker" ]; then
  echo "Background jobs: a broker is configured ($broker); starting a Celery worker beside the site."
  .venv/bin/celery -A config worker --loglevel warning --concurrency 1 &
  worker=$!
  trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
else
  echo "Background jobs: no broker configured; tasks run in the request that queues them."
fi
DEBUG="${DEBUG:-1}" .venv/bin/uvicorn config.asgi:application --reload \
  --host 127.0.0.1 --port "$PORT" --lifespan off
