"""Who is calling: the API key from `Authorization: Bearer` or `X-API-Key`, checked against its hash.

Keys are looked up by their SHA-256 digest only, so the time a lookup takes depends on the digest of the
guess, never on the stored key: nothing about a real key can be learned from response timing.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
import msgspec
from litestar import Request

from api.errors import ApiError
from api.state import Services, services_of
from resume_parser.clock import now_iso
from resume_parser.keys import hash_key, looks_like_key
from schemas import errors
from schemas.records import ApiKey


class Principal(msgspec.Struct, frozen=True):
    account_id: str
    key_id: str
    test: bool
    webhook_url: str | None = None


def _presented_key(request: Request[Any, Any, Any]) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    return request.headers.get("x-api-key") or None


async def authenticate(request: Request[Any, Any, Any]) -> Principal:
    """Resolve the caller's key, then apply its rate limit; headers for the response go in request.state. A key
    seen in the last few seconds is not read from the database again (see `api.key_cache`)."""
    services = services_of(request.app.state)
    key = _presented_key(request)
    if key is None:
        raise ApiError(401, errors.UNAUTHORIZED, "missing API key: send Authorization: Bearer <key>",
                       headers={"www-authenticate": "Bearer"})
    record = await _find_key(services, key)
    if (
        record is None
        or record.revoked_at is not None
        or (record.expires_at is not None and record.expires_at <= now_iso())
    ):
        raise ApiError(401, errors.UNAUTHORIZED, "invalid, revoked or expired API key",
                       headers={"www-authenticate": "Bearer"})
    decision = await services.limiter.hit(record.id)
    request.state.rate_headers = decision.headers()
    if not decision.allowed:
        raise ApiError(429, errors.RATE_LIMITED, "rate limit exceeded; retry after the reset time")
    return Principal(account_id=record.account_id, key_id=record.id, test=record.test,
                     webhook_url=record.webhook_url)


async def _find_key(services: Services, key: str) -> ApiKey | None:
    if not looks_like_key(key):
        return None
    key_hash = hash_key(key)
    record = services.keys.get(key_hash)
    if record is None:
        record = await anyio.to_thread.run_sync(services.store.find_key, key_hash)
        if record is not None:
            services.keys.put(key_hash, record)
    return record
