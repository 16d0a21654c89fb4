"""The API's short-lived cache of looked-up keys: a key is kept only for its seconds, and 0 keeps nothing."""

from __future__ import annotations

import time

from api.key_cache import KeyCache
from schemas.records import ApiKey

KEY = ApiKey(id="key_1", account_id="acct_1", name="ci", prefix="rp_live_abc", test=False,
             created_at="2026-12-02T00:00:00.000000Z")


def test_a_key_is_kept_for_its_seconds_only() -> None:
    cache = KeyCache(0.2)
    assert cache.get("h" * 64) is None
    cache.put("h" * 64, KEY)
    assert cache.get("h" * 64) == KEY
    assert cache.get("x" * 64) is None
    time.sleep(0.25)
    assert cache.get("h" * 64) is None


def test_zero_seconds_keeps_nothing() -> None:
    cache = KeyCache(0)
    cache.put("h" * 64, KEY)
    assert cache.get("h" * 64) is None
