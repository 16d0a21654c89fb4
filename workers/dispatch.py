"""Dispatchers: how an accepted request reaches a worker. Chosen by settings, one interface.

Embedded: a thread pool inside the API process. Celery: a task on the Redis broker. Either way the request
row was written first, so a failed send loses nothing: the sweeper sends it again.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Protocol

from resume_parser.settings import Settings
from store.base import Store
from workers.isolation import ExtractionPool
from workers.runner import execute_request, warm_up

log = logging.getLogger("resume_parser.dispatch")

SEND_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}


class DispatchUnavailable(Exception):
    """The queue cannot take the request right now; it stays accepted and is sent again later."""


class Dispatcher(Protocol):
    kind: str

    def submit(self, request_id: str) -> None:
        """Send the request now; raises DispatchUnavailable when the queue cannot take it."""

    def submit_soon(self, request_id: str) -> None:
        """Send the request without making the caller wait; a send that fails is left to the sweeper."""

    def close(self) -> None: ...


class EmbeddedDispatcher:
    """Runs requests on a thread pool in this process (the default on a machine with nothing configured); files
    are read in a pool of memory-limited child processes."""

    kind = "embedded"

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self._pool = ThreadPoolExecutor(max_workers=settings.embedded_workers, thread_name_prefix="parse")
        self._warm_up = self._pool.submit(warm_up)
        self._extraction = ExtractionPool(settings.embedded_workers, settings.task_memory_mb)
        self._running: set[str] = set()
        self._lock = threading.Lock()

    def submit(self, request_id: str) -> None:
        with self._lock:
            if request_id in self._running:
                return
            self._running.add(request_id)
        self._pool.submit(self._run, request_id)

    def submit_soon(self, request_id: str) -> None:
        self.submit(request_id)

    def _run(self, request_id: str) -> None:
        wait([self._warm_up])  # a request that comes during the warm-up waits for it instead of loading it again
        try:
            execute_request(self._store, request_id, self._settings, self._extraction)
        except Exception:
            log.exception("request %s could not be run", request_id)
        finally:
            with self._lock:
                self._running.discard(request_id)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._extraction.close()


class CeleryDispatcher:
    """Sends each request as a Celery task to the Redis broker.

    The API's sends go through one sender thread: publishing costs a couple of milliseconds of Celery and
    Redis work that the 202 answer need not wait for, since the request row is already stored. A send fails
    fast while the broker is down (one connection attempt, one retry on a stale connection), so the sender is
    not held by kombu's connection retries for seconds per request; the sweeper sends the stored request later.
    """

    kind = "celery"
    CLOSE_WAIT_SECONDS = 5.0

    def __init__(self, settings: Settings) -> None:
        from workers.celery_app import TASK_NAME, create_celery

        self._task_name = TASK_NAME
        self._app = create_celery(settings)
        self._app.conf.broker_transport_options = {**self._app.conf.broker_transport_options, "max_retries": 0}
        self._outbox: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send_outbox, name="celery-sender", daemon=True)
        self._sender.start()

    def submit(self, request_id: str) -> None:
        try:
            self._app.send_task(self._task_name, args=[request_id], retry=True, retry_policy=SEND_RETRY)
        except Exception as exc:
            raise DispatchUnavailable(str(exc)) from exc

    def submit_soon(self, request_id: str) -> None:
        self._outbox.put(request_id)

    def _send_outbox(self) -> None:
        while (request_id := self._outbox.get()) is not None:
            try:
                self.submit(request_id)
            except DispatchUnavailable:
                log.warning("request %s could not be sent; the sweeper sends it again", request_id)

    def close(self) -> None:
        self._outbox.put(None)
        self._sender.join(timeout=self.CLOSE_WAIT_SECONDS)
        self._app.close()


def open_dispatcher(store: Store, settings: Settings) -> Dispatcher:
    if settings.distributed:
        return CeleryDispatcher(settings)
    return EmbeddedDispatcher(store, settings)
