"""ai_features in the basic tier: skill counts, an experience summary and a short profile, all from parsed facts.

Total years merge overlapping jobs; internships and volunteer work are left out of the total (they are
counted in total_positions), so the figure reads as professional experience.
"""

from __future__ import annotations

import datetime

from schemas.result import AiFeatures, Experience, ExperienceSummary, ResumeResult, SkillsAggregation

_NOT_PROFESSIONAL = {"internship", "volunteer"}


def _span(job: Experience, today: datetime.date) -> tuple[int, int] | None:
    if not job.start_date:
        return None
    start = int(job.start_date[:4]) * 12 + (int(job.start_date[5:7]) - 1 if len(job.start_date) >= 7 else 0)
    if job.current:
        end = today.year * 12 + today.month - 1
    elif job.end_date:
        end = int(job.end_date[:4]) * 12 + (int(job.end_date[5:7]) - 1 if len(job.end_date) >= 7 else 11)
    else:
        return None
    return start, max(start, end)


def total_years(jobs: list[Experience], today: datetime.date) -> float:
    spans = sorted(s for job in jobs if job.type not in _NOT_PROFESSIONAL and (s := _span(job, today)) is not None)
    months = 0
    current: tuple[int, int] | None = None
    for start, end in spans:
        if current is None or start > current[1] + 1:
            if current is not None:
                months += current[1] - current[0] + 1
            current = (start, end)
        else:
            current = (current[0], max(current[1], end))
    if current is not None:
        months += current[1] - current[0] + 1
    return round(months / 12, 1)


def _profile(result: ResumeResult, years: float, summary: ExperienceSummary) -> str:
    info = result.personal_info
    name = info.name or "The candidate"
    role = summary.current_title or info.label
    sentences = []
    if role and years:
        sentences.append(f"{name} is a {role} with {years:g} years of professional experience.")
    elif role:
        sentences.append(f"{name} works as {role}.")
    elif years:
        sentences.append(f"{name} has {years:g} years of professional experience.")
    elif summary.total_positions:
        sentences.append(f"{name} lists {summary.total_positions} positions without dates.")
    else:
        sentences.append(f"{name} lists no work experience.")
    if summary.companies:
        listed = ", ".join(summary.companies[:3])
        sentences.append(f"Recent employers include {listed}.")
    top = [skill.skill for skill in result.skills if skill.match_method != "implied"][:5]
    if top:
        sentences.append(f"Key skills: {', '.join(top)}.")
    if result.education:
        school = result.education[0]
        degree = " in ".join(part for part in (school.degree, school.field_of_study) if part)
        if degree and school.institution:
            sentences.append(f"Education: {degree} from {school.institution}.")
        elif school.institution:
            sentences.append(f"Studied at {school.institution}.")
    if result.languages and len(sentences) < 5:
        sentences.append("Languages: " + ", ".join(lang.language for lang in result.languages[:4]) + ".")
    return " ".join(sentences[:5])


def build_ai_features(result: ResumeResult, today: datetime.date | None = None) -> AiFeatures:
    today = today or datetime.date.today()
    by_proficiency: dict[str, int] = {}
    by_type: dict[str, int] = {}
    for skill in result.skills:
        if skill.proficiency:
            by_proficiency[skill.proficiency] = by_proficiency.get(skill.proficiency, 0) + 1
        kind = skill.skill_type or "unknown"
        by_type[kind] = by_type.get(kind, 0) + 1
    years = total_years(result.experience, today)
    companies = list(dict.fromkeys(job.company for job in result.experience if job.company))
    current = next((job.title for job in result.experience if job.current and job.title), None)
    summary = ExperienceSummary(total_years=years, total_positions=len(result.experience), companies=companies,
                                current_title=current or (result.experience[0].title if result.experience else None))
    return AiFeatures(
        skills_aggregation=SkillsAggregation(total_skills=len(result.skills), by_proficiency=by_proficiency,
                                             by_type=by_type),
        experience_summary=summary,
        summary=_profile(result, years, summary),
    )
