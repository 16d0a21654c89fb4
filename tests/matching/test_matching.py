"""Matching: monotonic in required skills, capped lists, criticality order, no reward for stuffing."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.matching import match, read_job
from pipeline.skills import normalise_skills
from schemas.result import Experience, ResumeResult, Skill

TODAY = datetime.date(2026, 11, 1)
JD = (
    "Senior Data Engineer\n"
    "Requirements:\n- 5+ years of experience\n- Python and SQL\n- Apache Kafka\n- Kubernetes\n- Terraform\n"
    "Nice to have:\n- Rust\n- Tableau\n"
)
POOL = ["Python", "SQL", "Kafka", "Kubernetes", "Terraform", "Rust", "Tableau", "Excel", "Figma", "Docker"]


def candidate(skills: list[str], years: int = 6) -> ResumeResult:
    raw = ResumeResult(
        skills=[Skill(skill=name, source="skills_section") for name in skills],
        experience=[Experience(title="Data Engineer", company="Acme", start_date=f"{2026 - years}-01", current=True,
                               highlights=["Built pipelines in " + ", ".join(skills)])],
    )
    return ResumeResult(skills=normalise_skills(raw, "", TODAY), experience=raw.experience)


def test_job_description_is_read_into_required_and_nice() -> None:
    profile = read_job(JD)
    required = {r.concept.name for r in profile.requirements if r.required}
    nice = {r.concept.name for r in profile.requirements if not r.required}
    assert {"Python", "SQL", "Apache Kafka", "Kubernetes", "Terraform"} <= required
    assert {"Rust", "Tableau"} <= nice
    assert profile.years_required == 5


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(POOL), unique=True, max_size=6), st.sampled_from(POOL[:5]))
def test_adding_a_required_skill_never_lowers_the_score(skills: list[str], extra: str) -> None:
    before = match(candidate(skills), JD, 10, TODAY).score
    after = match(candidate([*skills, extra] if extra not in skills else skills), JD, 10, TODAY).score
    assert after >= before


def test_scores_order_candidates_and_cap_the_unqualified() -> None:
    full = match(candidate(POOL[:7]), JD, 3, TODAY)
    partial = match(candidate(["Python", "SQL"]), JD, 3, TODAY)
    none = match(candidate(["Excel", "Figma", "Rust", "Tableau"]), JD, 3, TODAY)
    assert full.score > partial.score > none.score
    assert full.score >= 90
    assert none.score <= 25


def test_keyword_stuffing_is_not_rewarded() -> None:
    honest = match(candidate(["Python", "SQL"]), JD, 3, TODAY)
    stuffed = ResumeResult(
        skills=candidate(["Python", "SQL"]).skills * 20,
        experience=candidate(["Python", "SQL"]).experience,
        summary="Python " * 200,
    )
    assert match(stuffed, JD, 3, TODAY).score == honest.score


def test_top_skills_caps_both_lists_and_missing_is_ordered_by_criticality() -> None:
    result = match(candidate(["Python"]), JD, 2, TODAY)
    assert len(result.matched_skills) <= 2 and len(result.missing_skills) == 2
    everything = match(candidate(["Python"]), JD, 10, TODAY)
    criticality = [m.criticality for m in everything.missing_skills]
    assert criticality == sorted(criticality, reverse=True)
    required_missing = [m for m in everything.missing_skills if "Kafka" in m.requirement]
    nice_missing = [m for m in everything.missing_skills if "Rust" in m.requirement]
    assert required_missing[0].criticality > nice_missing[0].criticality
    assert everything.matched_skills[0].reason
    assert everything.summary
