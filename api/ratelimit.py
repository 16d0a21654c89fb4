"""Fixed-window rate limits per API key; counters live in Redis when Redis is configured.

Every authenticated response carries the IETF `ratelimit-limit`, `ratelimit-remaining` and
`ratelimit-reset` headers; a 429 adds `retry-after`.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Protocol

import msgspec

if TYPE_CHECKING:
    import redis.asyncio

log = logging.getLogger("resume_parser.api")


class RateDecision(msgspec.Struct, frozen=True):
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int

    def headers(self) -> dict[str, str]:
        headers = {
            "ratelimit-limit": str(self.limit),
            "ratelimit-remaining": str(self.remaining),
            "ratelimit-reset": str(self.reset_seconds),
        }
        if not self.allowed:
            headers["retry-after"] = str(self.reset_seconds)
        return headers


class RateLimiter(Protocol):
    async def hit(self, key_id: str) -> RateDecision: ...

    async def close(self) -> None: ...


def _window(window_seconds: int) -> tuple[int, int]:
    now = time.time()
    start = int(now // window_seconds) * window_seconds
    return start, max(1, int(start + window_seconds - now + 0.999))


class MemoryRateLimiter:
    """Counters in this process: right for the embedded single-process mode."""

    def __init__(self, limit: int, window_seconds: int) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    async def hit(self, key_id: str) -> RateDecision:
        return self.count(key_id)

    def count(self, key_id: str) -> RateDecision:
        start, reset = _window(self.window_seconds)
        with self._lock:
            if len(self._counts) > 10_000:
                self._counts = {k: v for k, v in self._counts.items() if k[1] == start}
            count = self._counts.get((key_id, start), 0) + 1
            self._counts[(key_id, start)] = count
        return RateDecision(count <= self.limit, self.limit, max(0, self.limit - count), reset)

    async def close(self) -> None:
        self._counts.clear()


_COUNT_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


class RedisRateLimiter:
    """Counters in Redis, shared by every API replica; a hit is one script call (one command, no MULTI), awaited
    on the event loop rather than sent from a worker thread. Use it from one event loop."""

    def __init__(self, url: str, limit: int, window_seconds: int) -> None:
        import redis.asyncio  # only a process that counts in Redis loads its client

        self.limit = limit
        self.window_seconds = window_seconds
        self._unavailable: tuple[type[Exception], ...] = (redis.RedisError, OSError)
        self._redis: redis.asyncio.Redis = redis.asyncio.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._count_hit = self._redis.register_script(_COUNT_HIT)
        self._fallback = MemoryRateLimiter(limit, window_seconds)

    async def hit(self, key_id: str) -> RateDecision:
        """Count the hit in Redis; while Redis is unreachable, fall back to this process's own counters."""
        start, reset = _window(self.window_seconds)
        name = f"resume_parser:ratelimit:{key_id}:{start}"
        try:
            count = int(await self._count_hit(keys=[name], args=[self.window_seconds + 1]))
        except self._unavailable:
            log.warning("rate-limit counters unavailable in Redis; counting in this process")
            return self._fallback.count(key_id)
        return RateDecision(count <= self.limit, self.limit, max(0, self.limit - count), reset)

    async def close(self) -> None:
        await self._redis.aclose()
