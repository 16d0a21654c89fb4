"""A labelled set of tricky sentences (labelled_sentences.json): false friends never become skills, and the
aliases, one-letter languages and multi-word names people write are found."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from pipeline.skills import normalise_skills
from schemas.result import ResumeResult
from taxonomy import load

CASES = json.loads((Path(__file__).parent / "labelled_sentences.json").read_text())
RECALL_FLOOR = 0.95


def _found(text: str) -> tuple[set[str | None], set[str]]:
    skills = [skill for skill in normalise_skills(ResumeResult(summary=text), "", datetime.date(2026, 11, 1))
              if skill.match_method != "implied"]
    return {skill.skill_id for skill in skills}, {skill.skill for skill in skills}


def _names(name: str, ids: set[str | None], written: set[str]) -> bool:
    known = load().lookup(name)
    return (known is not None and known[0].id in ids) or name in written


def test_no_false_friend_of_the_labelled_set_becomes_a_skill() -> None:
    wrong = []
    for case in CASES:
        ids, written = _found(case["text"])
        wrong += [(case["text"], name) for name in case["absent"] if _names(name, ids, written)]
    assert wrong == []


def test_the_skills_the_labelled_set_names_are_found() -> None:
    expected = found = 0
    missed = []
    for case in CASES:
        ids, written = _found(case["text"])
        for name in case["present"]:
            expected += 1
            if _names(name, ids, written):
                found += 1
            else:
                missed.append((case["text"], name))
    assert len(CASES) >= 50 and expected >= 80
    assert found / expected >= RECALL_FLOOR, missed
