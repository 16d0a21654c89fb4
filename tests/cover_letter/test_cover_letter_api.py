"""Cover letters through the real app: a PDF, a DOCX and text, in the same async flow as resumes."""

from __future__ import annotations

import io
from typing import Any

import docx
import pymupdf
from litestar.testing import TestClient

from tests.api.test_errors import assert_envelope
from tests.api.test_parse_flow import wait_done
from tests.conftest import KeyInfo
from tests.cover_letter.test_cover_letter import ENGLISH, GERMAN


def _pdf(text: str) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    for row, line in enumerate(text.splitlines()):
        page.insert_text((56, 60 + 13 * row), line, fontsize=10, fontname="helv")
    data: bytes = doc.tobytes()
    doc.close()
    return data


def _docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_pdf_cover_letter_is_parsed_and_polled_like_a_resume(client: TestClient[Any], key: KeyInfo) -> None:
    response = client.post("/v1/cover-letter/parse", files={"file": ("letter.pdf", _pdf(ENGLISH))},
                           headers=key.headers)
    assert response.status_code == 202, response.text
    assert response.json()["estimated_credits"] == 1
    done = wait_done(client, key, response.json()["request_id"])
    assert done["status"] == "completed", done
    assert done["metadata"]["document"] == "cover_letter"
    assert done["metadata"]["extract"]["source_format"] == "pdf"
    letter = done["result"]
    assert letter["personal_info"]["name"] == "Marta Kowalczyk"
    assert letter["personal_info"]["email"] == "marta.kowalczyk@example.org"
    assert (letter["hiring_manager"], letter["company"], letter["role"]) == (
        "Priya Patel", "Northwind Logistics", "Senior Backend Engineer")
    assert letter["letter_text"].startswith("I am writing to apply")
    assert "Kowalczyk" in done["raw_text"]
    assert done["credits_consumed"] == 1


def test_docx_and_text_cover_letters(client: TestClient[Any], key: KeyInfo) -> None:
    from_docx = client.post("/v1/cover-letter/parse", files={"file": ("brief.docx", _docx(GERMAN))},
                            headers=key.headers).json()
    from_text = client.post("/v1/cover-letter/parse", json={"input": {"type": "text", "raw_text": GERMAN}},
                            headers=key.headers).json()
    for accepted in (from_docx, from_text):
        letter = wait_done(client, key, accepted["request_id"])["result"]
        assert (letter["personal_info"]["name"], letter["company"], letter["hiring_manager"]) == (
            "Jonas Müller", "Bosch GmbH", "Anna Weber")
        assert letter["role"] == "Entwicklungsingenieur Antriebstechnik"


def test_what_a_cover_letter_cannot_ask_for_is_refused(client: TestClient[Any], key: KeyInfo) -> None:
    prior = {"input": {"type": "result", "data": {"result": {"personal_info": {}}}}}
    refused = assert_envelope(client.post("/v1/cover-letter/parse", json=prior, headers=key.headers), 400,
                              "INVALID_REQUEST")
    assert [error["path"] for error in refused["field_errors"]] == ["input.type"]
    with_posting = {"input": {"type": "text", "raw_text": ENGLISH, "job_description": "Backend engineer. " * 10}}
    matched = assert_envelope(client.post("/v1/cover-letter/parse", json=with_posting, headers=key.headers), 400,
                              "INVALID_REQUEST")
    assert [error["path"] for error in matched["field_errors"]] == ["input.job_description"]
