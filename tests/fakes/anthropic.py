"""A local stand-in for Anthropic's Messages API, for tests that must not reach the network.

It listens on loopback, answers POST /v1/messages in the real API's shapes (a message with text or tool-use
content blocks and usage with cache counts; error bodies with their type and status, `retry-after-ms` on
overload and rate limits) and records every request it was sent. Each call takes the next scripted reply;
with none left it answers a tool call with the draft it was given, unchanged, or else with a short summary.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Transform = Callable[[dict[str, Any], str], dict[str, Any]]
_ERROR_STATUS = {"overloaded_error": 529, "rate_limit_error": 429, "api_error": 500, "invalid_request_error": 400}


@dataclass
class Reply:
    """One scripted answer: a tool call whose value `transform` makes from the draft and the document's text,
    a text answer, an API error of `error` type, or no answer for `delay` seconds first."""

    transform: Transform | None = None
    text: str | None = None
    error: str | None = None
    malformed: bool = False
    delay: float = 0.0


@dataclass
class FakeAnthropic:
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    most_at_once: int = 0
    _cached: set[str] = field(default_factory=set)
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def answer(self, body: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        """The next scripted reply to a request, noting how many requests were being answered at once."""
        with self._lock:
            self.requests.append(body)
            reply = self.replies.popleft() if self.replies else Reply()
            self._in_flight += 1
            self.most_at_once = max(self.most_at_once, self._in_flight)
        try:
            return self._reply(body, reply)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _reply(self, body: dict[str, Any], reply: Reply) -> tuple[int, dict[str, str], dict[str, Any]]:
        if reply.delay:
            time.sleep(reply.delay)
        if reply.error:
            headers = {"retry-after-ms": "20"} if reply.error in ("overloaded_error", "rate_limit_error") else {}
            return _ERROR_STATUS[reply.error], headers, {
                "type": "error", "error": {"type": reply.error, "message": "scripted failure"}}
        content: list[dict[str, Any]]
        if body.get("tools") and reply.text is None:
            tool = body["tools"][0]
            field = tool["input_schema"]["required"][0]
            draft, document = _user_parts(body)
            value = {"experience": "not a list", "required_skills": 7} if reply.malformed else (
                reply.transform(draft, document) if reply.transform else draft)
            content = [{"type": "tool_use", "id": f"toolu_fake_{len(self.requests)}", "name": tool["name"],
                        "input": {field: value}}]
            stop = "tool_use"
        else:
            content = [{"type": "text", "text": reply.text or "A good match on the skills that matter."}]
            stop = "end_turn"
        return 200, {}, {
            "id": f"msg_fake_{len(self.requests)}", "type": "message", "role": "assistant",
            "model": body["model"], "content": content, "stop_reason": stop, "stop_sequence": None,
            "usage": self._usage(body)}

    def _usage(self, body: dict[str, Any]) -> dict[str, int]:
        """Cache counts as the API reports them: written on the first call with these instructions, read after."""
        system = json.dumps(body.get("system")) + json.dumps(body.get("tools"))
        prefix_tokens = len(system) // 4
        first = system not in self._cached
        self._cached.add(system)
        return {"input_tokens": len(json.dumps(body["messages"])) // 4, "output_tokens": 120,
                "cache_creation_input_tokens": prefix_tokens if first else 0,
                "cache_read_input_tokens": 0 if first else prefix_tokens}


def _user_parts(body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    content = body["messages"][0]["content"]
    text = content if isinstance(content, str) else "".join(part.get("text", "") for part in content)
    draft = re.search(r"<draft>\n(.*?)\n</draft>", text, re.S)
    document = re.search(r"<(resume_text|job_description)>\n(.*?)\n</\1>", text, re.S)
    return (json.loads(draft.group(1)) if draft else {}), (document.group(2) if document else "")


@contextlib.contextmanager
def serve() -> Iterator[FakeAnthropic]:
    """Run a fake on a free loopback port while the block runs."""
    fake = FakeAnthropic()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            body = json.loads(self.rfile.read(length))
            status, headers, payload = fake.answer(body)
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("request-id", f"req_fake_{len(fake.requests)}")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                return

        def log_message(self, format: str, *args: Any) -> None:
            """Silent: a test's output should show the test's own failures."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
