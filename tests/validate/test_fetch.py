"""URL input: only http(s), internal addresses refused on every hop, sizes bounded."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from pipeline.errors import ExtractionError
from pipeline.fetch import FetchPolicy, fetch_url

BODY = b"Jane Doe\njane@example.com\n"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/cv.txt")
            self.end_headers()
            return
        if self.path == "/big":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads results, not logs."""


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_loopback_is_refused_without_allowlist(server: str) -> None:
    with pytest.raises(ExtractionError, match="internal"):
        fetch_url(f"{server}/cv.txt")


def test_allowlisted_loopback_is_fetched_through_redirects(server: str) -> None:
    policy = FetchPolicy(allowlist=("127.0.0.1/32",))
    data, name = fetch_url(f"{server}/redirect", policy)
    assert data == BODY
    assert name == "cv.txt"


def test_size_limit_applies_while_downloading(server: str) -> None:
    with pytest.raises(ExtractionError, match="larger"):
        fetch_url(f"{server}/big", FetchPolicy(allowlist=("127.0.0.1",), max_bytes=1000))


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.com/cv.pdf", "http://169.254.169.254/latest/meta-data/",
     "http://10.0.0.1/cv.pdf", "http://[::1]/cv.pdf", "http://0.0.0.0/cv.pdf"],
)
def test_refused_urls(url: str) -> None:
    with pytest.raises(ExtractionError):
        fetch_url(url)
