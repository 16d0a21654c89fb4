"""Skills a posting offers as alternatives are one requirement; a skill its title names is its trade."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.job import read_job
from pipeline.matching import match
from pipeline.skills import normalise_skills
from schemas.result import Experience, ResumeResult, Skill

TODAY = datetime.date(2026, 11, 1)


def candidate(skills: list[str], title: str = "Analyst") -> ResumeResult:
    raw = ResumeResult(
        skills=[Skill(skill=name, source="skills_section") for name in skills],
        experience=[Experience(title=title, company="Acme", start_date="2020-01", current=True,
                               highlights=["Worked with " + ", ".join(skills)] if skills else [])],
    )
    return ResumeResult(skills=normalise_skills(raw, "", TODAY), experience=raw.experience)


def groups(posting: str) -> list[list[str]]:
    return [[concept.name for concept in requirement.concepts] for requirement in read_job(posting).requirements]


@pytest.mark.parametrize(("line", "expected"), [
    ("Pipelines with Nextflow or Snakemake", [["Nextflow", "Snakemake"]]),
    ("Proficiency in R and/or Python", [["R", "Python"]]),
    ("Experience with Java, Go or Rust", [["Java", "Go", "Rust"]]),
    ("Experience with Java, Go and Rust", [["Java"], ["Go"], ["Rust"]]),
    ("Manejo de SIG (QGIS, ArcGIS)", [["Geographic Information Systems", "QGIS", "ArcGIS"]]),
    ("A CRM such as HubSpot or Salesforce", [["Customer Relationship Management", "HubSpot", "Salesforce"]]),
    ("Kubernetes and a CRM (e.g. HubSpot)", [["Kubernetes"], ["Customer Relationship Management", "HubSpot"]]),
    ("Comfort with Linux, Git and a workflow manager", [["Linux"], ["Git"], ["Workflow Orchestration"]]),
    ("Models in software such as SAP2000, ETABS or Midas Civil", [["SAP2000", "ETABS"]]),
    ("At least one of Java, Kotlin, Python", [["Java", "Kotlin", "Python"]]),
    ("Tests for the app (Jest, Playwright)", [["Jest"], ["Playwright"]]),
    ("Advanced Life Support (ALS) certification", [["Advanced Life Support"]]),
    ("Experience with SAP or another large ERP and a WMS", [["SAP S/4HANA", "Enterprise Resource Planning"],
                                                           ["Warehouse Management Systems"]]),
])
def test_alternatives_are_read_as_one_requirement(line: str, expected: list[list[str]]) -> None:
    assert groups(f"Data Scientist\nRequirements\n- {line}\n") == expected


def test_requirements_sharing_a_skill_are_one_met_by_any_of_theirs() -> None:
    posting = ("Data Engineer\nNice to have\n- Snakemake\nRequirements\n- Airflow\n- Nextflow or Snakemake\n"
               "- Airflow or Dagster\n- Kafka\n")
    requirements = read_job(posting).requirements
    assert [([c.name for c in r.concepts], r.required, r.words) for r in requirements] == [
        (["Snakemake", "Nextflow"], True, "Nextflow or Snakemake"),
        (["Apache Airflow", "Dagster"], True, "Airflow or Dagster"),
        (["Apache Kafka"], True, "Kafka")]


POSTING = "Bioinformatician\nRequirements\n- Nextflow or Snakemake\n- Linux\n- Bioconductor\n"


def test_either_alternative_meets_the_requirement_and_both_count_once() -> None:
    scores = {tuple(skills): match(candidate(skills), POSTING, 5, TODAY).score
              for skills in (["Nextflow"], ["Snakemake"], ["Nextflow", "Snakemake"])}
    assert len(set(scores.values())) == 1
    result = match(candidate(["Snakemake", "Linux"]), POSTING, 5, TODAY)
    assert [m.requirement for m in result.matched_skills][:1] == ["Nextflow or Snakemake"]
    assert [m.requirement for m in result.missing_skills] == ["Bioconductor"]


def test_a_missing_group_is_one_gap_with_skills_close_to_any_of_it() -> None:
    result = match(candidate(["Apache Airflow", "Linux", "Bioconductor"]), POSTING, 5, TODAY)
    gap = next(m for m in result.missing_skills if m.requirement == "Nextflow or Snakemake")
    assert "Apache Airflow" in gap.transferable_skills


def test_a_workflow_manager_is_met_by_any_kind_of_one() -> None:
    posting = "Bioinformatician\nRequirements\n- Comfort with Linux and a workflow manager\n"
    result = match(candidate(["Airflow"]), posting, 5, TODAY)
    assert [(m.skill, m.reason.endswith("a kind of Workflow Orchestration")) for m in result.matched_skills] == [
        ("Airflow", True)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["Nextflow", "Snakemake", "Linux", "Bioconductor", "Excel", "Git"]), unique=True,
                max_size=4), st.sampled_from(["Nextflow", "Snakemake", "Linux", "Bioconductor"]))
def test_adding_a_skill_asked_for_never_lowers_the_score(skills: list[str], extra: str) -> None:
    before = match(candidate(skills), POSTING, 10, TODAY).score
    assert match(candidate([*dict.fromkeys([*skills, extra])]), POSTING, 10, TODAY).score >= before


def test_a_skill_the_title_names_is_asked_for_in_the_title_words_not_the_employer_beside_them() -> None:
    posting = "# Supplier Quality Engineer — Corvane Automotive\n\nRequirements\n- PPAP\n"
    titled = next(r for r in read_job(posting).requirements if r.in_title)
    assert titled.words == "Supplier Quality Engineer"
    gaps = match(candidate(["Excel"]), posting, 5, TODAY)
    assert "Supplier Quality Engineer" in [m.requirement for m in gaps.missing_skills]
    assert "Corvane" not in gaps.summary


def test_a_soft_skill_the_title_names_weighs_as_the_trade() -> None:
    titled = "Customer Service Manager\nRequirements\n- Zendesk\n- Salesforce\n"
    untitled = "Operations Manager\nRequirements\n- Customer service\n- Zendesk\n- Salesforce\n"
    assert [r.in_title for r in read_job(titled).requirements] == [True, False, False]
    served = candidate(["Customer Service"], title="Guest Services Supervisor")
    skills = {posting: next(p.score for p in match(served, posting, 5, TODAY).breakdown if p.name == "skills")
              for posting in (titled, untitled)}
    assert skills[titled] == pytest.approx(1 / 3, abs=0.01)
    assert skills[untitled] == pytest.approx(0.5 / 2.5, abs=0.01)


def test_a_kind_of_a_skill_implies_what_the_skill_implies() -> None:
    skills = {skill.skill: skill for skill in candidate(["GitHub Actions"]).skills}
    assert skills["Git"].match_method == "implied" and skills["Git"].implied_by == ["GitHub Actions"]


PIECES = ["Python", "R", "SQL", "Airflow", "Dagster", "a CRM", "HubSpot", "Salesforce", "QGIS", "SIG", " or ", " and ",
          ", ", " (", ")", " such as ", " e.g. ", "; ", ". ", "/", "Nice to have\n", "Requirements\n", "\n- ", "Kafka"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_any_posting_asks_for_each_skill_in_exactly_one_requirement(pieces: list[str]) -> None:
    profile = read_job("Data Engineer\nRequirements\n- " + "".join(pieces))
    ids = [concept.id for requirement in profile.requirements for concept in requirement.concepts]
    assert len(ids) == len(set(ids))
    names = [concept.name for requirement in profile.requirements for concept in requirement.concepts]
    assert sorted(names) == sorted([*profile.asks.required_skills, *profile.asks.nice_to_have_skills])
