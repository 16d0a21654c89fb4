"""Long polls wait for a notice that their request finished, instead of reading the database over and over.

The store announces each finished request from whatever thread hears of it (a worker thread of the embedded
mode, or the PostgreSQL listener for Celery workers); the announcement wakes the polls waiting on the request
in the event loop. A poll reads the request again on waking, and at least every `RECHECK_SECONDS` in case a
notice was lost (the database was unreachable for a moment), so a notice is a shortcut, never a dependency.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

RECHECK_SECONDS = 1.0


class FinishedNotices:
    """Who waits for which request, and the wake-up when it finishes."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._waiting: dict[str, set[asyncio.Event]] = {}

    def announce(self, request_id: str) -> None:
        """Called from any thread once the request is stored as finished."""
        with contextlib.suppress(RuntimeError):  # the loop has closed: the server is shutting down
            self._loop.call_soon_threadsafe(self._wake, request_id)

    def _wake(self, request_id: str) -> None:
        for finished in self._waiting.get(request_id, ()):
            finished.set()

    @contextlib.contextmanager
    def watching(self, request_id: str) -> Iterator[asyncio.Event]:
        """An event set when the request finishes; enter it before reading the request, so that a finish
        between that read and the wait is not missed."""
        finished = asyncio.Event()
        self._waiting.setdefault(request_id, set()).add(finished)
        try:
            yield finished
        finally:
            waiters = self._waiting[request_id]
            waiters.discard(finished)
            if not waiters:
                del self._waiting[request_id]
