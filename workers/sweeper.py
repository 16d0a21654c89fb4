"""The sweeper: nothing accepted is lost and nothing stays `parsing` forever; expired data is purged.

It re-sends requests that no worker started (the send failed, or the broker lost them), retries or fails
requests whose worker vanished mid-parse, sends the webhooks that are due, and deletes requests past the
retention period. A request it sent waits a full interval before it is sent again, so a backlog that is merely
slow is not multiplied in the queue.
"""

from __future__ import annotations

import logging
import threading

import msgspec

from resume_parser.clock import iso_after, now_iso
from resume_parser.settings import Settings
from schemas import errors
from store.base import Store, StoreUnavailable
from workers.dispatch import Dispatcher, DispatchUnavailable
from workers.runner import MAX_ATTEMPTS, fail_request
from workers.webhooks import deliver as deliver_webhook

log = logging.getLogger("resume_parser.sweeper")


class SweepReport(msgspec.Struct):
    resent: int = 0
    retried: int = 0
    timed_out: int = 0
    purged: int = 0
    webhooks: int = 0


class Sweeper:
    def __init__(self, store: Store, dispatcher: Dispatcher, settings: Settings) -> None:
        self._store = store
        self._dispatcher = dispatcher
        self._settings = settings
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sweep_once(self, resend_after: float | None = None, stuck_after: float | None = None) -> SweepReport:
        """One pass; the optional ages override the settings (start-up of the embedded mode uses 0)."""
        settings = self._settings
        report = SweepReport()
        resend_age = settings.resend_after if resend_after is None else resend_after
        stuck_age = settings.task_time_limit + settings.stuck_after if stuck_after is None else stuck_after
        for request_id in self._store.unstarted_requests(iso_after(-resend_age)):
            if self._send(request_id):
                report.resent += 1
        for request_id in self._store.stuck_requests(iso_after(-stuck_age)):
            record = self._store.get_request(request_id)
            if record is None:
                continue
            if record.attempts >= MAX_ATTEMPTS:
                message = "the request did not finish after repeated attempts"
                if fail_request(self._store, record, errors.TIMEOUT, message, record.current_stage):
                    report.timed_out += 1
            elif self._send(request_id):
                report.retried += 1
        for request_id in self._store.due_webhooks(now_iso()):
            if deliver_webhook(self._store, request_id, settings) is not None:
                report.webhooks += 1
        report.purged = self._store.purge_expired(now_iso())
        return report

    def _send(self, request_id: str) -> bool:
        try:
            self._dispatcher.submit(request_id)
        except DispatchUnavailable:
            return False
        self._store.mark_sent(request_id, now_iso())
        return True

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="sweeper", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self._settings.sweep_interval):
            try:
                report = self.sweep_once()
            except StoreUnavailable:
                log.warning("sweep skipped: store unavailable")
                continue
            except Exception:
                log.exception("sweep failed")
                continue
            if report.resent or report.retried or report.timed_out or report.purged or report.webhooks:
                log.info("sweep: %s", msgspec.to_builtins(report))

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
