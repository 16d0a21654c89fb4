"""API keys: random, prefixed by mode, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
from typing import Final

LIVE_PREFIX: Final = "rp_live_"
TEST_PREFIX: Final = "rp_test_"


def generate_key(test: bool) -> str:
    """A new key: mode prefix and 32 random bytes, URL-safe."""
    return (TEST_PREFIX if test else LIVE_PREFIX) + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def display_prefix(key: str) -> str:
    """The part of a key safe to show in listings."""
    return key[: len(LIVE_PREFIX) + 6]


def looks_like_key(key: str) -> bool:
    return key.startswith((LIVE_PREFIX, TEST_PREFIX)) and len(key) > len(LIVE_PREFIX) + 16
