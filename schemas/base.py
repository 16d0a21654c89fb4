"""The one base Struct every wire type derives from."""

from __future__ import annotations

import msgspec


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=False):
    """Keyword-only Struct; unknown fields are ignored so clients may send extras."""


class Strict(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Keyword-only Struct that rejects unknown fields (request bodies: typos must not pass silently)."""
