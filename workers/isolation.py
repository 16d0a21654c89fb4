"""Extraction in child processes with a memory and a time bound, so a hostile file costs one child, not a worker.

Parsing a file is where memory depends on the input (decompression, rasterising, OCR). Each child gets an
address-space limit; a file that needs more fails with a clear error, a child that dies (out of memory,
a crash inside a C library) or runs past the deadline is replaced, and the request ends `failed` with a reason.
The embedded default uses a pool of such children; Celery's prefork children get the same limit directly.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import multiprocessing.forkserver
import resource
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Literal

import msgspec
import pebble

from pipeline.errors import ExtractionError, PipelineError, ResourceLimitExceeded, StageTimeout
from pipeline.extract import extract
from schemas.document import Document

log = logging.getLogger("resume_parser.isolation")

MAX_TASKS_PER_CHILD = 200
READERS = ("pipeline.extract.pdf", "pipeline.extract.images", "pipeline.extract.office")
"""The readers `extract` imports on the first file of their kind. A process imports them before it caps its
memory: under the cap, an import that reserves address space (numpy's, for scans) fails."""
# Imported once in the process the children are forked from, so that a new child starts ready to read.
_CHILD_MODULES = ["workers.isolation", *READERS]


def limit_memory(memory_mb: int) -> None:
    """Let this process map at most `memory_mb` more than it maps now (0: no limit).

    The limit is on address space, counted from what the process already holds (libraries, a loaded taxonomy),
    so that it bounds what one task may add whatever the start-up cost; children it starts (Tesseract) inherit it.
    """
    if memory_mb > 0:
        limit = _mapped_bytes() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _mapped_bytes() -> int:
    """This process's address space now (Linux); 0 elsewhere, which makes the limit absolute."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _extract_in_child(data: bytes, filename: str | None, mode: str, max_pages: int | None) -> bytes:
    try:
        document = extract(data, filename=filename, mode=mode, max_pages=max_pages)  # type: ignore[arg-type]
    except MemoryError:
        raise ResourceLimitExceeded() from None
    return msgspec.msgpack.encode(document)


def import_readers() -> None:
    """Import every reader now (see `READERS`)."""
    for name in READERS:
        importlib.import_module(name)


def start_extraction_server() -> None:
    """Start the process extraction children are forked from, which imports the readers (half a second).
    Called early, that runs on another core while the caller goes on starting up; later calls do nothing."""
    multiprocessing.get_context("forkserver").set_forkserver_preload(_CHILD_MODULES)
    multiprocessing.forkserver.ensure_running()


class ExtractionPool:
    """A pool of extraction children, each limited to `memory_mb` of address space. The children are started
    with the pool, not on the first file, so that the first request does not wait for them."""

    def __init__(self, workers: int, memory_mb: int) -> None:
        start_extraction_server()
        self._pool = pebble.ProcessPool(max_workers=workers, max_tasks=MAX_TASKS_PER_CHILD,
                                        initializer=limit_memory, initargs=(memory_mb,),
                                        context=multiprocessing.get_context("forkserver"))
        if not self._pool.active:  # asking pebble whether the pool is active starts it
            raise RuntimeError("the extraction pool did not start")

    def extract(self, data: bytes, *, filename: str | None = None,
                mode: Literal["file", "ocr", "auto"] = "auto", max_pages: int | None = None,
                timeout: float | None = None) -> Document:
        """Like `pipeline.extract.extract`, in a child; raises PipelineError subclasses for every failure."""
        future = self._pool.schedule(_extract_in_child, args=(data, filename, mode, max_pages), timeout=timeout)
        try:
            encoded = future.result()
        except PipelineError:
            raise
        except FutureTimeout:
            raise StageTimeout(f"reading the file took longer than the time limit of {timeout:g} s") from None
        except pebble.ProcessExpired as exc:
            log.warning("an extraction child ended with exit code %s; it is replaced", exc.exitcode)
            raise ResourceLimitExceeded("the file could not be read within the memory a task may use") from None
        except MemoryError:
            raise ResourceLimitExceeded() from None
        except Exception as exc:
            log.warning("an extraction child failed with %s", type(exc).__name__)
            raise ExtractionError("the file could not be read") from None
        return msgspec.msgpack.decode(encoded, type=Document)

    def close(self) -> None:
        self._pool.stop()
        self._pool.join(timeout=10)
