"""Learning Solidity settings, read from the environment (see .env.example).

With nothing set the site runs on the embedded default: SQLite, the local-memory cache and eager
Celery. Production mode (DJANGO_ENV=production) refuses to start without a real SECRET_KEY.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from core.static_headers import add_cache_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name, default):
    return int(env(name, str(default)))


def env_float(name, default):
    return float(env(name, str(default)))


# Mode
PRODUCTION = env("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    SECRET_KEY = "development-only-insecure-key-never-used-in-production"
elif PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("development-only")):
    raise ImproperlyConfigured("SECRET_KEY is too short or is the development key.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Apps
INSTALLED_APPS = [
    # The admin with the site's own AdminSite: branded, with the Site performance page.
    "operations.site.SiteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "core.staticfiles.StaticFilesConfig",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "core",
    "accounts",
    "compiler",
    "courses",
    "leaderboard",
    "collaboration",
    "operations",
    "demo",
]
if not PRODUCTION:
    INSTALLED_APPS.append("benchmarks")  # bench_* commands: tools, not the product

MIDDLEWARE = [
    "core.monitoring.QueryMonitorMiddleware",
    # Inside the query monitor, whose per-request timers it reads (operations/middleware.py).
    "operations.middleware.MetricsMiddleware",
    "core.db_router.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",  # Django's, each policy built once
    "core.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, moving sessions that name ModelBackend onto the cached backend.
    "accounts.middleware.AuthenticationMiddleware",
    "accounts.middleware.LearnerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost, inside the messages middleware: fills pages' personal parts (core/personal.py).
    "core.personal.PersonalMiddleware",
]

# django-debug-toolbar in development, when installed (the dev dependency group has it).
DEBUG_TOOLBAR = DEBUG and not PRODUCTION and env_bool("DEBUG_TOOLBAR", default=True)
if DEBUG_TOOLBAR:
    import importlib.util

    DEBUG_TOOLBAR = importlib.util.find_spec("debug_toolbar") is not None
if DEBUG_TOOLBAR:
    INSTALLED_APPS.append("debug_toolbar")
    MIDDLEWARE.insert(1, "debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1"]
    DEBUG_TOOLBAR_CONFIG = {"SHOW_COLLAPSED": True}  # a handle on the side, not over the page

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
# The learner's row from Redis (accounts/backends.py). Sessions opened before it name Django's
# ModelBackend, which stays listed so that they go on working until their first request moves
# them onto the cached one (accounts.middleware.AuthenticationMiddleware).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.CachedModelBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "courses:catalog"
LOGOUT_REDIRECT_URL = "home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.assets",
            ],
        },
    },
]

# Database
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    # Behind PgBouncer in transaction mode a cursor cannot outlive its transaction.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
        "DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False
    )
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DATABASE_POOL", default=True
    ):
        # Django's psycopg pool needs CONN_MAX_AGE = 0; `check` makes a pooled connection
        # survive a PostgreSQL restart.
        from psycopg_pool import ConnectionPool

        DATABASES["default"]["OPTIONS"] = {
            "pool": {
                "min_size": env_int("DATABASE_POOL_MIN", 2),
                "max_size": env_int("DATABASE_POOL_MAX", 4),
                "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
                "check": ConnectionPool.check_connection,
            }
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
        }
    }
    # The leaderboard index's INCLUDE column is a PostgreSQL covering-index detail; SQLite
    # (the embedded default) simply builds the index without it.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS")):
    replica = dj_database_url.parse(url, conn_max_age=0)
    replica["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"]
    replica["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{number}"] = replica
DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]
# After a write, the learner's reads stay on the primary this long (replication lag headroom).
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache
REDIS_URL = env("REDIS_URL")
# Redis behind Sentinel: the sentinels' host:port, comma-separated; REDIS_URL (and
# COUNTERS_REDIS_URL) then name the monitored primary's service instead of a host,
# redis://<service>/<db>. Every client (cache, sessions, presence, the rooms' broadcasts) asks
# the sentinels where the primary is, and again after a failover (core/redis_connections.py).
REDIS_SENTINELS = env_list("REDIS_SENTINELS")
REDIS_SENTINEL_HOSTS = [(h, int(p)) for h, _, p in (s.rpartition(":") for s in REDIS_SENTINELS)]
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", "ls")
# Counters that must not be evicted (throttles, rate limits) and the sessions' cached copies live
# in the "counters" cache. In production point COUNTERS_REDIS_URL at a Redis whose maxmemory-policy
# is noeviction; the "default" cache (pages, fragments) belongs on one with allkeys-lru, where a
# flood of distinct pages evicts other pages, never a throttle. Eviction picks keys from every
# database of a server, so a database number of its own would not protect them. By default both
# are REDIS_URL, which is safe while that Redis has no maxmemory (the default).
COUNTERS_REDIS_URL = env("COUNTERS_REDIS_URL", REDIS_URL)


def _redis_cache(location):
    options = {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        "PARSER_CLASS": "redis.connection._HiredisParser",
        # Short timeouts: a dead Redis costs one request a quarter second, then the
        # circuit breaker sends everyone to process memory until Redis answers again.
        "SOCKET_CONNECT_TIMEOUT": 0.25,
        "SOCKET_TIMEOUT": 0.25,
        "BREAKER_RESET_SECONDS": env_int("CACHE_BREAKER_RESET_SECONDS", 5),
    }
    if REDIS_SENTINELS:
        options |= {
            "CLIENT_CLASS": "django_redis.client.SentinelClient",
            "CONNECTION_FACTORY": "django_redis.pool.SentinelConnectionFactory",
            "SENTINELS": REDIS_SENTINEL_HOSTS,
            "SENTINEL_KWARGS": {"socket_timeout": 0.25},
        }
    return {
        "BACKEND": "core.cache_backend.ResilientRedisCache",
        "LOCATION": location,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "OPTIONS": options,
    }


if REDIS_URL:
    CACHES = {"default": _redis_cache(REDIS_URL), "counters": _redis_cache(COUNTERS_REDIS_URL)}
else:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "LOCATION": alias,
        }
        for alias in ("default", "counters")
    }

# Channels: rooms' WebSockets (config/asgi.py). With Redis, one channel layer joins every ASGI
# process, so a learner on one instance reaches a learner on another; without it (make run) the
# single process keeps its groups in memory. The pub/sub layer: a process subscribes once per
# room and Redis pushes each broadcast to it, where the list-based layer pops deliveries one
# round trip at a time and falls seconds behind once a few dozen learners are connected.
# Nothing is queued for a process that is down; nothing needs to be: every write is in
# PostgreSQL first, and a reconnecting client gets the room's state again.
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "core.channel_layer.PubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "sentinels": REDIS_SENTINEL_HOSTS,
                        "master_name": urlsplit(REDIS_URL).hostname,
                        "db": int(urlsplit(REDIS_URL).path.strip("/") or 0),
                    }
                    if REDIS_SENTINELS
                    else REDIS_URL
                ],
                "prefix": f"{CACHE_KEY_PREFIX}:asgi",
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Threads a WebSocket process runs its database calls on (collaboration/consumers.py): no more
# than the pool's connections, or they wait for one.
ROOM_DATABASE_THREADS = env_int("ROOM_DATABASE_THREADS", env_int("DATABASE_POOL_MAX", 4))
# An open socket re-checks its session, learner and room (collaboration/consumers.py): before a
# write when the last check is older than this, and every ROOM_RECHECK_SECONDS when idle. So a
# logout, a deactivation or a closed room ends its sockets' writes within seconds.
ROOM_WRITE_RECHECK_SECONDS = env_int("ROOM_WRITE_RECHECK_SECONDS", 2)
ROOM_RECHECK_SECONDS = env_int("ROOM_RECHECK_SECONDS", 30)
# Sockets one learner may hold open in one room (tabs); each connect and leave of a learner's
# first one announces presence to the room.
ROOM_SOCKETS_PER_LEARNER = env_int("ROOM_SOCKETS_PER_LEARNER", 5)

# Sessions: Redis in front, the database behind, so a Redis flush logs nobody out; revoked on
# every process even while the cache runs on process memory (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
SESSION_CACHE_ALIAS = "counters"  # never evicted by a flood of pages (see CACHES)
# Names the signed-in learner's id (not a credential: the session decides who is signed in), so
# that a page reads the session together with the stored page and the learner's cached entries,
# in one round trip where both caches are the same Redis (core.page_cache). Set and cleared by
# accounts.middleware.
LEARNER_COOKIE = "learner"

# Celery
# With Sentinel, name a broker: RabbitMQ (amqp://) is the one to use, since it keeps queued tasks
# through a restart and acknowledges them, where a promoted Redis replica may lack the last ones.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "" if REDIS_SENTINELS else REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# Passwords: Argon2id for new hashes, with OWASP's parameters (accounts/hashers.py); the others
# only read older hashes, which Django upgrades at the learner's next login.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# Static and media
# Static files are collected under content-hashed names with brotli and gzip copies (see
# core/staticfiles.py) and served by WhiteNoise, hashed names as immutable. With CDN_URL the
# pages load them from the CDN, which pulls them from /static/ here.
CDN_URL = env("CDN_URL").rstrip("/")
STATIC_URL = f"{CDN_URL}/static/" if CDN_URL else "/static/"
# collectstatic writes here; nginx serves /static/ from it directly, WhiteNoise when no nginx.
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_ADD_HEADERS_FUNCTION = add_cache_headers
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.staticfiles.StaticFilesStorage"},
}
# Uploads (covers, avatars) go to an S3-compatible bucket when one is named; the credentials
# come from the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", default=False),
            "file_overwrite": False,
            # Upload names are never reused (a new upload gets a new name), so a CDN may keep them.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
IMAGE_UPLOAD_MAX_BYTES = env_int("IMAGE_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
IMAGE_UPLOAD_MAX_PIXELS = env_int("IMAGE_UPLOAD_MAX_PIXELS", 24_000_000)

# Security
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Readable by the page's own JavaScript, which sends it as X-CSRFToken to /api/compile; an
# HttpOnly CSRF cookie would protect nothing (the token is in every form anyway).
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere (htmx is told not to eval, see base.html), so scripts need neither
# 'unsafe-inline' nor 'unsafe-eval', nor a nonce. Styles allow inline <style>: the CodeMirror
# editor injects its theme at run time, and a nonce cannot work on pages cached whole (the header
# is fresh, the cached HTML is not). Lesson images may come from any https host (lessons are
# written by staff; nh3 keeps only http(s) URLs).
_OWN = [CSP.SELF, CDN_URL] if CDN_URL else [CSP.SELF]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": _OWN,
    "style-src": [*_OWN, CSP.UNSAFE_INLINE],
    "font-src": _OWN,
    "img-src": [*_OWN, "data:", "https:"],
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Request sizes: the whole body (files included) is refused past REQUEST_BODY_MAX_BYTES before
# anything reads it (core.middleware); the non-file part past DATA_UPLOAD_MAX_MEMORY_SIZE. Uploaded
# files above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file instead of memory. Every form
# field has its own max_length as well.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
DATA_UPLOAD_MAX_NUMBER_FILES = 10
if PRODUCTION:
    # Our proxy sets X-Forwarded-Proto (and strips any the client sent); the health probes speak
    # plain HTTP to the instance, so they are never redirected.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^health$", r"^ready$", r"^metrics$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CSP["upgrade-insecure-requests"] = True

# Health
# While this file exists /ready answers 503, so balancers stop sending traffic before the stop.
DRAIN_FILE = env("DRAIN_FILE")

# Logging
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Operations
# /metrics (Prometheus) answers these addresses or networks, every address a request names
# (peer, X-Real-IP, X-Forwarded-For) included, or a caller with `Authorization: Bearer
# METRICS_TOKEN`; anyone else gets 403.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = env("METRICS_TOKEN")
# nginx's access log, for the edge cache's hit rate (operations/edge.py); empty: not reported.
METRICS_EDGE_LOG = env("METRICS_EDGE_LOG")
# A thread per process that flushes its figures every few seconds while it is idle too.
METRICS_FLUSH_THREAD = env_bool("METRICS_FLUSH_THREAD", default=True)
# Budgets: the admin's alerts, deploy/prometheus/alerts.yml and `manage.py watch_site`.
BUDGET_P95_MS = env_int("BUDGET_P95_MS", 100)
# Views (or "namespace:") with a budget of their own: an uncached compile or check runs solc.
BUDGET_P95_MS_BY_VIEW = {
    "compiler:api": 250,
    "courses:check": 250,
    "collaboration:compile": 250,
    "admin:": 500,
}
BUDGET_ERROR_RATE = env_float("BUDGET_ERROR_RATE", 0.01)
BUDGET_CACHE_HIT_RATE = env_float("BUDGET_CACHE_HIT_RATE", 0.90)
BUDGET_REPLICA_LAG_SECONDS = env_float("BUDGET_REPLICA_LAG_SECONDS", REPLICA_PIN_SECONDS)
BUDGET_MEDIA_DISK_FREE = env_float("BUDGET_MEDIA_DISK_FREE", 0.10)

# Queries
SLOW_QUERY_MS = env_int("SLOW_QUERY_MS", 100)
QUERY_BUDGET = env_int("QUERY_BUDGET", 8)
# Listing QuerySets refuse lazy related fetches (FETCH_RAISE) in development and tests, so an
# N+1 fails loudly where it is written; in production they batch them (FETCH_PEERS) instead.
STRICT_FETCH = env_bool("STRICT_FETCH", default=DEBUG)

# Compiler: the solc worker pool (compiler/daemon.py explains the shared service)
COMPILER_SOCKET = env("COMPILER_SOCKET")
COMPILER_WORKERS = env_int("COMPILER_WORKERS", 2)
COMPILER_MAX_QUEUE = env_int("COMPILER_MAX_QUEUE", 16)
COMPILER_TIMEOUT_SECONDS = env_float("COMPILER_TIMEOUT_SECONDS", 10)
COMPILER_QUEUE_TIMEOUT_SECONDS = env_float("COMPILER_QUEUE_TIMEOUT_SECONDS", 5)
COMPILER_MAX_RSS_MB = env_int("COMPILER_MAX_RSS_MB", 512)  # a worker past it is replaced after
COMPILER_HARD_RSS_MB = env_int("COMPILER_HARD_RSS_MB", 1024)  # ... past this, killed during it
COMPILER_NODE = env("COMPILER_NODE", "node")
COMPILER_CACHE_SECONDS = env_int("COMPILER_CACHE_SECONDS", 86_400)
COMPILER_RATE_LIMIT_PER_MINUTE = env_int("COMPILER_RATE_LIMIT_PER_MINUTE", 30)
CODE_VERSION = env("CODE_VERSION")
CURRICULUM_DIR = Path(env("CURRICULUM_DIR") or BASE_DIR / "curriculum")
EXERCISE_TIMEOUT_SECONDS = env_float("EXERCISE_TIMEOUT_SECONDS", 5)
EXERCISE_GAS_PER_TEST = env_int("EXERCISE_GAS_PER_TEST", 5_000_000)
# The request header that carries the client's address when a proxy we run sits in front
# (e.g. HTTP_X_REAL_IP set by our nginx); empty: REMOTE_ADDR.
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER")

# Throttles: (attempts, seconds). Failed logins count per address and per account; signups per
# address and per email address tried. Each counter expires on its own (core/throttle.py).
LOGIN_FAILURES_PER_IP = (30, 15 * 60)
LOGIN_FAILURES_PER_ACCOUNT = (10, 15 * 60)
SIGNUPS_PER_IP = (20, 60 * 60)
SIGNUPS_PER_EMAIL = (5, 60 * 60)
# Rooms started and chat messages posted through the forms, per learner and per address. A
# count of 0 turns one off (a load test sends every learner from one address).
ROOMS_STARTED_PER_LEARNER = (env_int("ROOMS_STARTED_PER_LEARNER_PER_HOUR", 10), 60 * 60)
ROOMS_STARTED_PER_IP = (env_int("ROOMS_STARTED_PER_IP_PER_HOUR", 30), 60 * 60)
CHAT_POSTS_PER_LEARNER = (env_int("CHAT_POSTS_PER_LEARNER_PER_MINUTE", 30), 60)
CHAT_POSTS_PER_IP = (env_int("CHAT_POSTS_PER_IP_PER_MINUTE", 120), 60)

# Product
LEADERBOARD_WINDOW_DAYS = 30
LEADERBOARD_PAGE_SIZE = 50
LAST_ACTIVE_WRITE_INTERVAL_SECONDS = 300
