"""The few Redis commands operations.series uses, in this process's memory, for a site without
Redis (one process: `make run`). Expiry is left to the reader, which asks only for the last
hour's keys."""

import threading


class MemoryStore:
    def __init__(self):
        self.data = {}
        self.lock = threading.Lock()

    def pipeline(self, transaction=False):
        return _MemoryPipeline(self)

    def hincrbyfloat(self, key, field, value):
        with self.lock:
            table = self.data.setdefault(key, {})
            table[field] = table.get(field, 0.0) + value

    def hincrby(self, key, field, value):
        self.hincrbyfloat(key, field, value)

    def hset(self, key, mapping):
        with self.lock:
            self.data.setdefault(key, {}).update(mapping)

    def hgetall(self, key):
        with self.lock:
            return dict(self.data.get(key, {}))

    def expire(self, key, seconds):
        pass

    def set(self, key, value, nx=False, ex=None):
        with self.lock:
            if nx and key in self.data:
                return False
            self.data[key] = value
            return True

    def delete(self, *keys):
        with self.lock:
            for key in keys:
                self.data.pop(key, None)

    def mget(self, keys):
        with self.lock:
            return [self.data.get(key) for key in keys]

    def zadd(self, key, mapping):
        with self.lock:
            self.data.setdefault(key, {}).update(mapping)

    def zremrangebyscore(self, key, low, high):
        with self.lock:
            members = self.data.get(key, {})
            for member in [m for m, score in members.items() if score <= high]:
                del members[member]

    def zrangebyscore(self, key, low, high):
        with self.lock:
            return [m for m, score in self.data.get(key, {}).items() if score >= low]


class _MemoryPipeline:
    def __init__(self, target):
        self.target, self.calls = target, []

    def __getattr__(self, name):
        def queued(*args, **kwargs):
            self.calls.append((name, args, kwargs))

        return queued

    def execute(self):
        return [getattr(self.target, name)(*args, **kwargs) for name, args, kwargs in self.calls]


shared = MemoryStore()
