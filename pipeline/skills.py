"""The skills stage: every skill the resume names, normalised to one taxonomy concept, with evidence.

Skills listed in the skills section are all kept (unknown ones as written, with lower confidence). Skills
named elsewhere (summary, highlights, projects) are added only when they are unambiguous tools or languages
written as proper names, so that "Go to market" or "access to data" never become skills. Years of experience
and last use come from the dated experience entries whose text mentions the skill.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Final, NamedTuple

from rapidfuzz import fuzz, process

from schemas.result import Experience, ResumeResult, Skill
from taxonomy import Concept, Match, Taxonomy, load, normalise

_LEVELS: Final = {
    "expert": ("expert", 0.95), "experte": ("expert", 0.95), "native": ("expert", 0.95),
    "advanced": ("advanced", 0.8), "fortgeschritten": ("advanced", 0.8), "avancé": ("advanced", 0.8),
    "proficient": ("advanced", 0.75), "strong": ("advanced", 0.75), "intermediate": ("intermediate", 0.55),
    "good": ("intermediate", 0.55), "working knowledge": ("intermediate", 0.5), "basic": ("basic", 0.3),
    "beginner": ("basic", 0.25), "familiar": ("basic", 0.3), "grundkenntnisse": ("basic", 0.3),
}
_LEVEL_SUFFIX: Final = re.compile(r"\s*[(\[:–-]\s*(" + "|".join(_LEVELS) + r")\s*[)\]]?\s*$", re.IGNORECASE)
_FREE_TEXT_SOURCES: Final = {"onet", "linguist", "curated"}
# Named tools and languages: one of them in a sentence makes an ambiguous word beside it a skill ('R and
# Python'), except at the start of a sentence, where 'Excel at' and 'Lead a team' are verbs.
_TOOL_SOURCES: Final = {"onet", "linguist", "curated"}
_TECH_CONTEXT: Final = re.compile(
    r"\b(programming|languages?|code|coding|developer|software|stack|framework|library|scripting|"
    r"backend|frontend|engineer|tools?|technologies|spreadsheets?|database|cluster|etl|pipelines?|apps?|ios|"
    r"android|apis?|queries|scripts?|statistical|firmware|embedded|microcontrollers?|proficien\w*)\b|"
    r"\b(?:experience with|knowledge of)\b", re.I)
FUZZY_THRESHOLD: Final = 92


def _explicit_level(text: str) -> tuple[str, tuple[str, float] | None]:
    match = _LEVEL_SUFFIX.search(text)
    if match is None:
        return text, None
    return text[: match.start()].strip(), _LEVELS[match.group(1).lower()]


def _months(start: str | None, end: str | None, current: bool, today: datetime.date) -> tuple[int, int] | None:
    """Months since year 0 for the start and end of a job, or None when undated."""
    if not start:
        return None
    first = int(start[:4]) * 12 + (int(start[5:7]) - 1 if len(start) >= 7 else 0)
    if current or not end:
        last = today.year * 12 + today.month - 1 if current else first
    else:
        last = int(end[:4]) * 12 + (int(end[5:7]) - 1 if len(end) >= 7 else 11)
    return first, max(first, last)


class _DatedJob(NamedTuple):
    """A dated job with its words in lower case, read once for all the skills looked for in it."""

    job: Experience
    text: str


def _dated_jobs(result: ResumeResult) -> list[_DatedJob]:
    return [_DatedJob(job, " ".join(filter(None, [job.title, job.description, *job.highlights])).lower())
            for job in result.experience if job.start_date]


@functools.lru_cache(maxsize=4096)
def _mention_pattern(surfaces: tuple[str, ...]) -> re.Pattern[str]:
    """Any of a skill's surface forms as a whole word; kept per process, since the same skills (Python, SQL,
    Excel) come back resume after resume and building the pattern costs more than searching with it."""
    return re.compile(r"(?<![\w+#])(?:" + "|".join(map(re.escape, surfaces)) + r")(?![\w+#])")


def _evidence(surfaces: list[str], jobs: list[_DatedJob], today: datetime.date) -> tuple[float | None, str | None]:
    """Years (overlaps merged) and last use over the dated jobs mentioning any of the surfaces; a job that
    does not contain any surface at all is passed over before the word-boundary pattern is built."""
    lowered = [surface.lower() for surface in surfaces if len(surface) > 1]
    candidates = [dated for dated in jobs if any(surface in dated.text for surface in lowered)]
    if not candidates:
        return None, None
    pattern = _mention_pattern(tuple(lowered))
    spans = sorted(span for dated in candidates if pattern.search(dated.text)
                   and (span := _months(dated.job.start_date, dated.job.end_date, dated.job.current, today))
                   is not None)
    if not spans:
        return None, None
    total, current_start, current_end = 0, spans[0][0], spans[0][1]
    for start, end in spans[1:]:
        if start > current_end + 1:
            total += current_end - current_start + 1
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    total += current_end - current_start + 1
    last = max(end for _, end in spans)
    return round(total / 12, 1), f"{last // 12}-{last % 12 + 1:02d}"


def _level_from_years(years: float | None, last_used: str | None, today: datetime.date) -> tuple[str, float] | None:
    if years is None:
        return None
    stale = last_used is not None and today.year - int(last_used[:4]) > 4
    score = min(0.95, 0.2 + 0.1 * years) - (0.15 if stale else 0.0)
    level = "expert" if score >= 0.85 else "advanced" if score >= 0.6 else "intermediate" if score >= 0.4 else "basic"
    return level, round(max(0.1, score), 2)


def _skill(concept: Concept | None, written: str, method: str | None, confidence: float, source: str,
           jobs: list[_DatedJob], level: tuple[str, float] | None, today: datetime.date) -> Skill:
    surfaces = [written] + ([concept.name, *concept.aliases] if concept else [])
    years, last_used = _evidence(surfaces, jobs, today)
    proficiency = level or _level_from_years(years, last_used, today)
    synonyms = sorted({s for s in ([concept.name, *concept.aliases] if concept else []) if s != written})[:8]
    return Skill(
        skill=written, skill_id=concept.id if concept else None, category=concept.category if concept else None,
        skill_type=("soft" if concept.type == "soft" else "hard") if concept else None,
        match_method=method, confidence=confidence,  # type: ignore[arg-type]
        proficiency=proficiency[0] if proficiency else None,  # type: ignore[arg-type]
        proficiency_score=proficiency[1] if proficiency else None, years_experience=years, last_used=last_used,
        synonyms=synonyms, source=source,
    )


def _fuzzy(taxonomy: Taxonomy, written: str) -> Concept | None:
    """A near spelling of a known name ('Postgress'), never a different skill that merely shares letters."""
    key = normalise(written)
    if len(key) < 5:
        return None
    best = process.extractOne(key, taxonomy.near_spellings(key, FUZZY_THRESHOLD), scorer=fuzz.ratio,
                              score_cutoff=FUZZY_THRESHOLD)
    if best is None:
        return None
    surface = best[0]
    if surface.startswith(key) or key.startswith(surface):
        return None
    found = taxonomy.by_surface(surface)
    return found[0] if found is not None else None


def named_skills(passage: str, taxonomy: Taxonomy, phrases: bool = False) -> list[Match]:
    """The skills a sentence names: proper names of tools and languages (with `phrases`, also any skill of
    several words, as job descriptions write 'molecular biology', and a practice's one-word name in lowercase,
    'pharmacovigilance'); an ambiguous word only beside other tools or in a technical sentence."""
    matches = [match for match in taxonomy.find_in_text(passage)
               if (_FREE_TEXT_SOURCES.intersection(match.concept.sources) or (phrases and " " in match.surface))
               and (_named(passage, match) or (phrases and _trade_word(match)))]
    anchors = {match.concept.id for match in matches if (not match.concept.ambiguous or " " in match.surface)
               and len(match.surface) > 1 and match.concept.type == "hard"
               and _TOOL_SOURCES.intersection(match.concept.sources)}
    spans = [(match.start, match.end) for match in matches]
    technical = _TECH_CONTEXT.search(passage) is not None
    named: list[Match] = []
    for match in matches:
        opening = _at_opening(passage, match.start)
        single = " " not in match.surface
        # A capital at a sentence's opening says nothing, but an acronym's capitals ('CRM') still do.
        # A word that is a whole list item ('- Kafka', 'Airflow, dbt', 'Airflow or Dagster') is named whatever its
        # capital.
        cased_by_opening = opening and match.surface != match.concept.name and not _ACRONYM.fullmatch(match.surface) \
            and not _LISTED.match(passage, match.end) and not _INNER_CAPITAL.search(match.surface)
        if single and (cased_by_opening or _in_proper_name(passage, match, spans)):
            continue
        if not single and _inside_body_name(passage, match):
            continue
        in_context = technical or (bool(anchors - {match.concept.id}) and not opening)
        if ((match.concept.ambiguous and single) or len(match.surface) == 1) and not in_context:
            continue
        named.append(match)
    return named


_ACRONYM: Final = re.compile(r"[A-Z][A-Z0-9&/+-]*[A-Z0-9]")
# 'DCs' is the plural of 'DC', not the acronym 'DCS'.
_PLURAL_ACRONYM: Final = re.compile(r"[A-Z][A-Z0-9]+s")
_CAPITALISED_WORD: Final = re.compile(r"[A-ZÀ-Ý][\w&'’-]*")
_CAPITALISED_BEFORE: Final = re.compile(r"(?<!\S)([A-ZÀ-Ý][\w&'’-]*) $")


# A word after a vendor's name is one of its products ('AWS Batch' is no Batchfile, 'Azure Functions' no
# functional programming); products the taxonomy knows by the whole name ('Microsoft Excel') match as a whole.
_VENDOR_BEFORE: Final = re.compile(r"\b(?:AWS|Amazon|Azure|Microsoft|Google|GCP|Oracle|SAP|IBM|Adobe|Atlassian|"
                                   r"Salesforce|Apache|Cisco) $")


# A capital inside a word ('NetSuite', 'PowerPoint') is the product's own, wherever the word stands.
_INNER_CAPITAL: Final = re.compile(r"[a-z][A-Z]")
_LISTED: Final = re.compile(r"\s*(?:$|[,(/;:&]|(?:or|and|oder|und|ou|et|o|y|e)\s)")


def _at_opening(passage: str, position: int) -> bool:
    """Whether `position` starts the passage, a sentence or a bullet, where any word is capitalised."""
    before = passage[:position].rstrip(" \t-*•·–#")
    return not before or before.endswith((".", "!", "?", ":"))


def _in_proper_name(passage: str, match: Match, spans: list[tuple[int, int]]) -> bool:
    """A word inside a longer capitalised name the taxonomy does not know ('Ubuntu Mutual', 'Red Seal',
    'Labour Relations Act', 'AWS Batch') is part of that name, not the skill."""
    neighbours = []
    if passage[match.end : match.end + 1] == " " and (after := _CAPITALISED_WORD.match(passage, match.end + 1)):
        neighbours.append(after.span())
    if _VENDOR_BEFORE.search(passage, 0, match.start):
        return True
    before = _CAPITALISED_BEFORE.search(passage, 0, match.start)
    if before is not None and not _at_opening(passage, before.start(1)):
        neighbours.append(before.span(1))
    return any(not any(start <= first and last <= end for start, end in spans) for first, last in neighbours)


# The nouns that end the name of a body ('… Education and Training Board', '… Nursing Council').
_BODY_AFTER: Final = re.compile(r" (?:Board|Council|Committee|Authority|Commission|Agency|Ministry|Department|"
                                r"Institute|Association|Society|Foundation|Trust|Bureau|Tribunal)\b")


def _inside_body_name(passage: str, match: Match) -> bool:
    """Words of several inside a body's name ('Kildare and Wicklow Education and Training Board'): a proper name
    before them and the body's noun after."""
    before = _CAPITALISED_BEFORE.search(passage, 0, match.start)
    return before is not None and not _at_opening(passage, before.start(1)) \
        and _BODY_AFTER.match(passage, match.end) is not None


def _named(passage: str, match: Match) -> bool:
    """Whether the words name the skill rather than being plain English or part of another name: a single
    word keeps the capitals of the skill's name ('spark interest' is not Apache Spark, 'progress' is not the
    Progress language) unless it is no plain word ('k8s', 'node.js'), a one-letter language is a
    capital standing alone ('R and Python', not 'R&D' or 'C-suite'), a possessive is a person's or a
    company's ('Ruby's office'), and an acronym with a small 's' is a plural ('DCs' are not a DCS)."""
    surface, concept = match.surface, match.concept
    after = passage[match.end : match.end + 2]
    if after[:1] in ("'", "’") and after[1:2].lower() == "s":
        return False
    if " " in surface:
        return True
    if surface.islower() and not concept.name.islower() and surface.isalpha():
        return False
    if _PLURAL_ACRONYM.fullmatch(surface) and surface.upper() in (forms := (concept.name, *concept.aliases)) \
            and surface not in forms:
        return False
    if len(surface) == 1:
        before = passage[match.start - 1 : match.start]
        return surface.isupper() and after[:1] not in ("&", "-", "'", "’", ".") and before not in ("&", "-") \
            and not _LETTER_LABEL.search(passage, 0, match.start)
    return True


# Curated categories of practices rather than products: their one-word names ('pharmacovigilance', 'welding',
# 'bookkeeping') are no plain words, where a product's name often is ('containers', 'selenium', 'bootstrap').
_PRACTICE_CATEGORIES: Final = frozenset({
    "Agriculture", "Construction", "Design", "Education", "Engineering", "Finance", "Healthcare", "Hospitality",
    "Laboratory", "Legal", "Logistics and supply chain", "Manufacturing and quality", "Marketing",
    "Mechanical and maintenance", "Media", "Office administration", "Pharmacy", "Safety", "Sales", "Security",
    "Trades", "Transportation"})


def _trade_word(match: Match) -> bool:
    """A posting's lowercase word that is the whole name of a curated practice ('pharmacovigilance',
    'compounding', 'welding'): postings write their duties in plain case."""
    concept = match.concept
    return match.surface.islower() and len(match.surface) >= 7 and match.surface == concept.name.lower() \
        and "curated" in concept.sources and concept.category in _PRACTICE_CATEGORIES and not concept.ambiguous \
        and concept.type == "hard"


# A capital letter after a word other than a joint is that word's label ('hepatitis B', 'Plan B', 'Vitamin C',
# 'Grade A'), not a one-letter language, which follows a joint, a comma or a bracket ('in R', 'Python, R').
_LETTER_LABEL: Final = re.compile(
    r"(?<![\w.])(?!(?:in|and|or|with|using|of|like|including|as|plus|via|both|either|than|languages?|"
    r"und|oder|mit|et|ou|avec|y|o|con|en|e|em)\s+$)[A-Za-zÀ-ÿ]{2,}\s+$", re.I)


def _free_text(result: ResumeResult) -> list[tuple[str, str]]:
    parts = [(result.summary or "", "summary")]
    for job in result.experience:
        parts += [(text, "experience") for text in (job.description or "", *job.highlights)]
    for project in result.projects:
        parts += [(text, "projects") for text in (project.description or "", *project.highlights)]
    return [(text, source) for text, source in parts if text]


def normalise_skills(result: ResumeResult, text: str, today: datetime.date | None = None) -> list[Skill]:
    """The resume's skills, normalised and ranked as listed; implied skills added last, marked as such."""
    taxonomy = load()
    today = today or datetime.date.today()
    jobs = _dated_jobs(result)
    skills: list[Skill] = []
    seen: set[str] = set()
    for raw in result.skills:
        written, level = _explicit_level(raw.skill)
        found = taxonomy.lookup(written)
        concept: Concept | None
        method: str | None
        if found is not None:
            concept, method = found
            confidence = 0.98 if method == "exact" else 0.93
        else:
            concept = _fuzzy(taxonomy, written)
            method, confidence = ("fuzzy", 0.8) if concept is not None else (None, 0.6)
        key = concept.id if concept else "raw:" + normalise(written)
        if key in seen or not written:
            continue
        seen.add(key)
        skills.append(_skill(concept, written, method, confidence, raw.source or "skills_section", jobs, level, today))
    for passage, source in _free_text(result):
        for match in named_skills(passage, taxonomy):
            if match.concept.id in seen:
                continue
            seen.add(match.concept.id)
            skills.append(_skill(match.concept, match.surface, match.method,
                                 0.85 if match.method == "exact" else 0.8, source, jobs, None, today))
    implied: list[Skill] = []
    for skill in skills:
        if skill.skill_id is None:
            continue
        concept = taxonomy.by_id[skill.skill_id]
        # A kind of a skill implies what the skill does: GitHub Actions, a kind of GitHub, implies Git.
        for target_id in (*concept.implies, *(implied for parent in concept.broader if parent in taxonomy.by_id
                                              for implied in taxonomy.by_id[parent].implies)):
            target = taxonomy.by_id[target_id]
            if target_id in seen:
                continue
            seen.add(target_id)
            implied.append(Skill(skill=target.name, skill_id=target.id, category=target.category,
                                 skill_type="soft" if target.type == "soft" else "hard", match_method="implied",
                                 confidence=0.5, implied_by=[skill.skill], source="implied"))
    return skills + implied
