"""Occupations through O*NET: titles in English and other languages, profiles, and what they add to matching."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.matching import match
from pipeline.occupations import english_title, profile, similarity, title_occupations
from pipeline.skills import normalise_skills
from schemas.result import Experience, ResumeResult, Skill
from taxonomy import load, occupations

TODAY = datetime.date(2026, 11, 1)


def _names(title: str) -> set[str]:
    return {occupations().names[code] for code in title_occupations(title)}


@pytest.mark.parametrize(("title", "occupation"), [
    ("Senior Structural Engineer, Bridges", "Civil Engineers"),
    ("Director of Supply Chain and Distribution", "Transportation, Storage, and Distribution Managers"),
    ("Enterprise Account Executive, Brazil", "Advertising and Promotions Managers"),
    ("Journeyperson Electrician / Lead Hand", "Electricians"),
    ("Técnico/a de Medio Ambiente", "Environmental Science and Protection Technicians, Including Health"),
    ("Ingeniero Civil", "Civil Engineers"),
    ("Enfermera de cuidados intensivos", "Registered Nurses"),
])
def test_a_title_is_known_as_its_occupation(title: str, occupation: str) -> None:
    assert occupation in _names(title)


def test_a_title_in_another_language_is_read_in_english_words() -> None:
    assert english_title("Técnico/a de Medio Ambiente") == "environmental technician"
    assert english_title("Responsable Service Client") == "customer service manager"
    assert english_title("Directeur Marketing") == "marketing director"
    assert english_title("Versuchsingenieur Thermomanagement") == "test engineer, thermomanagement"
    assert english_title("Senior Data Engineer") is None


def test_no_title_or_skill_leads_to_a_catch_all_occupation() -> None:
    data = occupations()
    assert not any(name.endswith(", All Other") for name in data.names.values())
    assert "Managers, All Other" not in _names("Project Manager")
    assert {code for codes in data.titles.values() for code in codes} <= data.names.keys()


def test_related_occupations_are_closer_than_unrelated_ones() -> None:
    structural = profile((("Structural Engineer", 1.0),), ())
    mechanical = profile((("Mechanical Engineer", 1.0),), ())
    marketing = profile((("Marketing Manager", 1.0),), ())
    assert similarity(structural, structural) == pytest.approx(1.0)
    assert similarity(structural, mechanical) > 0.1 > similarity(structural, marketing)
    assert similarity(structural, profile((), ())) == 0.0


def test_a_rare_tool_says_more_about_the_occupation_than_a_common_one() -> None:
    taxonomy = load()
    civil_3d, excel = (taxonomy.lookup(name) for name in ("AutoCAD Civil 3D", "Microsoft Excel"))
    assert civil_3d is not None and excel is not None
    civil = profile((("Civil Engineer", 1.0),), ())
    assert similarity(profile((), (civil_3d[0].id,)), civil) > similarity(profile((), (excel[0].id,)), civil)


STRUCTURAL = """Structural Engineer, Bridges
Requirements
- Structural analysis with SAP2000 and ETABS
- Eurocode design of reinforced concrete
"""


def _person(title: str, skills: list[str]) -> ResumeResult:
    raw = ResumeResult(skills=[Skill(skill=name, source="skills_section") for name in skills],
                       experience=[Experience(title=title, company="Acme", start_date="2018-01", current=True)])
    return ResumeResult(skills=normalise_skills(raw, "", TODAY), experience=raw.experience)


def test_a_related_occupation_outranks_an_unrelated_one_when_neither_has_the_skills() -> None:
    mechanical = match(_person("Mechanical Design Engineer", ["SolidWorks", "Finite Element Analysis"]),
                       STRUCTURAL, 5, TODAY)
    marketing = match(_person("Marketing Manager", ["Google Ads", "HubSpot"]), STRUCTURAL, 5, TODAY)
    occupation = {m.score: next(p for p in m.breakdown if p.name == "occupation") for m in (mechanical, marketing)}
    assert occupation[mechanical.score].score > occupation[marketing.score].score
    assert mechanical.score > marketing.score
    assert "Engineers" in occupation[mechanical.score].detail


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["SAP2000", "ETABS", "AutoCAD", "Revit", "Python", "Excel", "Google Ads"]),
                unique=True, max_size=4),
       st.sampled_from(["SAP2000", "ETABS"]))
def test_a_required_skill_added_to_the_resume_never_lowers_the_score(skills: list[str], extra: str) -> None:
    before = match(_person("Civil Engineer", skills), STRUCTURAL, 10, TODAY).score
    after = match(_person("Civil Engineer", sorted({*skills, extra})), STRUCTURAL, 10, TODAY).score
    assert after >= before


def test_a_title_naming_a_field_is_known_as_the_field_s_practitioner() -> None:
    assert title_occupations("Environmental Engineering Graduate") == title_occupations("Environmental Engineer")
    assert title_occupations("Computer Science Graduate") == title_occupations("Computer Scientist")
    assert title_occupations("Summer Engineering Intern") == []
