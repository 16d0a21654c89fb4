"""Markdown, JSON Resume and HR Open renderings of real parses, validated against the shipped JSON Schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest

from pipeline.extract import extract
from pipeline.formats import render
from pipeline.run import PipelineInput, run_pipeline
from schemas.request import ParseRequestConfig, resolve_config
from schemas.result import ResumeResult
from tests import samples
from tests.formats.rich import EMAIL, NAME, SCHOOL, rich_resume

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def parsed(kind: str) -> ResumeResult:
    config = resolve_config(ParseRequestConfig(), False)
    if kind == "rich":
        source = PipelineInput(kind="text", raw_text=rich_resume())
    else:
        data = {"pdf": samples.resume_pdf, "docx": samples.resume_docx}[kind]()
        source = PipelineInput(kind="file", file_bytes=data, file_name=f"resume.{kind}")
    output = run_pipeline(source, config, extractor=extract)
    assert output.result is not None
    return output.result


def absolute_uri(value: object) -> bool:
    """The `uri` format (jsonschema checks it only with an optional package): a scheme and a host."""
    parts = urlsplit(str(value))
    return bool(parts.scheme and parts.netloc) and " " not in str(value)


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    formats = jsonschema.FormatChecker()
    formats.checks("uri")(absolute_uri)
    return jsonschema.Draft202012Validator(schema, format_checker=formats)


def errors_of(name: str, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(name).iter_errors(document)]


@pytest.mark.parametrize("kind", ["pdf", "docx", "rich"])
@pytest.mark.parametrize("fmt", ["jsonresume", "hropen"])
def test_renderings_of_real_parses_are_valid_against_their_schema(kind: str, fmt: str) -> None:
    document = json.loads(render(parsed(kind), fmt))  # type: ignore[arg-type]
    assert errors_of(fmt, document) == []


def test_schemas_reject_what_the_standards_do_not_allow() -> None:
    assert errors_of("jsonresume", {"basics": {"email": "not an email"}, "work": [{"startDate": "March 2020"}]})
    assert errors_of("jsonresume", {"basics": {"fullName": "x"}})
    assert errors_of("jsonresume", {"basics": {"url": "github.com/x"}})
    assert errors_of("hropen", {"person": {}, "qualifications": [{"proficiencyLevel": "expert"}]})


def test_json_resume_maps_every_section() -> None:
    document = json.loads(render(parsed("rich"), "jsonresume"))
    assert document["$schema"].endswith("/v1.0.0/schema.json")
    basics = document["basics"]
    assert basics["name"] == NAME and basics["email"] == EMAIL
    assert basics["location"]["countryCode"] == "GB"
    assert {p["network"] for p in basics["profiles"]} == {"LinkedIn", "GitHub"}
    assert [job["name"] for job in document["work"]] == ["Monzo Bank", "Sainsbury's"]
    assert document["work"][0]["startDate"] == "2021-03" and "endDate" not in document["work"][0]
    assert [v["organization"] for v in document["volunteer"]] == ["Code First Girls"]
    school = document["education"][0]
    assert (school["institution"], school["studyType"], school["area"], school["score"]) == (
        SCHOOL, "MSc", "Statistics", "3.8")
    assert any("Python" in group["keywords"] for group in document["skills"])
    assert {"language": "Spanish", "fluency": "B1"} in document["languages"]
    for section in ("awards", "certificates", "publications", "interests", "references", "projects"):
        assert document[section], section


def test_hropen_candidate_carries_person_history_and_competencies() -> None:
    document = json.loads(render(parsed("rich"), "hropen"))
    person = document["person"]
    assert person["name"] == {"formattedName": NAME, "given": "Ana Lucía", "family": "Ferreira"}
    assert person["communication"]["email"] == [{"address": EMAIL}]
    assert person["communication"]["phone"][0]["dialNumber"] == "+442079460958"
    history = document["employmentHistory"]
    assert [h["organization"]["name"] for h in history] == ["Monzo Bank", "Sainsbury's", "Code First Girls"]
    assert history[2]["positionHistories"][0]["employmentType"] == "volunteer"
    assert document["educationHistory"][0]["educationDegrees"][0]["majorProgramNames"] == ["Statistics"]
    assert any(q["competencyName"] == "Python" and q.get("competencyId") for q in document["qualifications"])
    assert document["certifications"][0]["issuingAuthority"] == {"name": "Amazon Web Services"}
    assert {"name": "Portuguese", "proficiency": "native", "level": "native"} in document["languages"]


def test_markdown_has_every_section_with_content() -> None:
    markdown = render(parsed("rich"), "markdown").decode()
    assert markdown.startswith(f"# {NAME}\n**Data Scientist**\n")
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [f"## {h}" for h in (
        "Summary", "Experience", "Volunteer experience", "Education", "Skills", "Certifications", "Languages",
        "Projects", "Awards", "Publications", "Interests", "References")]
    assert "### Mentor · Code First Girls" in markdown
    assert "*2021-03 – present · Manchester, UK*" in markdown
    assert "- Spanish (B1)" in markdown
    assert "Redacted" not in markdown


def test_markdown_of_an_empty_result_is_a_heading_only() -> None:
    assert render(ResumeResult(), "markdown").decode() == "# Candidate\n"
