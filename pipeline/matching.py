"""The matching stage: a 0-100 fit between a resume and a job description, with its reasons.

The posting is read into requirements (pipeline.job). The score is a weighted mean of components, each 0-1
and each shown in `breakdown`: skills (the weighted share of requirements covered, each skill counted once
however often either text repeats it; a skill shown in a dated role counts fully, one only listed counts
less; soft skills, leading people among them, and tools of many occupations weigh less than the tools of the
posting's trade), how close the candidate's occupation is to the posting's (pipeline.occupations), years of
experience, title and seniority, degree, languages, and location. A component the posting does not ask about
is left out and the weights of the rest scale up. Adding a required skill the candidate has can only raise
the skills share, and a candidate without any of the hard skills required is capped low.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Final, NamedTuple, get_args

import msgspec

from pipeline.fields import degree_fields, field_met, names_a_trade
from pipeline.job import (
    DEGREE_ORDER,
    JobProfile,
    Requirement,
    degree_level,
    fold,
    foreign_skills,
    names_abroad,
    read_job,
    seniority_of,
)
from pipeline.occupations import Profile, closest, similarity, title_occupations
from pipeline.occupations import profile as occupation_profile
from pipeline.parse.languages import english_name
from pipeline.profile import total_years
from schemas.result import (
    JobRequirements,
    MatchedSkill,
    Matching,
    MissingSkill,
    ResumeResult,
    ScoreComponent,
    ScoreComponentName,
    Seniority,
    Skill,
)
from taxonomy import Concept, Taxonomy, load, occupations

__all__ = ["match"]

REQUIRED_WEIGHT: Final = 1.0
NICE_WEIGHT: Final = 0.35
IMPLIED_CREDIT: Final = 0.5
LISTED_ONLY_CREDIT: Final = 0.8
# How close the occupations are, from O*NET: what tells a related candidate from an unrelated one when few
# of the skills asked for are on either's page.
OCCUPATION_WEIGHT: Final = 0.15
LEADERSHIP_NAMES: Final = ("lead others", "Leadership", "People Management", "manage staff", "supervise staff")
_LEADING_SENIORITIES: Final = frozenset({"lead", "manager", "director", "executive"})
# Leading people shown by a title counts as a skill the resume lists, not one shown in a role's own words.
_LED: Final = Skill(skill="leading people", source="title")
# A specific kind of the skill asked for ('HubSpot' for 'CRM') shows it, if less surely than the skill itself.
NARROWER_CREDIT: Final = 0.8
MENTIONED_CREDIT: Final = 0.8
NO_REQUIRED_CAP: Final = 25
# A soft skill a posting asks for ('communication') says less about fit than a hard one.
SOFT_WEIGHT: Final = 0.5
# A tool O*NET lists for more than this many of its ~860 occupations (Python, SQL, Linux, Tableau) is asked for
# across fields, so having it says less about fit than having a tool of the trade (QGIS, ETABS): it weighs half.
GENERIC_OCCUPATIONS: Final = 40
GENERIC_WEIGHT: Final = 0.5
# A degree in a field the posting names ('civil engineering' for 'a degree in engineering (civil, mining)')
# shows the candidate trained for the posting's work, if less surely than its skills or titles would.
FIELD_RELEVANCE: Final = 0.5
# A degree outside every field a posting names, when it takes no similar field, meets the degree half.
OTHER_FIELD_CREDIT: Final = 0.5
COMPONENT_WEIGHTS: Final[dict[ScoreComponentName, float]] = {
    "skills": 0.6, "occupation": OCCUPATION_WEIGHT, "experience": 0.12, "title": 0.1, "education": 0.08,
    "languages": 0.05, "location": 0.05}
# The components that say whether the candidate works in the posting's field; the others (years, degree,
# languages, place) count only as far as the skills share or the squared title similarity does (a title
# sharing only 'Engineer' says little), so that an unrelated candidate who happens to live in the right city
# and speak the right language does not outrank a related one.
_FIELD_COMPONENTS: Final = frozenset({"skills", "occupation", "title"})
_SENIORITY_ORDER: Final = get_args(Seniority)
_SENIORITY_NOISE: Final = re.compile(r"\b(senior|sr\.?|junior|jr\.?|lead|principal|staff|head of|chief|"
                                     r"graduate|trainee|intern|m/w/d|f/m/d|h/f)\b|\(.*?\)", re.I)


@functools.lru_cache(maxsize=64)
def _job(job_description: str) -> tuple[JobProfile, Profile]:
    """A posting is read once however many candidates are scored against it."""
    job = read_job(job_description)
    return job, _job_occupations(job)


def _job_occupations(job: JobProfile) -> Profile:
    titles = [(job.asks.title, 1.0)] if job.asks.title else []
    return occupation_profile(tuple(titles), tuple(sorted({concept.id for requirement in job.requirements
                                                           for concept in requirement.concepts})))


def _occupation_score(result: ResumeResult, wanted: Profile, asked: frozenset[str],
                      shown: float) -> tuple[float, str] | None:
    """How close the candidate's occupation is to the posting's: as close as the candidate's recent titles and
    the skills the posting does not ask for say, or as the share of the hard skills asked for that the
    candidate `shown`, whichever is more. Left out of the profile, a required skill the candidate adds can
    only raise the score."""
    if not wanted.levels[0]:
        return None
    jobs = [job for job in result.experience if job.title and job.type != "volunteer"][:4]
    titles = [(job.title, 1.0 if index == 0 else 0.5) for index, job in enumerate(jobs)]
    titles += [(result.personal_info.label, 0.5)] if result.personal_info.label else []
    skill_ids = sorted({skill.skill_id for skill in result.skills
                        if skill.skill_id and skill.match_method != "implied" and skill.skill_id not in asked})
    have = occupation_profile(tuple(titles), tuple(skill_ids))
    closeness = similarity(have, wanted)
    if shown > closeness:
        return shown, "works in the posting's field, as the skills asked for show"
    shared = closest(have, wanted)
    return closeness, f"closest occupation: {shared}" if shared else "no occupation in common"


def _reason(skill: Skill, roles: int) -> str:
    if skill.match_method == "implied":
        return f"implied by {', '.join(skill.implied_by)}"
    if skill.years_experience:
        reason = f"{skill.years_experience:g} years" + (f" across {roles} roles" if roles > 1 else "")
        return reason + (f", last used {skill.last_used[:4]}" if skill.last_used else "")
    if skill.source == "skills_section":
        return "listed in the skills section"
    if skill.source == "mentioned":
        return "named in the work history" + (f" ({roles} roles)" if roles > 1 else "")
    return f"mentioned in the {skill.source or 'resume'}"


def _roles_mentioning(result: ResumeResult, skill: Skill) -> int:
    names = [n.lower() for n in (skill.skill, *skill.synonyms) if len(n) > 1]
    count = 0
    for job in result.experience:
        text = " ".join(filter(None, [job.title, job.description, *job.highlights])).lower()
        if any(re.search(r"(?<![\w+#])" + re.escape(name) + r"(?![\w+#])", text) for name in names):
            count += 1
    return count


def _transferable(concepts: tuple[Concept, ...], owned: dict[str, Skill], taxonomy: Taxonomy) -> list[str]:
    """Candidate skills close to a missing one (or to one of its alternatives): same parent or category, or
    implying it."""
    close: list[str] = []
    for skill_id, skill in owned.items():
        other = taxonomy.by_id.get(skill_id)
        if other is None or skill.match_method == "implied":
            continue
        related = any(
            concept.id in other.implies
            or bool(set(other.broader) & set(concept.broader))
            or (other.category is not None and other.category == concept.category)
            for concept in concepts
        )
        if related:
            close.append(skill.skill)
    return close[:5]


class _Evidence(NamedTuple):
    """How the resume shows one skill asked for: the candidate's skill, the credit it earns, the skill asked for
    when the candidate's is a kind of it, and the title of a role that shows the leading of people."""

    skill: Skill
    credit: float
    kind_of: str | None
    led_as: str | None


def _evidence(concept: Concept, owned: dict[str, Skill], result: ResumeResult, text: str, folded: str,
              taxonomy: Taxonomy) -> _Evidence | None:
    skill = owned.get(concept.id) or _mentioned(concept, text, folded)
    if skill is not None:
        return _Evidence(skill, _credit(skill), None, None)
    kind = _narrower_owned(concept, owned, taxonomy)
    if kind is not None:
        return _Evidence(kind, min(NARROWER_CREDIT, _credit(kind)), concept.name, None)
    led_as = _led_as(concept, result, taxonomy)
    return _Evidence(_LED, _credit(_LED), None, led_as) if led_as else None


def _narrower_owned(concept: Concept, owned: dict[str, Skill], taxonomy: Taxonomy) -> Skill | None:
    """A skill of the candidate's that is a kind of the one asked for ('Salesforce CRM' for 'CRM'), or a kind
    of a kind ('SAP PS' for 'ERP'), the best evidenced first."""
    children = taxonomy.narrower.get(concept.id, [])
    kinds = [owned[kind] for kind in (*children, *(grandchild for child in children
                                                 for grandchild in taxonomy.narrower.get(child, ())))
             if kind in owned and owned[kind].match_method != "implied"]
    return max(kinds, key=_credit, default=None)


@functools.cache
def _leadership(taxonomy: Taxonomy) -> frozenset[str]:
    """The concepts that ask for leading people: ESCO's 'lead others' and the skills directly under it ('lead a
    team', 'manage a team'), and the plain names resumes and postings use for it."""
    roots = [found[0].id for name in LEADERSHIP_NAMES if (found := taxonomy.lookup(name)) is not None]
    return frozenset(roots) | {child for root in roots for child in taxonomy.narrower.get(root, ())}


def _led_as(concept: Concept, result: ResumeResult, taxonomy: Taxonomy) -> str | None:
    """The title of a role that shows the leading of people asked for: a lead's, a manager's or above."""
    if concept.id not in _leadership(taxonomy):
        return None
    return next((job.title for job in result.experience if job.type != "volunteer" and job.title
                 and seniority_of(job.title) in _LEADING_SENIORITIES), None)


def _owned(result: ResumeResult, taxonomy: Taxonomy) -> dict[str, Skill]:
    """The candidate's skills by concept, certifications included; a listed skill beats an implied one. A
    listed skill the taxonomy does not know may be written in another language ('Conduite du changement')."""
    owned: dict[str, Skill] = {}
    for skill in result.skills:
        if skill.skill_id and (skill.skill_id not in owned or owned[skill.skill_id].match_method == "implied"):
            owned[skill.skill_id] = skill
    for skill in result.skills:
        for written in foreign_skills(skill.skill, taxonomy) if skill.skill_id is None else ():
            owned.setdefault(written.concept.id, msgspec.structs.replace(skill, skill_id=written.concept.id))
    for certification in result.certifications:
        for name in (certification.name, *re.findall(r"\(([^)]{2,12})\)", certification.name)):
            found = taxonomy.lookup(name)
            if found is not None and found[0].id not in owned:
                owned[found[0].id] = Skill(skill=certification.name, skill_id=found[0].id, source="certifications")
    return owned


def _work_text(result: ResumeResult) -> str:
    """The resume's own account of its work and training: where a skill the parser did not list may still be
    named ('ran the sepsis audit', a degree in industrial engineering)."""
    parts = [result.summary or "", *(certification.name for certification in result.certifications),
             *(_fields(school.field_of_study) for school in result.education if school.field_of_study)]
    for job in result.experience:
        parts += [job.title or "", job.description or "", *job.highlights]
    for project in result.projects:
        parts += [project.description or "", *project.highlights]
    return " ".join(parts)


# 'Industrial and Systems Engineering' is industrial engineering and systems engineering.
_SHARED_FIELD_HEAD: Final = re.compile(r"\b([^\W\d_]+) and ([^\W\d_]+(?: [^\W\d_]+)*) "
                                       r"(engineering|sciences?|technology|studies)\b", re.I)


def _fields(field_of_study: str) -> str:
    """A field of study with each field of a shared head spelled out."""
    spelled = _SHARED_FIELD_HEAD.sub(lambda found: f"{found.group(1)} {found.group(3)}, {found.group(2)} "
                                     f"{found.group(3)}", field_of_study)
    return spelled if spelled == field_of_study else f"{field_of_study}; {spelled}"


def _mentioned(concept: Concept, text: str, folded: str) -> Skill | None:
    """The requirement as a skill the resume names in its work, when it names it in so many words: a phrase
    in any case, a single word only as the skill's own name or a coined alias ('K8s'), never a plain word
    ('hiring', 'audit') an alias happens to be; or in the words of another language (`folded` is the text
    folded for them)."""
    if names_abroad(concept, text, folded):
        return Skill(skill=concept.name, skill_id=concept.id, source="mentioned")
    lowered = text.lower()
    for surface in (concept.name, *concept.aliases):
        single = " " not in surface
        if len(surface) < 4 or (single and (concept.ambiguous or (surface.islower() and surface.isalpha()))):
            continue
        haystack, needle = (text, surface) if single else (lowered, surface.lower())
        if needle in haystack and re.search(r"(?<![\w+#])" + re.escape(needle) + r"(?![\w+#])", haystack):
            return Skill(skill=concept.name, skill_id=concept.id, source="mentioned")
    return None


def _weight(requirement: Requirement, taxonomy: Taxonomy) -> tuple[float, bool]:
    """What the requirement weighs in the skills share, and whether it is soft: leading people counts as soft,
    whatever ESCO calls it, since postings of every field ask for it and it shows no field. A skill the
    posting's title names weighs fully; of alternatives, the weightiest counts."""
    weight = REQUIRED_WEIGHT if requirement.required else NICE_WEIGHT
    if requirement.in_title:
        return weight, False
    factors = [_kind_factor(concept, taxonomy) for concept in requirement.concepts]
    return weight * max(factor for factor, _ in factors), all(soft for _, soft in factors)


def _kind_factor(concept: Concept, taxonomy: Taxonomy) -> tuple[float, bool]:
    if concept.type == "soft" or concept.id in _leadership(taxonomy):
        return SOFT_WEIGHT, True
    if len(occupations().skills.get(concept.id, ())) > GENERIC_OCCUPATIONS:
        return GENERIC_WEIGHT, False
    return 1.0, False


def _credit(skill: Skill) -> float:
    """Full credit for a skill shown at work (dated roles mention it) or certified; less for one only listed."""
    if skill.match_method == "implied":
        return IMPLIED_CREDIT
    if skill.source == "mentioned":
        return MENTIONED_CREDIT
    if skill.years_experience or skill.source in ("experience", "projects", "certifications"):
        return 1.0
    return LISTED_ONLY_CREDIT


def _candidate_seniority(result: ResumeResult, years: float) -> Seniority:
    for job in result.experience[:2]:
        stated = seniority_of(job.title or "")
        if stated is not None:
            return stated
    return "junior" if years < 2 else "mid" if years < 5 else "senior"


_TITLE_STOPWORDS: Final = frozenset({"of", "and", "the", "for", "in", "at", "to", "a", "an", "with", "&", "de", "la",
                                     "le", "du", "des", "y", "e", "und", "für", "m/w/d"})
# Heads so common across occupations that sharing one says little ('Structural Engineer', 'Backend Engineer').
_GENERIC_HEADS: Final = frozenset({"engineer", "manager", "specialist", "consultant", "analyst", "officer",
                                   "assistant", "associate", "director", "head", "coordinator", "executive",
                                   "representative", "technician", "advisor", "adviser", "partner", "operations",
                                   "lead", "supervisor", "administrator", "developer", "professional"})


# What may follow a shared stem for two title words to count as one ('nurse' and 'nursing', 'design' and
# 'designer'), but not a word that merely starts with another ('front' and 'frontend', 'account' and 'accountant').
_INFLECTIONS: Final = frozenset({"", "e", "s", "es", "ing", "er", "ers", "ed", "ion", "ions", "al", "ist", "ists", "y",
                                 "ies", "ian", "ians", "ment", "or", "ors", "ive"})
_STEM: Final = 4
# The title's own head comes before a comma, a dash or 'for': what follows is the team or specialty
# ('Structural Engineer, Bridges and Seismic Design'), which weighs like a generic word.
_SPECIALTY: Final = re.compile(r"\s*(?:,|\s[–—-]\s|\bfor\b|\bin\b|:)\s*", re.I)


def _title_words(title: str) -> list[str]:
    return [word for word in re.findall(r"[^\W\d_][\w/-]*", _SENIORITY_NOISE.sub(" ", title).lower())
            if word not in _TITLE_STOPWORDS]


def _same_word(word: str, other: str) -> bool:
    if word == other:
        return True
    shared = next((index for index, (mine, theirs) in enumerate(zip(word, other, strict=False))
                   if mine != theirs),
                  min(len(word), len(other)))
    return shared >= _STEM and word[shared:] in _INFLECTIONS and other[shared:] in _INFLECTIONS


def _wanted_title(title: str) -> list[tuple[str, float]]:
    """The posting title's words with their weights: the head (last word of the title proper) most, words every
    occupation uses and the specialty after a comma least."""
    proper, _, specialty = _SPECIALTY.sub("\n", title, count=1).partition("\n")
    head_words = _title_words(proper)
    weighted = [(word, 0.3 if word in _GENERIC_HEADS else 1.0 if index == len(head_words) - 1 else 0.6)
                for index, word in enumerate(head_words)]
    return weighted + [(word, 0.3) for word in _title_words(specialty)]


def _title_similarity(wanted: list[tuple[str, float]], title: str) -> float:
    """Weighted share of the posting's title words that the candidate's title has."""
    have = _title_words(title)
    if not wanted or not have:
        return 0.0
    found = sum(weight for word, weight in wanted if any(_same_word(word, other) for other in have))
    return found / sum(weight for _, weight in wanted)


@functools.lru_cache(maxsize=4096)
def _occupations_of(title: str) -> frozenset[str]:
    """A title's O*NET occupations, remembered: a resume's titles meet many postings, a posting's many resumes."""
    return frozenset(title_occupations(title))


def _same_occupation(posting_occupations: frozenset[str], title: str) -> float:
    """How far O*NET knows the candidate's title and the posting's as one occupation ('Front Office Manager'
    and 'Customer Service Manager' both supervise office and support workers): the share of the occupations
    either title may be that both may be."""
    mine = _occupations_of(title)
    if not mine or not posting_occupations:
        return 0.0
    return len(mine & posting_occupations) / max(len(mine), len(posting_occupations))


def _title_score(asks: JobRequirements, result: ResumeResult, years: float) -> tuple[float, str] | None:
    """How close the candidate's recent titles (or headline) come to the posting's, less when the seniority
    is far off."""
    if not asks.title:
        return None
    wanted = _wanted_title(asks.title)
    titles = [job.title for job in result.experience[:4] if job.title]
    titles += [result.personal_info.label] if result.personal_info.label else []
    if not titles or not wanted:
        return 0.0, f"no role resembles {asks.title}"
    posting_occupations = _occupations_of(asks.title)
    similarities = {title: max(_title_similarity(wanted, title), _same_occupation(posting_occupations, title))
                    for title in titles}
    best = max(similarities, key=lambda title: similarities[title])
    similarity, detail = similarities[best], f"closest role: {best}"
    if asks.seniority:
        have = _candidate_seniority(result, years)
        if abs(_SENIORITY_ORDER.index(asks.seniority) - _SENIORITY_ORDER.index(have)) > 1:
            similarity *= 0.7
            detail += f" ({have}; the posting asks for {asks.seniority})"
    return similarity, detail


def _field_studied(asks: JobRequirements, result: ResumeResult) -> tuple[str | None, bool]:
    """The field the posting names that one of the candidate's degrees is in, and whether the posting takes
    only the fields it names."""
    if not asks.field_of_study:
        return None, False
    asked = degree_fields(asks.field_of_study)
    degrees = [" ".join(filter(None, [school.degree, school.field_of_study])) for school in result.education]
    return field_met(asked, degrees), bool(asked.fields) and not asked.or_related


def _education_score(asks: JobRequirements, result: ResumeResult, field: str | None,
                     only_named: bool) -> tuple[float, str] | None:
    if not asks.degree:
        return None
    asked = f"{asks.degree}" + (f" in {asks.field_of_study}" if asks.field_of_study else "")
    levels = [level for school in result.education
              if (level := degree_level(" ".join(filter(None, [school.degree, school.institution])),
                                        degree_field=True)) is not None]
    if not levels:
        return 0.0, f"no degree found; the posting asks for {asked}"
    best = max(levels, key=DEGREE_ORDER.index)
    gap = DEGREE_ORDER.index(asks.degree) - DEGREE_ORDER.index(best)
    credit = 1.0 if gap <= 0 else 0.5 if gap == 1 else 0.2
    if field is None and only_named:
        return credit * OTHER_FIELD_CREDIT, f"{best} degree, in another field; the posting asks for {asked}"
    return credit, f"{best} degree{f' in {field}' if field else ''}; the posting asks for {asked}"


def _languages_score(asks: JobRequirements, result: ResumeResult) -> tuple[float, str] | None:
    """Share of the languages asked for that the candidate lists; a resume listing none is taken to be
    written in English by someone who speaks it."""
    if not asks.languages:
        return None
    spoken = {name for language in result.languages if (name := english_name(language.language))}
    if not result.languages:
        spoken.add("English")
    have = [language for language in asks.languages if language in spoken]
    return len(have) / len(asks.languages), f"speaks {len(have)} of {', '.join(asks.languages)}"


def _location_score(asks: JobRequirements, result: ResumeResult) -> tuple[float, str] | None:
    if asks.work_mode == "remote":
        return 1.0, "remote role"
    if not asks.location:
        return None
    place = result.personal_info.location
    if place is None or not (place.city or place.country_code):
        return 0.5, f"location unknown; the role is in {asks.location}"
    wanted = asks.location.lower()
    if place.city and place.city.lower() in wanted:
        return 1.0, f"lives in {place.city}"
    same_country = bool(place.country_code and re.search(r"\b" + re.escape(place.country_code.lower()) + r"\b",
                                                         wanted)) or bool(place.country and
                                                                          place.country.lower() in wanted)
    if same_country:
        return 0.7, "lives in the same country"
    return 0.2, f"lives in {place.city or place.country_code}; the role is in {asks.location}"


def match(result: ResumeResult, job_description: str, top_skills: int,
          today: datetime.date | None = None, job: JobProfile | None = None) -> Matching:
    """The match of the resume with the posting, read here or, as `job`, read already (an LLM tier's reading
    merged in)."""
    taxonomy = load()
    today = today or datetime.date.today()
    profile, wanted_occupations = _job(job_description) if job is None else (job, _job_occupations(job))
    owned = _owned(result, taxonomy)
    text = _work_text(result)
    folded = fold(text)
    matched: list[tuple[float, MatchedSkill]] = []
    missing: list[MissingSkill] = []
    total_weight = covered = hard_weight = hard_covered = 0.0
    required_hits = required_total = hard_hits = hard_total = 0
    for position, requirement in enumerate(profile.requirements):
        weight, soft = _weight(requirement, taxonomy)
        total_weight += weight
        hard_weight += weight * (not soft)
        required_total += requirement.required
        hard = requirement.required and not soft
        hard_total += hard
        shown = max((found for concept in requirement.concepts
                     if (found := _evidence(concept, owned, result, text, folded, taxonomy)) is not None),
                    key=lambda found: found.credit, default=None)
        if shown is not None:
            owned_skill, credit, kind_of, led_as = shown.skill, shown.credit, shown.kind_of, shown.led_as
            covered += weight * credit
            hard_covered += weight * credit * (not soft)
            required_hits += requirement.required and credit > IMPLIED_CREDIT
            hard_hits += hard and credit > IMPLIED_CREDIT
            rank = weight * credit + (owned_skill.years_experience or 0) / 100
            matched.append((rank, MatchedSkill(skill=owned_skill.skill, requirement=requirement.words,
                                               reason=f"led people as {led_as}" if led_as else
                                               _reason(owned_skill, _roles_mentioning(result, owned_skill))
                                               + (f"; a kind of {kind_of}" if kind_of else ""))))
        else:
            criticality = (0.9 if requirement.years else 0.8) if requirement.required else 0.35
            criticality += 0.1 * (1 - position / max(1, len(profile.requirements))) * requirement.required
            missing.append(MissingSkill(requirement=requirement.words, criticality=round(min(1.0, criticality), 2),
                                        transferable_skills=_transferable(requirement.concepts, owned, taxonomy)))
    years = total_years(result.experience, today)
    field, only_named = _field_studied(profile.asks, result)
    parts: dict[ScoreComponentName, tuple[float, str] | None] = {
        "skills": (covered / total_weight, f"covers {required_hits} of {required_total} required skills")
        if total_weight else None,
        "occupation": _occupation_score(result, wanted_occupations,
                                        frozenset(concept.id for requirement in profile.requirements
                                                  for concept in requirement.concepts),
                                        hard_covered / hard_weight if hard_weight else 0.0),
        "experience": (min(1.0, years / profile.years_required),
                       f"{years:g} years of professional experience; the posting asks for {profile.years_required}")
        if profile.years_required else None,
        "title": _title_score(profile.asks, result, years),
        "education": _education_score(profile.asks, result, field, only_named),
        "languages": _languages_score(profile.asks, result),
        "location": _location_score(profile.asks, result),
    }
    present = {name: part for name, part in parts.items() if part is not None}
    scale = sum(COMPONENT_WEIGHTS[name] for name in present) or 1.0
    relevance = max(hard_covered / hard_weight if hard_weight else present["skills"][0] if "skills" in present else 0.0,
                    present["occupation"][0] ** 2 if "occupation" in present else 0.0,
                    present["title"][0] ** 2 if "title" in present else 0.0,
                    FIELD_RELEVANCE if field and names_a_trade(field) else 0.0) \
        if _FIELD_COMPONENTS & present.keys() else 1.0
    contributions = {name: 100 * COMPONENT_WEIGHTS[name] / scale * part[0]
                     * (1.0 if name in _FIELD_COMPONENTS else relevance) for name, part in present.items()}
    breakdown = [ScoreComponent(name=name, weight=round(COMPONENT_WEIGHTS[name] / scale, 3), score=round(part[0], 3),
                                contribution=round(contributions[name], 1), detail=part[1])
                 for name, part in present.items()]
    score = sum(contributions.values())
    if hard_total and not hard_hits:
        score = min(score, NO_REQUIRED_CAP)
    final = max(0, min(100, round(score)))
    matched.sort(key=lambda item: -item[0])
    missing.sort(key=lambda item: -item.criticality)
    return Matching(score=final, summary=_summary(final, required_hits, required_total, matched, missing, present),
                    matched_skills=[item for _, item in matched[:top_skills]], missing_skills=missing[:top_skills],
                    breakdown=breakdown, requirements=profile.asks)


def _summary(score: int, hits: int, required: int, matched: list[tuple[float, MatchedSkill]],
             missing: list[MissingSkill], parts: dict[ScoreComponentName, tuple[float, str]]) -> str:
    verdict = "Strong" if score >= 75 else "Good" if score >= 55 else "Partial" if score >= 35 else "Weak"
    first = f"{verdict} match ({score}/100)"
    shows = ", ".join(list(dict.fromkeys(item.skill for _, item in matched))[:3])
    if required and hits:
        first += f": covers {hits} of {required} required skills" + (f", including {shows}" if shows else "")
    elif required:
        first += f": covers none of the {required} required skills" + (f"; shows {shows}" if shows else "")
    elif shows:
        first += f": shows {shows}"
    sentences = [first + "."]
    gaps = [_gist(m.requirement) for m in missing[:2]]
    shortfalls = [part[1] for name in ("experience", "education") if (part := parts.get(name)) and part[0] < 1]
    if gaps or shortfalls:
        sentences.append("Main gaps: " + "; ".join([*gaps, *shortfalls][:3]) + ".")
    return " ".join(sentences)


def _gist(requirement: str, limit: int = 60) -> str:
    """A requirement's first clause, short enough for a summary and never cut inside its brackets
    ('SIG (QGIS, ArcGIS)' stays whole, 'Manage EPC and EPCM contractors, vendors' gives its first part)."""
    depth = 0
    for end, char in enumerate(requirement):
        depth += (char in "([") - (char in ")]")
        if char in ",;" and depth == 0:
            requirement = requirement[:end]
            break
    requirement = requirement.strip()
    if len(requirement) <= limit:
        return requirement
    cut = requirement[:limit].rsplit(" ", 1)[0]
    if cut.count("(") > cut.count(")"):
        cut = cut[:cut.rindex("(")].rstrip()
    return cut + "…"
