"""The Redis rate limiter against a real Redis: counts shared by every limiter on the same key, a window
that expires, and the refusal past the limit."""

from __future__ import annotations

import asyncio
import uuid

import redis

from api.ratelimit import RateDecision, RedisRateLimiter


def test_redis_counters_are_shared_limited_and_expire(redis_url: str) -> None:
    key_id = "key_" + uuid.uuid4().hex[:10]

    async def four_hits() -> list[RateDecision]:
        first, second = RedisRateLimiter(redis_url, 3, 60), RedisRateLimiter(redis_url, 3, 60)
        try:
            return [await first.hit(key_id), await second.hit(key_id), await first.hit(key_id),
                    await second.hit(key_id)]
        finally:
            await first.close()
            await second.close()

    decisions = asyncio.run(four_hits())
    assert [decision.allowed for decision in decisions] == [True, True, True, False]
    assert [decision.remaining for decision in decisions] == [2, 1, 0, 0]
    assert decisions[-1].headers()["retry-after"] == str(decisions[-1].reset_seconds)
    client = redis.Redis.from_url(redis_url)
    names = client.keys(f"resume_parser:ratelimit:{key_id}:*")
    assert len(names) == 1
    assert 0 < client.ttl(names[0]) <= 61
    client.delete(*names)
    client.close()
