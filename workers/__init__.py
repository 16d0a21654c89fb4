"""Running accepted requests: the job executor, and the embedded and Celery dispatchers that call it."""
