"""Progress marks: the stage a running request is in, written to the store only once the stage has lasted.

A text-layer PDF passes its stages in a few tens of milliseconds, faster than any client polls; writing each
stage as it started cost a worker a transaction per stage, nearly half of its time in the store. So a stage is
written only when it is still running `MARK_AFTER` seconds after it started (OCR, a URL download, a model
call), by one thread per process that serves every request running in it. The first stage is written with the
claim that starts the attempt.

A mark that finds the request deleted or finished elsewhere tells the request, which stops at its next stage.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from store.base import Store

log = logging.getLogger("resume_parser.worker")

MARK_AFTER = 0.2


class RequestGone(Exception):
    """The request was deleted or finished elsewhere while this worker was running it."""


class Progress:
    """The stage marks of one running request."""

    def __init__(self, marks: StageMarks, store: Store, request_id: str, stage: str) -> None:
        self._marks = marks
        self.store = store
        self.request_id = request_id
        self.recorded = stage
        self.gone = False

    def enter(self, stage: str, progress: int) -> None:
        """The request starts `stage`; raises RequestGone when an earlier mark found it gone."""
        if self.gone:
            raise RequestGone(self.request_id)
        if stage == self.recorded:
            self._marks.cancel(self)
        else:
            self._marks.schedule(self, stage, progress, time.monotonic() + MARK_AFTER)

    def finish(self) -> None:
        self._marks.cancel(self)


class StageMarks:
    """Writes the marks that fall due, from one daemon thread started on first use (and again in a forked child,
    which does not inherit it)."""

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._due: dict[Progress, tuple[str, int, float]] = {}
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def start(self, store: Store, request_id: str, stage: str) -> Progress:
        """A request whose attempt was claimed at `stage`."""
        return Progress(self, store, request_id, stage)

    def ensure_running(self) -> None:
        """Start the writing thread now, before a memory cap: under the cap, mapping a new thread's stack can
        fail once a task has used most of its allowance."""
        with self._changed:
            if self._thread is None:
                self._thread = threading.Thread(target=self._write_due, name="stage-marks", daemon=True)
                self._thread.start()

    def schedule(self, progress: Progress, stage: str, percentage: int, due: float) -> None:
        self.ensure_running()
        with self._changed:
            idle = not self._due
            self._due[progress] = (stage, percentage, due)
            if idle:
                self._changed.notify()

    def cancel(self, progress: Progress) -> None:
        with self._changed:
            self._due.pop(progress, None)

    def _write_due(self) -> None:
        while True:
            with self._changed:
                now = time.monotonic()
                ready = [(progress, entry) for progress, entry in self._due.items() if entry[2] <= now]
                for progress, _ in ready:
                    del self._due[progress]
                if not ready:
                    self._changed.wait(min((entry[2] for entry in self._due.values()), default=now + 3600) - now)
                    continue
            for progress, (stage, percentage, _) in ready:
                self._write(progress, stage, percentage)

    @staticmethod
    def _write(progress: Progress, stage: str, percentage: int) -> None:
        try:
            written = progress.store.mark_stage(progress.request_id, stage, percentage)
        except Exception as exc:
            # The request's own completion meets the same outage and is retried; the mark is only a display.
            log.warning("the stage of request %s could not be recorded: %s", progress.request_id,
                        type(exc).__name__)
            return
        if written:
            progress.recorded = stage
        else:
            progress.gone = True
