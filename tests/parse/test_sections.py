"""Section headings in five languages, any casing, with decoration; and a parse of a whole resume."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract import document_from_text, extract
from pipeline.parse import parse
from pipeline.parse.sections import SECTION_NAMES, section_kind
from tests import samples

HEADINGS = [(name, kind) for kind, names in SECTION_NAMES.items() for name in names]


@given(st.sampled_from(HEADINGS), st.sampled_from(["{}", "{}:", "{} :", "---- {} ----", "## {}", "\uf0b1 {}", "1. {}"]),
       st.sampled_from([str.upper, str.lower, str.title, str]))
def test_headings_are_recognised_with_decoration(heading: tuple[str, str], template: str, case: object) -> None:
    name, kind = heading
    assert section_kind(template.format(case(name))) == kind  # type: ignore[operator]


@pytest.mark.parametrize(
    ("heading", "kind"),
    [("Berufserfahrung", "experience"), ("Expérience professionnelle", "experience"),
     ("Experiencia laboral", "experience"), ("Experiência profissional", "experience"),
     ("Ausbildung", "education"), ("Formation", "education"), ("Educación", "education"),
     ("Kenntnisse", "skills"), ("Compétences", "skills"), ("Idiomas", "languages"), ("Sprachen", "languages")],
)
def test_multilingual_headings(heading: str, kind: str) -> None:
    assert section_kind(heading) == kind


def test_a_projects_section_named_as_experience_holds_projects_not_jobs() -> None:
    document = document_from_text(
        "Sanne Vries\nsanne@example.com\n\nWork Experience\nUX Designer, Mirabeau\nSep 2017 - Jan 2019\n"
        "Designed customer portals for banks\n\nProjects Experience\nA11y Annotation Kit for Figma\n"
        "Mar 2021 - Present\nFree community file with accessibility annotation components\n")
    result = parse(document).result
    assert [(job.title, job.company) for job in result.experience] == [("UX Designer", "Mirabeau")]
    assert [project.name for project in result.projects] == ["A11y Annotation Kit for Figma"]


def test_sentences_are_not_headings() -> None:
    assert section_kind("Experience with large distributed systems and teams") is None
    assert section_kind("") is None


@pytest.mark.parametrize("source", ["pdf", "docx", "txt", "md"])
def test_whole_resume_in_every_format(source: str) -> None:
    document = {
        "pdf": lambda: extract(samples.resume_pdf()),
        "docx": lambda: extract(samples.resume_docx()),
        "txt": lambda: document_from_text(samples.resume_text()),
        "md": lambda: document_from_text(samples.resume_markdown(), "markdown"),
    }[source]()
    outcome = parse(document)
    result = outcome.result
    assert result.personal_info.name == samples.NAME
    assert result.personal_info.email == samples.EMAIL
    assert result.personal_info.phone_e164 == "+14155550134"
    first = result.experience[0]
    assert (first.title, first.company, first.start_date, first.current) == (
        samples.TITLE, samples.COMPANY, "2020-01", True)
    second = result.experience[1]
    assert (second.company, second.start_date, second.end_date) == ("Contoso Freight", "2016-06", "2019-12")
    assert result.education[0].institution == "University of Illinois Urbana-Champaign"
    assert result.education[0].degree == "Bachelor of Science"
    assert result.education[0].field_of_study == "Computer Science"
    assert {"Python", "Go", "Kubernetes"} <= {skill.skill for skill in result.skills}
    assert [lang.language for lang in result.languages] == ["English", "Polish"]
    assert outcome.confidence > 0.8


def test_confidence_drops_for_garbage() -> None:
    assert parse(document_from_text("%%% ### 12 34 !!")).confidence < 0.5
