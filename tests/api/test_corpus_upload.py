"""Dev-corpus PDFs uploaded through the API reach `completed` with the right contact and experience."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar.testing import TestClient
from rapidfuzz import fuzz

from tests.api.test_parse_flow import upload, wait_done
from tests.conftest import CORPUS, KeyInfo, issue_key, store_of

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.exists(), reason="the dev corpus in ../shared is not here"),
]

DOCUMENTS = ["p001__theme-flat.pdf", "p002__rendercv-classic.pdf", "p003__moderncv-classic.pdf",
             "p004__docx-pandoc.docx", "p005__theme-even.pdf"]


def has_matching_job(predicted: list[dict[str, Any]], truth: list[dict[str, Any]]) -> bool:
    for want in truth:
        for got in predicted:
            title_ok = fuzz.token_set_ratio(want.get("title") or "", got.get("title") or "") >= 90
            start_ok = (got.get("start_date") or "")[:4] == (want.get("start_date") or "")[:4]
            if title_ok and start_ok:
                return True
    return False


@pytest.mark.parametrize("name", DOCUMENTS)
def test_corpus_document_completes_with_name_email_and_a_job(client: TestClient[Any], name: str) -> None:
    key: KeyInfo = issue_key(store_of(client), page_limit=8)
    truth = json.loads((CORPUS / "truth" / (name.rsplit(".", 1)[0] + ".json")).read_text())["result"]
    done = wait_done(client, key, upload(client, key, name, (CORPUS / "docs" / name).read_bytes())["request_id"])
    assert done["status"] == "completed", done
    info = done["result"]["personal_info"]
    assert info["name"].casefold() == truth["personal_info"]["name"].casefold()
    assert info["email"] == truth["personal_info"]["email"]
    assert has_matching_job(done["result"]["experience"], truth["experience"])
