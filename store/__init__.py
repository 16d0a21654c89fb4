"""Persistence: one Store interface, with SQLite (embedded) and PostgreSQL (distributed) implementations."""

from store.base import InsufficientCredits, Store, StoreUnavailable
from store.factory import open_store

__all__ = ["InsufficientCredits", "Store", "StoreUnavailable", "open_store"]
