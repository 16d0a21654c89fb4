"""A posting's degree, fields of study, company blurb and place, and what they do to the score."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from pipeline.fields import degree_fields, field_met, field_phrase
from pipeline.job import read_job
from pipeline.matching import match
from schemas.result import Education, Experience, PersonalInfo, ResumeResult

TODAY = datetime.date(2026, 11, 1)
POSTING = """# Project Manager, Capital Projects — Example Metals

## About the role
Example Metals runs copper and zinc processing plants in Peru and Chile.

## Requirements
- Bachelor's degree in engineering (industrial, mechanical, civil, mining or similar)
- 10+ years of experience in capital projects
- Strong knowledge of Primavera P6 and earned value management

## Desirable
- MBA or postgraduate studies in project management

## Location
Based in Lima, Peru, with regular travel to site.
"""


def test_the_degree_is_the_lowest_the_requirements_accept_and_a_preferred_one_raises_nothing() -> None:
    asks = read_job(POSTING).asks
    assert asks.degree == "bachelor"
    assert read_job("Analyst\nRequirements\n- Bachelor's degree required, Master's preferred\n").asks.degree \
        == "bachelor"
    assert read_job("Scientist\nRequirements\n- PhD in biology, or an MSc with 3 years of research\n").asks.degree \
        == "master"
    assert read_job("Analyst\nRequirements\n- SQL\nNice to have\n- An MBA\n").asks.degree is None
    assert read_job("Engineer\nRequirements\n- Master's degree in Computer Science\n").asks.degree == "master"


def test_fields_are_read_from_lists_brackets_shared_heads_and_other_languages() -> None:
    asks = read_job(POSTING).asks
    assert asks.field_of_study is not None
    assert degree_fields(asks.field_of_study) == (
        ("industrial engineering", "mechanical engineering", "civil engineering", "mining engineering"), True)
    assert degree_fields("civil or structural engineering").fields == ("civil engineering", "structural engineering")
    spanish = field_phrase("- Grado en Ciencias Ambientales, Ingeniería Ambiental, Biología o similar; se valorará")
    assert spanish is not None
    assert degree_fields(spanish) == (("science environmental", "engineering environmental", "biology"), True)
    german = field_phrase("- Abgeschlossenes Studium des Maschinenbaus oder eines vergleichbaren Studiengangs")
    assert german is not None and degree_fields(german) == (("mechanical engineering",), True)
    assert field_phrase("- 5 years of experience with SQL") is None
    assert field_phrase("- A recognised degree in which English was studied to the required level") is None


def test_a_degree_meets_a_named_field_in_any_language_and_only_that_field() -> None:
    capital = degree_fields("engineering (industrial, mechanical, civil, mining or similar)")
    assert field_met(capital, ["Master of Engineering Civil and Earth Resources Engineering"]) == "civil engineering"
    assert field_met(capital, ["M.Sc. Maschinenbau"]) == "mechanical engineering"
    # A practitioner's title names the field, as a wrapped line may have cut off the field itself.
    assert field_met(capital, ["Bachelor of Science (Ingeniero Industrial y de Sistemas) Industrial and Systems"]) \
        == "industrial engineering"
    assert field_met(capital, ["Bachelor of Commerce Marketing"]) is None
    assert field_met(capital, ["Bachelor of Science Civil Law"]) is None
    assert field_met(capital, ["Bachelor of Science Industrial Design Engineering"]) is None
    assert field_met(capital, ["BEng Engineering (Civil)"]) == "civil engineering"
    assert field_met(capital, ["Grado en Ingeniería Industrial"]) == "industrial engineering"
    assert field_met(capital, ["Bachelor of Science Industrial, Design and Mechanical Engineering"]) is not None
    water = degree_fields("Ciencias Ambientales, Ingeniería Ambiental, Biología o similar")
    assert field_met(water, ["Master's Degree Environmental Engineering"]) is not None
    assert field_met(water, ["Master's Degree Chemical Engineering"]) is None
    assert field_met(water, ["PhD Biological Science"]) == "biology"
    assert field_met(degree_fields("hospitality or tourism management"), ["Bachelor Tourism and Recreation"]) \
        == "tourism management"
    supply_chain = degree_fields("supply chain, industrial engineering, business or similar")
    assert field_met(supply_chain, ["MBA Business Administration", "Bachelor of Science Industrial Engineering"]) \
        == "industrial engineering"
    assert field_met(supply_chain, ["MBA Business Administration"]) == "business"


def test_a_degree_in_a_general_field_meets_the_degree_but_shows_no_trade() -> None:
    posting = ("Customer Service Manager\nRequirements\n- Bachelor's degree in management, commerce or customer "
               "relations\n- Zendesk\n")
    manager = match(_engineer("Management"), posting, 5, TODAY)
    unread = match(_engineer("Zoology"), posting, 5, TODAY)
    assert "in management" in next(part for part in manager.breakdown if part.name == "education").detail
    assert manager.score == unread.score


@given(st.lists(st.sampled_from(["civil", "mechanical", "chemical", "electrical", "mining", "industrial"]),
                min_size=1, max_size=5, unique=True), st.booleans())
def test_every_field_of_a_shared_head_list_is_read(modifiers: list[str], bracketed: bool) -> None:
    listed = ", ".join(modifiers[:-1]) + (" or " if len(modifiers) > 1 else "") + modifiers[-1]
    phrase = field_phrase(f"- Bachelor's degree in engineering ({listed})" if bracketed
                          else f"- Bachelor's degree in {listed} engineering")
    assert phrase is not None
    assert degree_fields(phrase).fields == tuple(f"{modifier} engineering" for modifier in modifiers)


def _engineer(field: str) -> ResumeResult:
    return ResumeResult(
        personal_info=PersonalInfo(name="Ana Ruiz"),
        experience=[Experience(title="Site Coordinator", company="Acme", start_date="2012-01", current=True)],
        education=[Education(institution="Universidad de Lima", degree="Bachelor of Engineering",
                             field_of_study=field)])


def test_a_degree_in_a_named_field_shows_the_candidate_trained_for_the_work() -> None:
    civil = match(_engineer("Civil Engineering"), POSTING, 5, TODAY)
    other = match(_engineer("Marketing"), POSTING, 5, TODAY)
    assert civil.score > other.score
    education = next(part for part in civil.breakdown if part.name == "education")
    assert education.score == 1.0 and "civil engineering" in education.detail
    assert next(part for part in other.breakdown if part.name == "education").score == 1.0


def test_a_degree_outside_fields_named_without_or_similar_meets_the_degree_half() -> None:
    posting = "Structural Engineer\nRequirements\n- Bachelor's degree in civil or structural engineering\n- ETABS\n"
    civil = match(_engineer("Civil Engineering"), posting, 5, TODAY)
    other = match(_engineer("Marketing"), posting, 5, TODAY)
    assert next(part for part in civil.breakdown if part.name == "education").score == 1.0
    assert next(part for part in other.breakdown if part.name == "education").score == 0.5


def test_skills_of_the_company_blurb_are_not_required_and_the_place_is_read_from_its_section() -> None:
    job = read_job(POSTING)
    blurb = [requirement for requirement in job.requirements if "copper" in requirement.words]
    assert blurb and not any(requirement.required for requirement in blurb)
    assert {"Primavera P6", "Earned Value Management"} <= set(job.asks.required_skills)
    assert job.asks.location == "Lima, Peru"
    short_blurb = read_job("Project Manager\n## About us\nWe build Kubernetes platforms.\n"
                           "## Requirements\n- Primavera P6\n")
    assert short_blurb.asks.required_skills == ["Primavera P6"]
    assert read_job("Nurse\nLocation: Leeds. Enhanced DBS check required\n").asks.location == "Leeds"
