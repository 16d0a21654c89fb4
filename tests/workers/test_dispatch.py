"""The Celery dispatcher against a real Redis broker: sends made without waiting still reach the queue."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import redis

from resume_parser.settings import Settings
from workers.dispatch import CeleryDispatcher


def test_sends_made_without_waiting_are_on_the_queue_once_closed(redis_url: str, tmp_path: Path) -> None:
    queue = "rp-test-" + uuid.uuid4().hex[:8]
    settings = Settings(data_dir=tmp_path, database_url="postgresql://unused", broker_url=redis_url, queue=queue)
    dispatcher = CeleryDispatcher(settings)
    ids = [f"req_{number:04d}" for number in range(5)]
    for request_id in ids:
        dispatcher.submit_soon(request_id)
    dispatcher.close()
    client = redis.Redis.from_url(redis_url)
    try:
        messages = [json.loads(raw) for raw in client.lrange(queue, 0, -1)]
        assert sorted(message["headers"]["argsrepr"] for message in messages) == sorted(repr([i]) for i in ids)
    finally:
        client.delete(queue)
        client.close()
