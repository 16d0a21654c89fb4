"""Webhooks: a request's terminal response POSTed to its callback URL, signed, retried with backoff.

The worker that finishes a request tries at once; the sweeper tries again whatever is due, so a delivery
survives a worker that dies after finishing. A delivery is claimed with a lease before it is sent, so two
sweepers never send the same attempt. Each attempt is recorded on the request (status code, error, time),
never with the body. The address is checked on every attempt with the rules of URL input, and redirects are
not followed.

Signature: `X-ResumeParser-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the
account's webhook secret>`; `verify_signature` is the check a receiver runs.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from typing import Any

import msgspec

from pipeline.errors import ExtractionError
from pipeline.fetch import FetchPolicy, check_url
from resume_parser import __version__
from resume_parser.clock import iso_after, now_iso
from resume_parser.settings import Settings
from store.base import Store

log = logging.getLogger("resume_parser.webhooks")

SIGNATURE_HEADER = "X-ResumeParser-Signature"
LEASE_MARGIN_SECONDS = 30


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(secret: str, header: str, body: bytes, tolerance: float = 300.0,
                     now: float | None = None) -> bool:
    """True when the header signs this body under the secret and is at most `tolerance` seconds old."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    stamp = fields.get("t", "")
    if not stamp.isdigit() or "v1" not in fields:
        return False
    if abs((time.time() if now is None else now) - int(stamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, int(stamp), body), f"t={stamp},v1={fields['v1']}")


def deliver(store: Store, request_id: str, settings: Settings) -> str | None:
    """One attempt at the request's webhook if it is due; returns the delivery's new status, or None when
    there was nothing to send (no webhook, not due, or another process holds it)."""
    job = store.claim_webhook(request_id, now_iso(), iso_after(settings.webhook_timeout + LEASE_MARGIN_SECONDS))
    if job is None:
        return None
    import httpx  # loaded by the first webhook sent, not by every worker

    number = len(job.attempts) + 1
    body = msgspec.json.encode(job.payload)
    attempted_at = now_iso()
    started = time.monotonic()
    status_code: int | None = None
    error: str | None = None
    refused = False
    try:
        check_url(job.url, FetchPolicy(allowlist=settings.url_allowlist_entries))
        status_code = _post(job.url, body, job.secret, job.payload, settings.webhook_timeout)
        if not 200 <= status_code < 300:
            error = f"the endpoint answered HTTP {status_code}"
    except ExtractionError as exc:
        refused, error = True, exc.message
    except httpx.HTTPError as exc:
        error = f"the endpoint could not be reached: {type(exc).__name__}"
    attempt: dict[str, Any] = {"attempt": number, "attempted_at": attempted_at, "status_code": status_code,
                               "error": error, "duration_ms": int((time.monotonic() - started) * 1000)}
    delays = settings.webhook_delays
    if error is None:
        status, next_at = "delivered", None
    elif refused or number > len(delays):
        status, next_at = "failed", None
    else:
        status, next_at = "retrying", iso_after(delays[number - 1])
    store.record_webhook_attempt(request_id, [*job.attempts, attempt], status, next_at)
    log.info("webhook of request %s: attempt %d %s", request_id, number, status)
    return status


def _post(url: str, body: bytes, secret: str, payload: dict[str, Any], timeout: float) -> int:
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"resume-parser/{__version__}",
        "X-ResumeParser-Request-Id": str(payload.get("request_id", "")),
        "X-ResumeParser-Event": f"parse.{payload.get('status', 'completed')}",
        SIGNATURE_HEADER: sign(secret, int(time.time()), body),
    }
    import httpx

    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        return client.post(url, content=body, headers=headers).status_code
