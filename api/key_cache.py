"""API keys looked up in the last few seconds, so that most requests authenticate without a database read.

A key's revocation is seen by every API process within `RESUME_PARSER_KEY_CACHE_SECONDS` (5 s by default; 0
turns the cache off), its expiry at once: the cached record carries `expires_at`, checked on every request.
Unknown keys are not kept: each guess is looked up.
"""

from __future__ import annotations

import time

from schemas.records import ApiKey

MAX_KEYS = 10_000


class KeyCache:
    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._keys: dict[str, tuple[float, ApiKey]] = {}

    def get(self, key_hash: str) -> ApiKey | None:
        """The key with this hash if it was looked up less than the cache's seconds ago."""
        entry = self._keys.get(key_hash)
        if entry is None or time.monotonic() - entry[0] >= self._seconds:
            return None
        return entry[1]

    def put(self, key_hash: str, record: ApiKey) -> None:
        if len(self._keys) >= MAX_KEYS:
            self._keys.clear()
        self._keys[key_hash] = (time.monotonic(), record)
