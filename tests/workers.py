"""Which pytest-xdist worker runs this process, for what parallel workers must not share
(ports, directories, databases)."""

import os


def worker_index() -> int:
    """0 for gw0, 1 for gw1, ...; 0 when the tests run without -n."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def worker_suffix() -> str:
    """ "-gw1" under xdist, "" without it: for names each worker needs its own of."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return f"-{worker}" if worker else ""
