"""The app factory: Litestar configured through one init plugin that owns the process's services."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.plugins import InitPluginProtocol
from litestar.types import Message, Scope

from api.auth import authenticate
from api.batches import BATCH_ROUTES
from api.errors import EXCEPTION_HANDLERS
from api.key_cache import KeyCache
from api.notices import FinishedNotices
from api.playground import playground
from api.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from api.routes import MULTIPART_OVERHEAD, ROUTES
from api.state import Services
from resume_parser import __version__
from resume_parser.settings import Settings, load_settings
from store import StoreUnavailable, open_store
from workers.dispatch import EmbeddedDispatcher, open_dispatcher
from workers.sweeper import Sweeper

log = logging.getLogger("resume_parser.api")


def _limiter(settings: Settings) -> RateLimiter:
    url = settings.rate_limit_redis_url
    if url:
        return RedisRateLimiter(url, settings.rate_limit, settings.rate_limit_window)
    return MemoryRateLimiter(settings.rate_limit, settings.rate_limit_window)


# Responses carry personal data and are never meant to be framed, sniffed, cached or sent on as a referrer.
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# The API answers data, never a page that runs scripts; the docs page loads its viewer and keeps its own policy,
# and a page that sets a policy of its own (the playground) keeps that one.
_CONTENT_POLICY = b"content-security-policy"
_API_CONTENT_POLICY = (_CONTENT_POLICY, b"default-src 'none'; frame-ancestors 'none'")
_PAGE_PREFIXES = ("/docs",)


async def _add_response_headers(message: Message, scope: Scope) -> None:
    """Every response carries the security headers; one to an authenticated request, errors included, also
    its rate-limit headers."""
    if message["type"] != "http.response.start":
        return
    headers = message.get("headers", [])
    added = list(_SECURITY_HEADERS)
    own_policy = any(name.lower() == _CONTENT_POLICY for name, _ in headers)
    if not own_policy and not str(scope.get("path", "")).startswith(_PAGE_PREFIXES):
        added.append(_API_CONTENT_POLICY)
    rate: dict[str, str] | None = (scope.get("state") or {}).get("rate_headers")
    if rate:
        added.extend((name.encode(), value.encode()) for name, value in rate.items())
    message["headers"] = [*headers, *added]


class ResumeParserPlugin(InitPluginProtocol):
    """Registers routes, dependencies and error handling, and runs the services for the app's lifetime."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.route_handlers.extend([*ROUTES, playground])
        app_config.dependencies["principal"] = Provide(authenticate)
        app_config.exception_handlers.update(EXCEPTION_HANDLERS)
        app_config.before_send.append(_add_response_headers)
        origins = self.settings.cors_origin_list
        if origins:
            app_config.cors_config = CORSConfig(
                allow_origins=origins, allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
                allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
                expose_headers=["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After"])
        app_config.lifespan.append(self._lifespan)
        app_config.route_handlers.extend(BATCH_ROUTES)
        app_config.request_max_body_size = max(self.settings.max_file_bytes,
                                               self.settings.max_batch_bytes) + MULTIPART_OVERHEAD
        return app_config

    @asynccontextmanager
    async def _lifespan(self, app: Litestar) -> AsyncGenerator[None, None]:
        settings = self.settings
        store = open_store(settings)
        if not settings.database_url:
            store.migrate()
        dispatcher = open_dispatcher(store, settings)
        sweeper = Sweeper(store, dispatcher, settings)
        if isinstance(dispatcher, EmbeddedDispatcher):
            try:
                sweeper.sweep_once(resend_after=0, stuck_after=0)
            except StoreUnavailable:
                log.warning("store unavailable at start-up; requests are re-sent once it is back")
        sweeper.start()
        limiter = _limiter(settings)
        notices = FinishedNotices(asyncio.get_running_loop())
        store.watch_finished(notices.announce)
        app.state.services = Services(
            settings=settings, store=store, dispatcher=dispatcher, sweeper=sweeper, limiter=limiter, notices=notices,
            keys=KeyCache(settings.key_cache_seconds),
        )
        log.info("resume parser %s up: store=%s dispatcher=%s", __version__, store.kind, dispatcher.kind)
        try:
            yield
        finally:
            sweeper.stop()
            dispatcher.close()
            await limiter.close()
            store.close()


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    return Litestar(
        plugins=[ResumeParserPlugin(settings)],
        openapi_config=OpenAPIConfig(
            title="Resume Parser API",
            version=__version__,
            path="/docs",
            render_plugins=[ScalarRenderPlugin()],
        ),
    )
