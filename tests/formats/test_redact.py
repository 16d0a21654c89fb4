"""Fair-screening redaction: nothing personal left in the result, raw_text or Markdown, and a report without values."""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.formats import render
from pipeline.redact import Redactable, mask_text, redact, redact_document
from pipeline.run import PipelineInput, PipelineOutput, run_pipeline
from resume_parser.clock import now_iso
from schemas.request import ParseRequestConfig, RedactConfig, redact_config_from, resolve_config
from schemas.result import Checks, ResumeResult
from tests.formats.rich import EMAIL, NAME, PHONE, SCHOOL, rich_resume
from workers.documents import completed_document


def run(text: str, redact_config: RedactConfig | None) -> PipelineOutput:
    return run_pipeline(PipelineInput(kind="text", raw_text=text),
                        resolve_config(ParseRequestConfig(redact=redact_config), False))


def document_of(output: PipelineOutput) -> dict[str, Any]:
    return completed_document(request_id="req_x", created_at=now_iso(), completed_at=now_iso(), duration_ms=1,
                              credits=1, remaining_balance=0, estimated_credits=1, file_size_bytes=None,
                              output=output, test_mode=False)


def phone_pattern(phone: str) -> re.Pattern[str]:
    """The phone's subscriber digits (the last seven) in any formatting."""
    digits = re.sub(r"\D", "", phone)[-7:]
    return re.compile(r"[\s().\-/]*".join(digits))


def assert_absent(texts: list[str], name: str, email: str, phone: str) -> None:
    for text in texts:
        lowered = text.lower()
        for part in name.split():
            assert not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text, re.IGNORECASE), part
        assert email.lower() not in lowered
        assert email.split("@")[0].lower() not in lowered
        assert not phone_pattern(phone).search(text), phone


def test_default_redaction_removes_contact_and_demographics_everywhere() -> None:
    output = run(rich_resume(), RedactConfig())
    document = document_of(output)
    assert output.result is not None
    markdown = render(output.result, "markdown", output.redaction).decode()
    everything = json.dumps(document, ensure_ascii=False)
    assert_absent([everything, markdown, document["raw_text"]], NAME, EMAIL, PHONE)
    for value in ("12/03/1990", "Portuguese |", "Married", "Female", "she/her", "ana-ferreira", "aferreira",
                  "London"):
        assert value not in everything and value not in markdown, value
    info = document["result"]["personal_info"]
    assert info == {"name": None, "label": "Data Scientist", "email": None, "phone": None, "phone_e164": None,
                    "url": None, "location": None, "profiles": []}
    assert "[REDACTED:email]" in document["raw_text"]
    assert "[REDACTED:date_of_birth]" in document["raw_text"]
    assert SCHOOL in everything, "schools stay unless asked for"
    assert "Redacted for fair screening: name, contact, location, photo, demographics." in markdown
    # What stays: the career itself.
    assert [job["company"] for job in document["result"]["experience"]] == [
        "Monzo Bank", "Sainsbury's", "Code First Girls"]
    assert "01/2017 - 02/2021" in document["raw_text"], "dates are not phone numbers"


def test_the_report_names_kinds_and_paths_never_values() -> None:
    report = run(rich_resume(), RedactConfig(schools=True)).redaction
    assert report is not None
    assert report.categories == ["name", "contact", "location", "photo", "demographics", "schools"]
    kinds_in_text = {item.kind for item in report.items if item.path == "raw_text"}
    assert kinds_in_text >= {"name", "email", "phone", "profile", "location", "date_of_birth", "nationality",
                             "marital_status", "gender", "school"}
    paths = {item.path for item in report.items}
    assert {"result.personal_info.email", "result.education[0].institution", "ai_features.summary"} <= paths
    encoded = msgspec.json.encode(report).decode()
    for value in (NAME, EMAIL, "Ferreira", "7946", SCHOOL, "Lisbon", "1990", "Portuguese"):
        assert value not in encoded


def test_schools_are_removed_only_when_asked() -> None:
    output = run(rich_resume(), RedactConfig(name=False, contact=False, location=False, photo=False,
                                             demographics=False, schools=True))
    assert output.result is not None and output.raw_text is not None
    assert output.result.education[0].institution is None
    assert SCHOOL not in output.raw_text and "[REDACTED:school]" in output.raw_text
    assert output.result.personal_info.email == EMAIL, "other categories were not asked for"
    assert NAME in output.raw_text


@pytest.mark.parametrize(("line", "kind"), [
    ("Date of birth: 4 May 1988", "date_of_birth"),
    ("DOB: 1988-05-04", "date_of_birth"),
    ("Born 4 May 1988 in Porto", "date_of_birth"),
    ("Geburtsdatum: 04.05.1988", "date_of_birth"),
    ("Date de naissance : 04/05/1988", "date_of_birth"),
    ("Age: 36", "age"),
    ("36 years old", "age"),
    ("Nationality: Brazilian", "nationality"),
    ("Staatsangehörigkeit: deutsch", "nationality"),
    ("Citizenship - Canadian", "nationality"),
    ("Marital status: single", "marital_status"),
    ("Familienstand: verheiratet, 2 Kinder", "marital_status"),
    ("Estado civil: casada", "marital_status"),
    ("Married, two children", "marital_status"),
    ("Gender: Male", "gender"),
    ("Pronouns: they/them", "gender"),
    ("Geschlecht: weiblich", "gender"),
    ("Mrs. Okafor", "gender"),
    ("he/him/his", "gender"),
    ("Photo: headshot.jpg", "photo"),
    ("![portrait](images/me.png)", "photo"),
    ("1450 N Dayton St, Chicago", "location"),
    ("12 rue de la Paix, Paris", "location"),
    ("Hauptstraße 12 | Berlin", "location"),
])
def test_demographic_and_photo_lines_are_masked(line: str, kind: str) -> None:
    config = RedactConfig()
    redacted, report = redact(Redactable(raw_text=f"Jobs\n{line}\nSkills", result=None, ai_features=None,
                                         matching=None, checks=Checks()), config)
    assert redacted.raw_text is not None
    assert f"[REDACTED:{kind}]" in redacted.raw_text, redacted.raw_text
    assert [(item.kind, item.path) for item in report.items] == [(kind, "raw_text")]


@pytest.mark.parametrize("line", [
    "Sr. Data Engineer, 2019 - 2023",
    "Photography and photo editing in Lightroom",
    "Managed a single sign-on rollout for 36 teams",
    "Designed the age verification flow",
    "Stage: production",
    "Built image pipelines (PNG to WebP)",
    "Reduced churn in the female health app by 12%",
    "Appeared in 30 Court of Appeal hearings",
])
def test_ordinary_resume_lines_are_left_alone(line: str) -> None:
    assert mask_text(line, _all_text_patterns())[0] == line


def _all_text_patterns() -> list[Any]:
    from pipeline.redact import _patterns

    return _patterns(None, "", RedactConfig(schools=True))


def test_short_forms_of_the_config() -> None:
    assert redact_config_from("default") == RedactConfig()
    assert redact_config_from("all") == RedactConfig(schools=True)
    assert redact_config_from("name, schools").categories() == ["name", "schools"]
    with pytest.raises(ValueError):
        redact_config_from("names")


def test_a_stored_document_is_redacted_once_and_again_with_more() -> None:
    stored = document_of(run(rich_resume(), None))
    assert stored["redaction"] is None and EMAIL in stored["raw_text"]
    first = redact_document(stored, RedactConfig())
    assert EMAIL not in json.dumps(first) and SCHOOL in json.dumps(first)
    second = redact_document(first, RedactConfig(name=False, contact=False, location=False, photo=False,
                                                 demographics=False, schools=True))
    assert SCHOOL not in json.dumps(second)
    assert second["redaction"]["categories"] == ["name", "contact", "location", "photo", "demographics", "schools"]
    assert len(second["redaction"]["items"]) > len(first["redaction"]["items"])
    assert msgspec.convert(second["result"], ResumeResult).education[0].institution is None


FIRST = ["Amelia", "Oluwaseun", "Rajesh", "Sofía", "Mei", "Dmitri", "Fatima", "Joaquim", "Ingrid", "Kwame"]
LAST = ["Okonkwo", "Bergström", "Nakamura", "Fernández", "Kowalski", "Haddad", "Nguyen", "O'Brien", "Schulz"]
DOMAINS = ["example.com", "mail.example.org", "example.net"]
AREAS = ["212", "312", "415", "617", "206", "303"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=st.sampled_from(FIRST), last=st.sampled_from(LAST), domain=st.sampled_from(DOMAINS),
       area=st.sampled_from(AREAS), exchange=st.integers(200, 999), line=st.integers(0, 9999),
       style=st.sampled_from(["+1 {a} {e} {l}", "({a}) {e}-{l}", "{a}.{e}.{l}", "+1-{a}-{e}-{l}"]),
       city=st.sampled_from(["Chicago, IL", "Seattle, WA", "Austin, TX"]))
def test_no_personal_value_survives_redaction(first: str, last: str, domain: str, area: str, exchange: int,
                                              line: int, style: str, city: str) -> None:
    name = f"{first} {last}"
    email = f"{first[0].lower()}.{last.lower().replace(chr(39), '')}{line % 97}@{domain}"
    phone = style.format(a=area, e=exchange, l=f"{line:04d}")
    output = run(rich_resume(name=name, email=email, phone=phone, city=city), RedactConfig(schools=True))
    assert output.result is not None and output.raw_text is not None
    document = document_of(output)
    markdown = render(output.result, "markdown", output.redaction).decode()
    jsonresume = render(output.result, "jsonresume").decode()
    hropen = render(output.result, "hropen").decode()
    assert_absent([json.dumps(document, ensure_ascii=False), output.raw_text, markdown,
                   json.dumps(json.loads(jsonresume), ensure_ascii=False),
                   json.dumps(json.loads(hropen), ensure_ascii=False)], name, email, phone)
    assert city.split(",")[0] not in output.raw_text
