"""The Prometheus instruments every process updates.

Under gunicorn, PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py sets it per instance) makes
prometheus_client keep each worker's values in a memory-mapped file of that directory, and
/metrics adds up every worker's files, so whichever worker answers the scrape reports the whole
instance. Without it (runserver, the ASGI server, tests) the values live in this process.
Gauges say how workers combine: livesum adds the live ones, livemax takes the highest, liveall
keeps one series per pid.
"""

from prometheus_client import Counter, Gauge, Histogram

# Seconds. Dense around the 100 ms page budget, so its p95 is read from nearby bounds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
RUN_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "ls_http_requests",
    "Requests answered, by view, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "ls_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=LATENCY_BUCKETS,
)
QUERIES_PER_REQUEST = Histogram(
    "ls_db_queries_per_request",
    "Database queries per request.",
    buckets=(0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 50),
)
DB_SECONDS_PER_REQUEST = Histogram(
    "ls_db_seconds_per_request",
    "Database time per request.",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
)
DB_QUERIES = Counter("ls_db_queries", "Database queries, by view.", ["view"])
DB_SECONDS = Counter("ls_db_seconds", "Database time, by view.", ["view"])
CACHE_LOOKUPS = Counter(
    "ls_cache_lookups", "Cache group lookups, by group and result (hit, miss).", ["group", "result"]
)
BREAKER_OPEN = Gauge(
    "ls_cache_breaker_open",
    "1 while a process's Redis circuit breaker is open (the cache is process memory).",
    multiprocess_mode="livemax",
)
RUNS = Counter(
    "ls_compiler_runs", "Compiles and exercise checks, by kind and outcome.", ["kind", "outcome"]
)
RUN_SECONDS = Histogram(
    "ls_compiler_run_duration_seconds",
    "Time of a compile or a check as its caller saw it (cache included), by kind.",
    ["kind"],
    buckets=RUN_BUCKETS,
)
DB_POOL = Gauge(
    "ls_db_pool_connections",
    "Database pool connections of the live processes, by state (in_use, idle).",
    ["state"],
    multiprocess_mode="livesum",
)
DB_POOL_WAITING = Gauge(
    "ls_db_pool_waiting",
    "Requests waiting for a pooled database connection.",
    multiprocess_mode="livesum",
)
RESIDENT_MEMORY = Gauge(
    "ls_process_resident_memory_bytes",
    "Resident memory of each live process (one series per worker pid).",
    multiprocess_mode="liveall",
)
WEBSOCKETS = Gauge("ls_websockets_open", "Open WebSockets.", multiprocess_mode="livesum")
ROOMS = Gauge(
    "ls_websocket_rooms", "Rooms with at least one open WebSocket.", multiprocess_mode="livesum"
)
