"""Inputs beyond uploaded files: web pages by URL, and scans that must read like their PDF."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from collections.abc import Iterator

import pytest
from rapidfuzz import fuzz

from pipeline.fetch import FetchPolicy
from pipeline.run import PipelineInput, run_pipeline
from schemas.request import ParseRequestConfig, resolve_config
from tests import samples
from tests.conftest import CORPUS

PAGE = (
    "<html><head><title>CV</title><script>track()</script></head><body><nav>Home</nav>"
    f"<h1>{samples.NAME}</h1><p>{samples.EMAIL} | {samples.PHONE}</p>"
    "<h2>Experience</h2><p><b>Senior Software Engineer</b></p>"
    f"<p>{samples.COMPANY}, Chicago, IL | Jan 2020 - Present</p><ul><li>Led the routing migration</li></ul>"
    "</body></html>"
).encode()


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads results, not logs."""


@pytest.fixture()
def page_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/cv.html"
    server.shutdown()


def test_a_web_page_url_is_fetched_and_parsed(page_url: str) -> None:
    output = run_pipeline(PipelineInput(kind="url", url=page_url), resolve_config(ParseRequestConfig(), False),
                          fetch_policy=FetchPolicy(allowlist=("127.0.0.1/32",)))
    assert output.extract.source_format == "html"
    assert output.result is not None
    assert output.result.personal_info.email == samples.EMAIL
    assert output.result.experience[0].company == samples.COMPANY
    assert output.raw_text is not None and "track()" not in output.raw_text


def _parse(name: str) -> dict[str, object]:
    path = CORPUS / "docs" / name
    output = run_pipeline(PipelineInput(kind="file", file_bytes=path.read_bytes(), file_name=name),
                          resolve_config(ParseRequestConfig(), False))
    assert output.result is not None
    info = output.result.personal_info
    companies = [job.company or "" for job in output.result.experience]
    return {"name": info.name, "email": info.email, "companies": companies}


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists() or shutil.which("tesseract") is None,
                    reason="needs the dev corpus and Tesseract")
@pytest.mark.parametrize("person", ["p003", "p005", "p011", "p013", "p014"])
def test_a_scan_parses_like_its_pdf(person: str) -> None:
    truth = json.loads((CORPUS / "truth" / f"{person}__image-png.json").read_text())
    scan = _parse(f"{person}__image-png.png")
    pdf = _parse(f"{person}__{truth['source_renderer']}.pdf")
    assert scan["name"] == pdf["name"] and scan["email"] == pdf["email"]
    scanned, printed = scan["companies"], pdf["companies"]
    assert isinstance(scanned, list) and isinstance(printed, list)
    employers = [company for company in printed if company]
    assert employers
    for company in employers:
        assert max(fuzz.ratio(company, other) for other in scanned) >= 90, (company, scanned)
