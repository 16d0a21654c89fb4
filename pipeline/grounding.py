"""Grounding an LLM's resume in the resume's text: keep what the text supports, drop the rest, fill from the draft.

A value is supported when the text says it: a name, employer, title, school or skill as words of the text
(in any case and accents, punctuation aside); an e-mail as written; a phone by its digits; a date by its year;
a language by its name in any of the languages the parser knows ('Deutsch' supports 'German'); a skill also
by any of its taxonomy aliases ('JS' supports 'JavaScript'); a sentence (summary, description, highlight)
when nearly all of its words are the text's. An entry whose identifying fields are all unsupported is
dropped whole. Where the model left a field empty that the deterministic draft filled, the draft's value
stays: the model fixes and fills, it does not take away.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Final, TypeVar

import msgspec

from pipeline.parse.languages import english_name
from schemas.result import (
    Certification,
    Education,
    Experience,
    JobRequirements,
    Language,
    Location,
    PersonalInfo,
    Project,
    ResumeResult,
    Skill,
)
from taxonomy import load

__all__ = ["ground", "ground_requirements"]

# Share of a sentence's words the text must have for the sentence to count as the text's own.
SENTENCE_SUPPORT: Final = 0.8
MIN_PHONE_DIGITS: Final = 7
_WORD: Final = re.compile(r"[^\W_]+")
_YEAR: Final = re.compile(r"(?:19|20)\d{2}")

Item = TypeVar("Item")


def _fold(text: str) -> str:
    """Lower case, accents and punctuation dropped, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join(_WORD.findall("".join(ch for ch in decomposed if not unicodedata.combining(ch))))


class _Evidence:
    """The resume's text, read once in the forms the checks compare against."""

    def __init__(self, raw_text: str) -> None:
        self.folded = f" {_fold(raw_text)} "
        self.words = set(self.folded.split())
        self.lowered = raw_text.casefold()
        self.digits = re.sub(r"\D", "", raw_text)
        self.years = set(_YEAR.findall(raw_text))
        self.languages = {name for word in set(_WORD.findall(raw_text)) if (name := english_name(word))}
        self.dropped: list[str] = []

    def says(self, value: str | None) -> bool:
        """A name or phrase the text says, as its own words in order."""
        folded = _fold(value or "")
        return bool(folded) and f" {folded} " in self.folded

    def says_mostly(self, sentence: str | None) -> bool:
        words = _fold(sentence or "").split()
        return bool(words) and sum(word in self.words for word in words) >= SENTENCE_SUPPORT * len(words)

    def dated(self, value: str | None) -> bool:
        return value is None or value[:4] in self.years

    def keep(self, path: str, value: str | None, supported: Callable[[str | None], bool]) -> str | None:
        """The value if supported; otherwise None, and the path noted as dropped."""
        if value is None or supported(value):
            return value
        self.dropped.append(path)
        return None

    def keep_all(self, path: str, values: list[str], supported: Callable[[str | None], bool]) -> list[str]:
        return [value for index, value in enumerate(values) if self.keep(f"{path}[{index}]", value, supported)]


def ground(answer: ResumeResult, draft: ResumeResult, raw_text: str) -> tuple[ResumeResult, list[str]]:
    """The model's resume with only what the text supports, the draft filling what is left empty; and the
    paths of the values dropped."""
    evidence = _Evidence(raw_text)
    result = ResumeResult(
        personal_info=_personal_info(answer.personal_info, draft.personal_info, evidence),
        summary=evidence.keep("summary", answer.summary, evidence.says_mostly) or draft.summary,
        experience=_entries("experience", answer.experience, draft.experience, evidence, _experience),
        education=_entries("education", answer.education, draft.education, evidence, _education),
        skills=_entries("skills", answer.skills, draft.skills, evidence, _skill),
        certifications=_entries("certifications", answer.certifications, draft.certifications, evidence,
                                _certification),
        languages=_entries("languages", answer.languages, draft.languages, evidence, _language),
        projects=_entries("projects", answer.projects, draft.projects, evidence, _project),
        awards=[award for index, award in enumerate(answer.awards)
                if evidence.keep(f"awards[{index}].title", award.title, evidence.says)] or draft.awards,
        publications=[publication for index, publication in enumerate(answer.publications)
                      if evidence.keep(f"publications[{index}].name", publication.name, evidence.says)]
        or draft.publications,
        interests=evidence.keep_all("interests", answer.interests, evidence.says) or draft.interests,
        references=[reference for index, reference in enumerate(answer.references)
                    if evidence.keep(f"references[{index}].name", reference.name, evidence.says)]
        or draft.references,
    )
    return result, evidence.dropped


def _entries(path: str, answer: list[Item], draft: list[Item], evidence: _Evidence,
             check: Callable[[str, Item, _Evidence], Item | None]) -> list[Item]:
    """The model's entries that survive their check, or the draft's when none does."""
    checked = (check(f"{path}[{index}]", item, evidence) for index, item in enumerate(answer))
    return [item for item in checked if item is not None] or draft


def _personal_info(answer: PersonalInfo, draft: PersonalInfo, evidence: _Evidence) -> PersonalInfo:
    says = evidence.says
    phone = evidence.keep("personal_info.phone", answer.phone, lambda value: _phone_in(value, evidence))
    location = _location(answer.location, evidence)
    return PersonalInfo(
        name=evidence.keep("personal_info.name", answer.name, says) or draft.name,
        label=evidence.keep("personal_info.label", answer.label, says) or draft.label,
        email=evidence.keep("personal_info.email", answer.email,
                            lambda value: (value or "").casefold() in evidence.lowered) or draft.email,
        phone=phone or draft.phone,
        phone_e164=(answer.phone_e164 if phone and answer.phone_e164 and _phone_in(answer.phone_e164, evidence)
                    else draft.phone_e164),
        url=evidence.keep("personal_info.url", answer.url, lambda value: _url_in(value, evidence)) or draft.url,
        location=location or draft.location,
        profiles=[profile for index, profile in enumerate(answer.profiles)
                  if evidence.keep(f"personal_info.profiles[{index}].url", profile.url or profile.username,
                                   lambda value: _url_in(value, evidence) or evidence.says(value))]
        or draft.profiles,
    )


def _location(location: Location | None, evidence: _Evidence) -> Location | None:
    if location is None:
        return None
    city = evidence.keep("personal_info.location.city", location.city, evidence.says)
    region = evidence.keep("personal_info.location.region", location.region, evidence.says)
    country = evidence.keep("personal_info.location.country", location.country, evidence.says)
    if not (city or region or country):
        return None
    return Location(city=city, region=region, country=country, country_code=location.country_code)


def _experience(path: str, job: Experience, evidence: _Evidence) -> Experience | None:
    company = evidence.keep(f"{path}.company", job.company, evidence.says)
    title = evidence.keep(f"{path}.title", job.title, evidence.says)
    if not (company or title):
        return None
    return msgspec.structs.replace(
        job, company=company, title=title,
        location=evidence.keep(f"{path}.location", job.location, evidence.says),
        start_date=evidence.keep(f"{path}.start_date", job.start_date, evidence.dated),
        end_date=evidence.keep(f"{path}.end_date", job.end_date, evidence.dated),
        description=evidence.keep(f"{path}.description", job.description, evidence.says_mostly),
        highlights=evidence.keep_all(f"{path}.highlights", job.highlights, evidence.says_mostly),
    )


def _education(path: str, school: Education, evidence: _Evidence) -> Education | None:
    institution = evidence.keep(f"{path}.institution", school.institution, evidence.says)
    degree = evidence.keep(f"{path}.degree", school.degree, evidence.says)
    if not (institution or degree):
        return None
    return msgspec.structs.replace(
        school, institution=institution, degree=degree,
        field_of_study=evidence.keep(f"{path}.field_of_study", school.field_of_study, evidence.says),
        start_date=evidence.keep(f"{path}.start_date", school.start_date, evidence.dated),
        graduation_date=evidence.keep(f"{path}.graduation_date", school.graduation_date, evidence.dated),
        gpa=evidence.keep(f"{path}.gpa", school.gpa, evidence.says),
        location=evidence.keep(f"{path}.location", school.location, evidence.says),
        courses=evidence.keep_all(f"{path}.courses", school.courses, evidence.says),
    )


def _skill(path: str, skill: Skill, evidence: _Evidence) -> Skill | None:
    """A skill the text names by its own name or by one of its taxonomy aliases; kept as the model named it,
    since the skills stage normalises it afterwards."""
    if evidence.says(skill.skill):
        return Skill(skill=skill.skill, source=skill.source)
    found = load().lookup(skill.skill)
    if found is not None and any(evidence.says(name) for name in (found[0].name, *found[0].aliases)):
        return Skill(skill=skill.skill, source=skill.source)
    evidence.dropped.append(f"{path}.skill")
    return None


def _certification(path: str, certification: Certification, evidence: _Evidence) -> Certification | None:
    if not evidence.keep(f"{path}.name", certification.name, evidence.says):
        return None
    return msgspec.structs.replace(
        certification, issuer=evidence.keep(f"{path}.issuer", certification.issuer, evidence.says),
        date=evidence.keep(f"{path}.date", certification.date, evidence.dated))


def _language(path: str, language: Language, evidence: _Evidence) -> Language | None:
    def named(value: str | None) -> bool:
        return evidence.says(value) or english_name(value or "") in evidence.languages

    return language if evidence.keep(f"{path}.language", language.language, named) else None


def _project(path: str, project: Project, evidence: _Evidence) -> Project | None:
    if not evidence.keep(f"{path}.name", project.name, evidence.says):
        return None
    return msgspec.structs.replace(
        project, description=evidence.keep(f"{path}.description", project.description, evidence.says_mostly),
        url=evidence.keep(f"{path}.url", project.url, lambda value: _url_in(value, evidence)),
        highlights=evidence.keep_all(f"{path}.highlights", project.highlights, evidence.says_mostly))


def _phone_in(value: str | None, evidence: _Evidence) -> bool:
    """A phone the text has: its last seven or more digits in the text's digits (a country code it adds
    for E.164 need not be printed)."""
    digits = re.sub(r"\D", "", value or "")
    return len(digits) >= MIN_PHONE_DIGITS and digits[-MIN_PHONE_DIGITS - 2:] in evidence.digits


def _url_in(value: str | None, evidence: _Evidence) -> bool:
    bare = re.sub(r"^https?://(www\.)?", "", (value or "").casefold()).rstrip("/")
    return bool(bare) and bare in evidence.lowered


def ground_requirements(answer: JobRequirements, text: str) -> tuple[JobRequirements, list[str]]:
    """A reading of a posting with only what the posting says: skills, title, field, place and
    certifications as its words (a skill also by a taxonomy alias), years by their number."""
    evidence = _Evidence(text)

    def skill_named(value: str | None) -> bool:
        found = load().lookup(value or "")
        return evidence.says(value) or (found is not None and any(
            evidence.says(name) for name in (found[0].name, *found[0].aliases)))

    def number_in(value: str | None) -> bool:
        return bool(value) and re.search(rf"(?<!\d){value}(?!\d)", text) is not None

    years = evidence.keep("years_required", None if answer.years_required is None else str(answer.years_required),
                          number_in)
    grounded = msgspec.structs.replace(
        answer,
        title=evidence.keep("title", answer.title, evidence.says),
        years_required=int(years) if years else None,
        required_skills=evidence.keep_all("required_skills", answer.required_skills, skill_named),
        nice_to_have_skills=evidence.keep_all("nice_to_have_skills", answer.nice_to_have_skills, skill_named),
        field_of_study=evidence.keep("field_of_study", answer.field_of_study, evidence.says),
        languages=[language for index, language in enumerate(answer.languages)
                   if evidence.keep(f"languages[{index}]", language,
                                    lambda value: evidence.says(value) or english_name(value or "") in
                                    evidence.languages)],
        certifications=evidence.keep_all("certifications", answer.certifications, evidence.says),
        location=evidence.keep("location", answer.location, evidence.says),
    )
    return grounded, evidence.dropped
