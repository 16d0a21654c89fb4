"""The parsed resume as a JSON Resume v1.0.0 document."""

from __future__ import annotations

import re
from typing import Final

from schemas.jsonresume import (
    SCHEMA_URL,
    JrAward,
    JrBasics,
    JrCertificate,
    JrEducation,
    JrInterest,
    JrLanguage,
    JrLocation,
    JrProfile,
    JrProject,
    JrPublication,
    JrReference,
    JrSkill,
    JrVolunteer,
    JrWork,
    JsonResume,
)
from schemas.result import ResumeResult, Skill

# JSON Resume's date shape: a year, a year and month, or a full date.
_ISO_DATE: Final = re.compile(r"[1-2]\d{3}(?:-[0-1]\d(?:-[0-3]\d)?)?")


def iso_date(value: str | None) -> str | None:
    """The date if it has the standard's shape (the parser's always has), else nothing rather than an invalid one."""
    return value if value and _ISO_DATE.fullmatch(value) else None


def _skills(skills: list[Skill]) -> list[JrSkill]:
    """Skills grouped by taxonomy category, as JSON Resume themes show them (a group name with keywords)."""
    groups: dict[str, list[str]] = {}
    for skill in skills:
        groups.setdefault(skill.category or "Other", []).append(skill.skill)
    return [JrSkill(name=name, keywords=list(dict.fromkeys(keywords))) for name, keywords in groups.items()]


def to_json_resume(result: ResumeResult) -> JsonResume:
    info = result.personal_info
    location = info.location
    basics = JrBasics(
        name=info.name, label=info.label, email=info.email, phone=info.phone, url=info.url, summary=result.summary,
        location=JrLocation(city=location.city, region=location.region, country_code=location.country_code)
        if location is not None and (location.city or location.region or location.country_code) else None,
        profiles=[JrProfile(network=p.network, username=p.username, url=p.url) for p in info.profiles],
    )
    jobs = [job for job in result.experience if job.type != "volunteer"]
    volunteering = [job for job in result.experience if job.type == "volunteer"]
    return JsonResume(
        schema=SCHEMA_URL,
        basics=basics,
        work=[JrWork(name=job.company, location=job.location, position=job.title, start_date=iso_date(job.start_date),
                     end_date=iso_date(job.end_date), summary=job.description, highlights=job.highlights)
              for job in jobs],
        volunteer=[JrVolunteer(organization=job.company, position=job.title, start_date=iso_date(job.start_date),
                               end_date=iso_date(job.end_date), summary=job.description, highlights=job.highlights)
                   for job in volunteering],
        education=[JrEducation(institution=school.institution, area=school.field_of_study, study_type=school.degree,
                               start_date=iso_date(school.start_date), end_date=iso_date(school.graduation_date),
                               score=school.gpa, courses=school.courses)
                   for school in result.education],
        awards=[JrAward(title=award.title, date=iso_date(award.date), awarder=award.awarder, summary=award.summary)
                for award in result.awards],
        certificates=[JrCertificate(name=c.name, date=iso_date(c.date), issuer=c.issuer)
                      for c in result.certifications],
        publications=[JrPublication(name=p.name, publisher=p.publisher, release_date=iso_date(p.date), url=p.url)
                      for p in result.publications],
        skills=_skills(result.skills),
        languages=[JrLanguage(language=lang.language, fluency=lang.proficiency or lang.level)
                   for lang in result.languages],
        interests=[JrInterest(name=interest) for interest in result.interests],
        references=[JrReference(name=ref.name, reference=ref.reference) for ref in result.references],
        projects=[JrProject(name=p.name, description=p.description, highlights=p.highlights, keywords=p.keywords,
                            start_date=iso_date(p.start_date), end_date=iso_date(p.end_date), url=p.url)
                  for p in result.projects],
    )
