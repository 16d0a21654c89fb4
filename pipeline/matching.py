"""The matching stage: a 0-100 fit between a resume and a job description, with its reasons.

The job description is read with the same taxonomy as the resume: each skill it names becomes a requirement,
required unless its section or its wording marks it as nice to have. The score is the weighted share of
requirements the candidate covers (each skill counted once, however often either text repeats it), blended
with the years of experience asked for. Adding a required skill the candidate has can only raise the share,
and a candidate without any required skill is capped low.
"""

from __future__ import annotations

import datetime
import re
from typing import Final

import msgspec

from pipeline.profile import total_years
from schemas.result import MatchedSkill, Matching, MissingSkill, ResumeResult, Skill
from taxonomy import Concept, Taxonomy, load

REQUIRED_WEIGHT: Final = 1.0
NICE_WEIGHT: Final = 0.35
IMPLIED_CREDIT: Final = 0.5
NO_REQUIRED_CAP: Final = 25
_NICE_HEADING: Final = re.compile(
    r"\b(nice to have|nice-to-have|preferred|bonus|plus|desirable|desired|ideally|good to have|optional|"
    r"wünschenswert|von vorteil|un plus|souhaité|deseable|valorable|diferencial)\b", re.IGNORECASE)
_REQUIRED_HEADING: Final = re.compile(
    r"\b(requirements?|required|must[- ]haves?|qualifications|what you bring|you have|you bring|essential|"
    r"skills|experience|anforderungen|profil|votre profil|requisitos|exigences)\b", re.IGNORECASE)
_YEARS: Final = re.compile(r"(\d{1,2})\s*\+?\s*(?:years|yrs|jahre|ans|años|anos)", re.IGNORECASE)
_TECH_CONTEXT: Final = re.compile(r"\b(programming|languages?|code|developer|software|stack|engineer|tools?|"
                                  r"spreadsheets?|database|experience with|proficien\w*|knowledge of)\b", re.I)


class Requirement(msgspec.Struct, frozen=True):
    concept: Concept
    words: str
    required: bool
    years: int | None = None


class JobProfile(msgspec.Struct, frozen=True):
    requirements: list[Requirement]
    years_required: int | None


def _is_heading(line: str) -> bool:
    stripped = line.strip().rstrip(":")
    return bool(stripped) and (line.strip().endswith(":") or len(stripped.split()) <= 5) and not re.match(
        r"^\s*[-*•]", line)


def read_job(job_description: str, taxonomy: Taxonomy | None = None) -> JobProfile:
    """Requirements (required or nice to have) and overall years asked for."""
    taxonomy = taxonomy or load()
    mode_required = True
    requirements: dict[str, Requirement] = {}
    overall_years: int | None = None
    for line in job_description.splitlines():
        if not line.strip():
            continue
        if _is_heading(line):
            if _NICE_HEADING.search(line):
                mode_required = False
            elif _REQUIRED_HEADING.search(line):
                mode_required = True
        required = mode_required and not _NICE_HEADING.search(line)
        years_match = _YEARS.search(line)
        years = int(years_match.group(1)) if years_match else None
        matches = taxonomy.find_in_text(line)
        skill_matches = [m for m in matches if _acceptable(m.concept, m.surface, line)]
        if years is not None and not skill_matches:
            overall_years = max(overall_years or 0, years)
        for match in skill_matches:
            concept = match.concept
            existing = requirements.get(concept.id)
            if existing is not None and (existing.required or not required):
                continue
            requirements[concept.id] = Requirement(concept=concept, words=line.strip(" -*•\t"), required=required,
                                                   years=years)
    return JobProfile(requirements=list(requirements.values()), years_required=overall_years)


def _acceptable(concept: Concept, surface: str, line: str) -> bool:
    if not {"onet", "linguist", "curated"}.intersection(concept.sources) and " " not in surface:
        return False
    if " " not in surface and surface.islower() and not concept.name.islower():
        return False
    return not concept.ambiguous or bool(_TECH_CONTEXT.search(line))


def _reason(skill: Skill, roles: int) -> str:
    if skill.match_method == "implied":
        return f"implied by {', '.join(skill.implied_by)}"
    if skill.years_experience:
        reason = f"{skill.years_experience:g} years" + (f" across {roles} roles" if roles > 1 else "")
        return reason + (f", last used {skill.last_used[:4]}" if skill.last_used else "")
    if skill.source == "skills_section":
        return "listed in the skills section"
    return f"mentioned in the {skill.source or 'resume'}"


def _roles_mentioning(result: ResumeResult, skill: Skill) -> int:
    names = [n.lower() for n in (skill.skill, *skill.synonyms) if len(n) > 1]
    count = 0
    for job in result.experience:
        text = " ".join(filter(None, [job.title, job.description, *job.highlights])).lower()
        if any(re.search(r"(?<![\w+#])" + re.escape(name) + r"(?![\w+#])", text) for name in names):
            count += 1
    return count


def _transferable(concept: Concept, owned: dict[str, Skill], taxonomy: Taxonomy) -> list[str]:
    """Candidate skills close to a missing one: same parent or category, or implying it."""
    close: list[str] = []
    for skill_id, skill in owned.items():
        other = taxonomy.by_id.get(skill_id)
        if other is None or skill.match_method == "implied":
            continue
        related = (
            concept.id in other.implies
            or bool(set(other.broader) & set(concept.broader))
            or (other.category is not None and other.category == concept.category)
        )
        if related:
            close.append(skill.skill)
    return close[:5]


def match(result: ResumeResult, job_description: str, top_skills: int,
          today: datetime.date | None = None) -> Matching:
    taxonomy = load()
    today = today or datetime.date.today()
    profile = read_job(job_description, taxonomy)
    owned: dict[str, Skill] = {}
    for skill in result.skills:
        if skill.skill_id and (skill.skill_id not in owned or owned[skill.skill_id].match_method == "implied"):
            owned[skill.skill_id] = skill
    matched: list[tuple[float, MatchedSkill]] = []
    missing: list[MissingSkill] = []
    total_weight = covered = 0.0
    required_hits = required_total = 0
    for position, requirement in enumerate(profile.requirements):
        weight = REQUIRED_WEIGHT if requirement.required else NICE_WEIGHT
        total_weight += weight
        required_total += requirement.required
        owned_skill = owned.get(requirement.concept.id)
        if owned_skill is not None:
            skill = owned_skill
            credit = IMPLIED_CREDIT if skill.match_method == "implied" else 1.0
            covered += weight * credit
            required_hits += requirement.required and credit == 1.0
            rank = weight * credit + (skill.years_experience or 0) / 100
            matched.append((rank, MatchedSkill(skill=skill.skill, requirement=requirement.words,
                                               reason=_reason(skill, _roles_mentioning(result, skill)))))
        else:
            criticality = (0.9 if requirement.years else 0.8) if requirement.required else 0.35
            criticality += 0.1 * (1 - position / max(1, len(profile.requirements))) * requirement.required
            missing.append(MissingSkill(requirement=requirement.words, criticality=round(min(1.0, criticality), 2),
                                        transferable_skills=_transferable(requirement.concept, owned, taxonomy)))
    skill_share = covered / total_weight if total_weight else 0.0
    score = 100 * skill_share
    if profile.years_required:
        years = total_years(result.experience, today)
        score = 0.85 * score + 15 * min(1.0, years / profile.years_required)
    if required_total and not required_hits:
        score = min(score, NO_REQUIRED_CAP)
    final = max(0, min(100, round(score)))
    matched.sort(key=lambda item: -item[0])
    missing.sort(key=lambda item: -item.criticality)
    return Matching(score=final, summary=_summary(final, required_hits, required_total, matched, missing),
                    matched_skills=[item for _, item in matched[:top_skills]], missing_skills=missing[:top_skills])


def _summary(score: int, hits: int, required: int, matched: list[tuple[float, MatchedSkill]],
             missing: list[MissingSkill]) -> str:
    verdict = "Strong" if score >= 75 else "Good" if score >= 55 else "Partial" if score >= 35 else "Weak"
    first = f"{verdict} match ({score}/100)"
    if required:
        first += f": covers {hits} of {required} required skills"
    if matched:
        first += ", including " + ", ".join(item.skill for _, item in matched[:3])
    sentences = [first + "."]
    if missing:
        top = [m.requirement.split(",")[0][:60] for m in missing[:2]]
        sentences.append("Main gaps: " + "; ".join(top) + ".")
    return " ".join(sentences)
