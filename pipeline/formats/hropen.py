"""The parsed resume as an HR Open Standards Candidate-style (HR-JSON) document."""

from __future__ import annotations

from pipeline.formats.jsonresume import iso_date
from schemas.hropen import (
    HrAddress,
    HrCandidate,
    HrCertification,
    HrCommunication,
    HrCompetency,
    HrDegree,
    HrEducation,
    HrEmail,
    HrEmployment,
    HrLanguage,
    HrName,
    HrOrganization,
    HrPerson,
    HrPhone,
    HrPosition,
    HrWeb,
)
from schemas.result import Experience, PersonalInfo, ResumeResult


def _organization(name: str | None) -> HrOrganization | None:
    return HrOrganization(name=name) if name else None


def _person(info: PersonalInfo) -> HrPerson:
    """Given and family name split at the last blank: the common Western order, which is all a resume tells."""
    given, _, family = (info.name or "").rpartition(" ")
    name = HrName(formatted_name=info.name, given=given or None, family=family or None) if info.name else HrName()
    location = info.location
    address = (
        [HrAddress(city=location.city, country_sub_divisions=[location.region] if location.region else [],
                   country_code=location.country_code)]
        if location is not None and (location.city or location.region or location.country_code) else []
    )
    web = [HrWeb(url=info.url)] if info.url else []
    web += [HrWeb(url=p.url, name=p.network) for p in info.profiles if p.url and p.url != info.url]
    return HrPerson(name=name, communication=HrCommunication(
        address=address,
        phone=[HrPhone(formatted_number=info.phone, dial_number=info.phone_e164)] if info.phone else [],
        email=[HrEmail(address=info.email)] if info.email else [],
        web=web,
    ))


def _employment(job: Experience) -> HrEmployment:
    description = "\n".join(part for part in (job.description, *(f"- {h}" for h in job.highlights)) if part)
    start, end = iso_date(job.start_date), iso_date(job.end_date)
    position = HrPosition(title=job.title, start=start, end=end, current=job.current, employment_type=job.type,
                          description=description or None)
    return HrEmployment(organization=_organization(job.company), location=job.location, start=start, end=end,
                        current=job.current, position_histories=[position])


def to_hropen(result: ResumeResult) -> HrCandidate:
    return HrCandidate(
        person=_person(result.personal_info),
        executive_summary=result.summary,
        employment_history=[_employment(job) for job in result.experience],
        education_history=[
            HrEducation(
                institution=_organization(school.institution), start=iso_date(school.start_date),
                end=iso_date(school.graduation_date),
                education_score=school.gpa,
                education_degrees=[HrDegree(name=school.degree, date=iso_date(school.graduation_date),
                                            major_program_names=[school.field_of_study] if school.field_of_study
                                            else [])]
                if school.degree or school.field_of_study else [],
            )
            for school in result.education
        ],
        qualifications=[
            HrCompetency(competency_name=skill.skill, competency_id=skill.skill_id, category=skill.category,
                         proficiency_level=skill.proficiency, years_of_experience=skill.years_experience,
                         last_used_date=iso_date(skill.last_used))
            for skill in result.skills
        ],
        certifications=[HrCertification(name=c.name, issuing_authority=_organization(c.issuer),
                                         first_issued_date=iso_date(c.date)) for c in result.certifications],
        languages=[HrLanguage(name=lang.language, proficiency=lang.proficiency, level=lang.level)
                   for lang in result.languages],
    )
