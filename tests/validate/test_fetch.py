"""URL input: only http(s), internal addresses refused on every hop, sizes bounded."""

from __future__ import annotations

import http.server
import threading
import time
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
        if self.path == "/elsewhere":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{self.headers['Host'].rsplit(':', 1)[1]}/cv.txt")
            self.end_headers()
            return
        if self.path == "/trickle":
            self.send_response(200)
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"x" * 10)
                self.wfile.flush()
                time.sleep(0.1)
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


def test_every_redirect_hop_is_checked(server: str) -> None:
    """Allowed to fetch from 127.0.0.1, the URL may not hop to another loopback address the list does not name."""
    with pytest.raises(ExtractionError, match="internal"):
        fetch_url(f"{server}/elsewhere", FetchPolicy(allowlist=("127.0.0.1/32",)))


def test_the_time_limit_bounds_the_whole_download(server: str) -> None:
    """A server that trickles bytes, each well inside the read timeout, is cut off at the total limit."""
    started = time.monotonic()
    with pytest.raises(ExtractionError, match="too long"):
        fetch_url(f"{server}/trickle", FetchPolicy(allowlist=("127.0.0.1",), timeout=1.0))
    assert time.monotonic() - started < 3.5


def test_size_limit_applies_while_downloading(server: str) -> None:
    with pytest.raises(ExtractionError, match="larger"):
        fetch_url(f"{server}/big", FetchPolicy(allowlist=("127.0.0.1",), max_bytes=1000))


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.com/cv.pdf", "http://169.254.169.254/latest/meta-data/",
     "http://10.0.0.1/cv.pdf", "http://[::1]/cv.pdf", "http://0.0.0.0/cv.pdf", "http://2130706433/cv.pdf",
     "http://0x7f.1/cv.pdf", "http://[::ffff:127.0.0.1]/cv.pdf", "http://100.64.0.1/cv.pdf",
     "http://[fd00:ec2::254]/cv.pdf", "http://224.0.0.1/cv.pdf", "http://localhost/cv.pdf"],
)
def test_refused_urls(url: str) -> None:
    """Refused before any connection: every address here is internal, however it is written."""
    with pytest.raises(ExtractionError, match=r"internal|only http|could not be resolved"):
        fetch_url(url)
