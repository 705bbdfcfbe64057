"""The deploy tests' ports: a block of 100 per xdist worker, away from the other tests' ports
(live servers 182xx, browsers 190xx), so that several workers can each run them."""

from tests.workers import worker_index

FIRST = 17000 + 100 * worker_index()


def port(offset: int) -> int:
    return FIRST + offset
