"""What the API process holds for its lifetime: settings, store, dispatcher, sweeper, rate limiter, the
notices of finished requests that long polls wait for, and the keys looked up lately."""

from __future__ import annotations

from typing import Any

import msgspec

from api.key_cache import KeyCache
from api.notices import FinishedNotices
from api.ratelimit import RateLimiter
from resume_parser.settings import Settings
from store.base import Store
from workers.dispatch import Dispatcher
from workers.sweeper import Sweeper


class Services(msgspec.Struct, kw_only=True):
    settings: Settings
    store: Store
    dispatcher: Dispatcher
    sweeper: Sweeper
    limiter: RateLimiter
    notices: FinishedNotices
    keys: KeyCache


def services_of(app_state: Any) -> Services:
    services: Services = app_state.services
    return services
