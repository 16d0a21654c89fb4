"""The Celery application: one task per parse request, late acknowledgement, reject on worker loss.

Workers open the store and load the taxonomy once per process, then cap what a task may add to its address
space (`task_memory_mb`); a task that outlives its soft time limit ends `failed` with TIMEOUT and a refund,
and only store outages (transient) are retried. The soft limit fires a little after the request's own
deadline, so the runner sees whatever it interrupts as the timeout it is.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init, worker_process_init, worker_process_shutdown

from resume_parser.settings import Settings, load_settings
from schemas import errors
from store import Store, StoreUnavailable, open_store
from workers.isolation import import_readers, limit_memory
from workers.runner import execute_request, fail_request, warm_up

log = logging.getLogger("resume_parser.worker")

TASK_NAME = "resume_parser.run_request"
SOFT_LIMIT_GRACE = 1.0
_state: dict[str, Any] = {}


def create_celery(settings: Settings) -> Celery:
    app = Celery("resume_parser", broker=settings.broker_url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # One message waits in each worker beside the running task, so a child that finishes a 20 ms parse starts
        # the next at once instead of idling through the ack and the next fetch (with 1, two workers drained a
        # queue about half as fast). Behind a long task (OCR) that message waits for it; a worker that dies
        # holding it leaves that request `created`, and the sweeper sends it again.
        worker_prefetch_multiplier=2,
        # A child loads the taxonomy before it reports up; Celery's 4 s default kills it in a loop on a busy host.
        worker_proc_alive_timeout=60,
        task_default_queue=settings.queue,
        task_soft_time_limit=settings.task_time_limit + SOFT_LIMIT_GRACE,
        task_time_limit=settings.task_time_limit + 15,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": max(3600, int(settings.task_time_limit * 4))},
        worker_hijack_root_logger=False,
        accept_content=["json"],
        task_serializer="json",
    )
    app.task(name=TASK_NAME, bind=True, max_retries=5)(_run_request)
    return app


def _worker_store() -> Store:
    store = _state.get("store")
    if store is None:
        store = open_store(_settings())
        _state["store"] = store
    return store


def _settings() -> Settings:
    settings = _state.get("settings")
    if settings is None:
        settings = load_settings()
        _state["settings"] = settings
    return settings


def _run_request(task: Task, request_id: str) -> str | None:
    store = _worker_store()
    try:
        return execute_request(store, request_id, _settings())
    except SoftTimeLimitExceeded:
        record = store.get_request(request_id)
        if record is not None:
            fail_request(store, record, errors.TIMEOUT, "the request exceeded its time limit", record.current_stage)
        return "failed"
    except StoreUnavailable as exc:
        raise task.retry(exc=exc, countdown=min(2 ** task.request.retries, 30)) from exc


@worker_init.connect
def _import_readers_before_the_fork(**_: Any) -> None:
    """Once in the worker's main process, for every child: each caps its memory before its first task."""
    import_readers()


@worker_process_init.connect
def _open_store_in_child(**_: Any) -> None:
    warm_up()
    limit_memory(_settings().task_memory_mb)
    _state.pop("store", None)
    _worker_store()


@worker_process_shutdown.connect
def _close_store(**_: Any) -> None:
    store = _state.pop("store", None)
    if store is not None:
        store.close()


app = create_celery(_settings())
