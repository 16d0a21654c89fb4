"""The prompt check on the labelled set, through the same planting and extract path as bench/prompt_check.py:
planted instructions found, benign resume lines and the clean dev corpus left alone."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.prompt_check import (
    CORPUS_DOCS,
    RESUMES,
    TARGET_RECALL,
    corpus_documents,
    load_prompt_set,
    resume_pdf,
    screen_file,
    screen_set,
)
from pipeline.extract import extract
from pipeline.validate import check_prompt

PROMPT_SET = load_prompt_set()


def test_the_set_covers_what_it_is_meant_to() -> None:
    planted, benign = PROMPT_SET.planted, PROMPT_SET.benign
    assert len(planted) >= 60 and len(benign) >= 60
    ids = [entry.id for entry in planted] + [entry.id for entry in benign]
    assert len(set(ids)) == len(ids)
    by_language = Counter(entry.language for entry in planted)
    assert all(by_language[language] >= 6 for language in RESUMES if language != "en")
    assert min(Counter(entry.obfuscation for entry in planted).values()) >= 5
    assert set(Counter(entry.planting for entry in planted)) == {"visible", "hidden_white", "hidden_tiny"}
    assert {entry.language for entry in benign} == set(RESUMES)


def test_planted_instructions_are_found_and_benign_lines_pass() -> None:
    outcome = screen_set(PROMPT_SET)
    recall = len(outcome.detected) / len(PROMPT_SET.planted)
    assert recall >= TARGET_RECALL, f"recall {recall:.3f}, missed {outcome.missed}"
    assert outcome.flagged_benign == []


@pytest.mark.parametrize("entry_id", ["en-01", "en-02", "en-09"])
def test_a_detection_points_at_the_planted_text(entry_id: str) -> None:
    entry = next(entry for entry in PROMPT_SET.planted if entry.id == entry_id)
    assert entry.obfuscation == "none"
    document = extract(resume_pdf(entry.text, entry.planting, entry.language), filename="x.pdf")
    raw_text = document.raw_text()
    detection = check_prompt(raw_text, document, "basic").detections[0]
    if entry.planting == "visible":
        assert raw_text[detection.position] == detection.phrase[0]
        assert detection.line == raw_text.count("\n", 0, detection.position) + 1
    else:
        assert detection.position > len(raw_text)
        assert detection.line > raw_text.count("\n") + 1
    assert detection.phrase in " ".join(entry.text.split())
    assert detection.phrase in detection.context


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS_DOCS.is_dir(), reason="the dev corpus in ../shared is not here")
def test_no_false_positive_on_the_dev_corpus() -> None:
    documents = corpus_documents()
    flagged = [path.name for path in documents if not screen_file(path.read_bytes(), path.name).passed]
    assert documents
    assert flagged == []
