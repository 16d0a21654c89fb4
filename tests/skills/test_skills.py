"""Skills normalisation: aliases, false friends, implications and evidence from dated jobs."""

from __future__ import annotations

import datetime

import pytest

from pipeline.skills import normalise_skills
from schemas.result import Experience, ResumeResult, Skill
from taxonomy import load

TODAY = datetime.date(2026, 11, 1)


def names(result: ResumeResult) -> dict[str, Skill]:
    return {skill.skill: skill for skill in normalise_skills(result, "", TODAY)}


@pytest.mark.parametrize(
    ("written", "canonical", "method"),
    [("JS", "JavaScript", "alias"), ("K8s", "Kubernetes", "alias"), ("MS Excel", "Microsoft Excel", "alias"),
     ("Postgres", "PostgreSQL", "alias"), ("Python", "Python", "exact"), ("AWS", "Amazon Web Services", "alias")],
)
def test_listed_skills_are_normalised(written: str, canonical: str, method: str) -> None:
    skill = names(ResumeResult(skills=[Skill(skill=written, source="skills_section")]))[written]
    assert skill.match_method == method
    assert skill.skill_id == load().lookup(canonical)[0].id  # type: ignore[index]
    assert canonical in skill.synonyms or canonical == written


def test_java_is_never_javascript_and_unknown_skills_are_kept() -> None:
    found = names(ResumeResult(skills=[Skill(skill="Java", source="skills_section"),
                                       Skill(skill="Quantum Basket Weaving", source="skills_section")]))
    assert found["Java"].skill_id != load().lookup("JavaScript")[0].id  # type: ignore[index]
    assert found["Quantum Basket Weaving"].match_method is None
    assert found["Quantum Basket Weaving"].confidence is not None and found["Quantum Basket Weaving"].confidence < 0.7


@pytest.mark.parametrize(
    ("sentence", "present", "absent"),
    [
        ("Led our Go to market strategy for the new region.", [], ["Go"]),
        ("Wrote backend services in Go and Rust for the payments stack.", ["Go", "Rust"], []),
        ("Gave the team access to the spreadsheet archive.", [], ["Access"]),
        ("Built Spark Structured Streaming jobs and Kafka consumers.", ["Kafka"], []),
        ("Deployed JS front ends on K8s clusters.", ["JS", "K8s"], []),
        ("Helped spark interest in local events.", [], ["spark", "Spark"]),
    ],
)
def test_false_friends_in_free_text(sentence: str, present: list[str], absent: list[str]) -> None:
    found = names(ResumeResult(summary=sentence))
    for name in present:
        assert name in found, f"{name} missing from {sorted(found)}"
    for name in absent:
        assert name not in found, f"{name} wrongly found in {sentence!r}"


def test_years_last_used_and_implied_skills() -> None:
    result = ResumeResult(
        skills=[Skill(skill="React", source="skills_section"), Skill(skill="Python (expert)", source="skills_section")],
        experience=[
            Experience(title="Engineer", start_date="2018-01", end_date="2020-12",
                       highlights=["Built React dashboards"]),
            Experience(title="Senior Engineer", start_date="2021-01", current=True,
                       highlights=["Led React and Python services"]),
        ],
    )
    found = names(result)
    react = found["React"]
    assert react.years_experience is not None and react.years_experience >= 8.5
    assert react.last_used == "2026-11"
    assert react.proficiency in ("advanced", "expert")
    assert found["Python"].proficiency == "expert"
    implied = found["JavaScript"]
    assert implied.match_method == "implied" and implied.implied_by == ["React"]


def test_taxonomy_is_large_and_attributed() -> None:
    stats = load().stats()
    by_type = stats["by_type"]
    assert isinstance(stats["skills"], int) and stats["skills"] > 20_000
    assert isinstance(by_type, dict) and by_type["soft"] > 100
    from pathlib import Path

    notice = (Path(__file__).resolve().parents[2] / "taxonomy" / "NOTICE").read_text()
    assert "ESCO" in notice and "O*NET" in notice and "CC BY-SA 4.0" in notice and "Linguist" in notice
