"""Reading a job description into requirements, with the same taxonomy the resume's skills are normalised on.

Each skill it names becomes a requirement, required unless its section ('Nice to have', 'Bonus') or its own
line ('a plus', 'ideally') marks it as nice to have. Besides skills: the years of experience asked for, overall
and per skill; the degree and its field; the title and its seniority; languages; certifications; where the
work is and whether it is remote.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

import msgspec

from pipeline.fields import field_phrase, fold
from pipeline.parse.languages import LANGUAGE_NAMES, english_name, proficiency_level
from pipeline.skills import named_skills
from schemas.result import DegreeLevel, JobRequirements, Seniority, WorkMode
from taxonomy import Concept, Match, Taxonomy, load, posting_words

__all__ = ["DEGREE_ORDER", "JobProfile", "Requirement", "degree_level", "fold", "foreign_skills", "names_abroad",
           "read_job", "seniority_of", "with_reading"]

_NICE: Final = re.compile(
    r"\b(nice to have|nice-to-have|preferred|bonus|plus|desirable|desired|ideally|good to have|optional|"
    r"would be great|great to have|great if|(?:an |is an )?advantage(?:ous)?|beneficial|even better|"
    r"would be nice|not required|not mandatory|not essential|not a requirement|(?:is |would be )?an asset|"
    r"would be welcomed?|"
    r"wünschenswert|von vorteil|idealerweise|un plus|atout|apprécié\w*|souhaité\w*|deseable|valorable|"
    r"se valorar\w*|se valora|idealmente|diferencia(?:l|is))\b", re.IGNORECASE)
# A line led by a nice-to-have label ('Nice to have: CPM designation; multi-province payroll') asks for all of
# it as nice to have; elsewhere each sentence or clause says for itself ('BLS required; PALS preferred').
_NICE_LABEL: Final = re.compile(r"^[\W_]*" + _NICE.pattern + r"[^:\n]{0,20}:", re.IGNORECASE)
_REQUIRED_HEADING: Final = re.compile(
    r"\b(requirements?|required|must[- ]haves?|qualifications|what you bring|you have|you bring|essential|"
    r"skills|experience|anforderungen|profil|votre profil|requisitos|exigences)\b", re.IGNORECASE)
_YEARS: Final = re.compile(r"(\d{1,2})\s*\+?\s*(?:-\s*\d{1,2}\s*)?(?:years?|yrs?|jahre?n?|ans?|años?|anos?)\b",
                          re.IGNORECASE)
_TITLE_LABEL: Final = re.compile(r"^\s*(?:job title|title|position|role|poste|stelle|puesto|cargo)\s*[:–—-]\s*(.+)$",
                                 re.IGNORECASE)
_GENDER_MARK: Final = re.compile(r"\s*\((?:m/w/d|w/m/d|m/f/d|f/m/d|h/f|f/h|m/f|all genders)\)", re.IGNORECASE)
_SENIORITY_WORDS: Final[tuple[tuple[Seniority, re.Pattern[str]], ...]] = (
    ("executive", re.compile(r"\b(chief|ceo|cto|cfo|coo|vp|vice president|president)\b", re.I)),
    ("director", re.compile(r"\b(director|head of|direktor|directeur|directora?)\b", re.I)),
    ("manager", re.compile(r"\b(manager|leiter|responsable|gerente|gestor)\b", re.I)),
    ("lead", re.compile(r"\b(lead|principal|staff|architect|team leader|chef de projet)\b", re.I)),
    ("senior", re.compile(r"\b(senior|sr\.?|experienced|expert|confirmé)\b", re.I)),
    ("intern", re.compile(r"\b(intern|internship|trainee|werkstudent|praktikant|stagiaire|apprentice)\b", re.I)),
    ("junior", re.compile(r"\b(junior|jr\.?|graduate|entry[- ]level|assistant|débutant)\b", re.I)),
)
_DEGREES: Final[tuple[tuple[DegreeLevel, re.Pattern[str]], ...]] = (
    ("doctorate", re.compile(r"\b(ph\.?\s?d|doctorate|doctoral|dphil)\b", re.I)),
    ("master", re.compile(r"\b(master'?s?|máster|mestrado|msc|m\.sc|m\.s\.|mba|meng|ma\b|postgraduate|"
                          r"diplôme d'ingénieur|diplom-ingenieur|bac\s*\+\s*5)", re.I)),
    ("bachelor", re.compile(r"\b(bachelor'?s?|bsc|b\.sc|b\.s\.|ba\b|beng|bcom|undergraduate degree|university "
                            r"degree|college degree|degree in|licenciatura|grado|graduação|bacharelado|"
                            r"abgeschlossene[sn]? (?:hochschul)?studium|hochschulabschluss|hochschulstudium|"
                            r"bac\s*\+\s*[34]\b)", re.I)),
    ("associate", re.compile(r"\b(associate'?s? degree|hnd|diploma in|fachhochschulreife|bac\s*\+\s*2)\b", re.I)),
    ("secondary", re.compile(r"\b(high school|secondary school|ged|a-levels|abitur|baccalauréat)\b", re.I)),
)
# Two-letter forms ('BS', 'MA') read only in a resume's degree field: in a posting's prose 'MS' is as often
# Microsoft's.
_SHORT_DEGREES: Final[tuple[tuple[DegreeLevel, re.Pattern[str]], ...]] = (
    ("doctorate", re.compile(r"\b(md|d\.?phil|ed\.?d)\b", re.I)),
    ("master", re.compile(r"\b(m\.?s|m\.?a|m\.?eng|llm|m\.?ed)\b", re.I)),
    ("bachelor", re.compile(r"\b(b\.?s|b\.?a|b\.?eng|llb|b\.?ed)\b", re.I)),
)
# Words that name a degree of no level in particular: a bachelor's, unless the clause names a level.
_ANY_DEGREE: Final = re.compile(r"\b(undergraduate degree|university degree|college degree|degree in)", re.I)
DEGREE_ORDER: Final[tuple[DegreeLevel, ...]] = ("secondary", "associate", "bachelor", "master", "doctorate")
# Sections about the employer and what it offers: a skill named there ('runs copper processing plants') is
# context, not something the candidate must have. 'About you' is the candidate's profile, not context.
_CONTEXT_HEADING: Final = re.compile(
    r"^\W*(?:about\b(?!\s+you)|who we are|our company|the company|company|what we offer|we offer|our offer|"
    r"benefits|perks|"
    r"why join|why us|über uns|wer wir sind|wir bieten|was wir bieten|unser angebot|sobre nosotros|quiénes somos|"
    r"ofrecemos|qué ofrecemos|à propos|qui sommes|nous offrons|ce que nous offrons|sobre nós|quem somos|"
    r"oferecemos|o que oferecemos)", re.IGNORECASE)
# Where a posting stops asking: pay, how to apply, whom to contact, its equal-opportunity statement. What these
# sections name (the recruiter's 'Talent Acquisition' title, 'Compensation and Benefits') is asked of no one.
_CLOSING_HEADING: Final = re.compile(
    r"^\W*(?:(?:compensation|salary|pay)(?:\s+(?:and|&)\s+benefits|\s+range)?|remuneration(?:\s+package)?|"
    r"rewards?|how to apply|to apply|application process|contact(?:\s+us|\s+person|\s+details)?|"
    r"equal opportunit\w*(?:\s+employer)?|employment equity|diversity(?:\s+(?:and|&)\s+inclusion)?|kontakt|"
    r"ihre bewerbung|bewerbung|candidature|comment postuler|postuler|cómo aplicar|como aplicar|"
    r"como se candidatar|contacto|contato|rémunération|salaire|vergütung|gehalt|salario|remuneração|salário)"
    r"\W*$", re.IGNORECASE)
# An employer's equal-opportunity sentence, wherever it stands, even inside a paragraph of requirements: it
# asks nothing of the candidate ('We are committed to equality, diversity and inclusion and welcome
# applications from all').
_EQUAL_OPPORTUNITY: Final = re.compile(
    r"\b(?:equal opportunit\w*|equal employment|committed to (?:equality|diversity|inclusion)|"
    r"welcome applications from all|regardless of (?:race|gender|age|sex)|without regard to|"
    r"chancengleichheit|égalité des chances|igualdad de oportunidades|igualdade de oportunidades)", re.IGNORECASE)
_LOCATION_HEADING: Final = re.compile(r"^\W*(?:location|where|standort|arbeitsort|lieu|localisation|ubicación|"
                                      r"localização|local de trabalho)\W*$", re.IGNORECASE)
# 'Based in Lima, Peru, with regular travel': the place, one or two capitalised names separated by a comma.
_BASED_IN: Final = re.compile(r"\b(?i:based in|located in|con sede en|basée? à|mit sitz in|sediad[oa] em)\s+"
                              r"([A-ZÀ-Ý][\w'-]*(?:[ -][A-ZÀ-Ý][\w'-]*)*(?:,\s*[A-ZÀ-Ý][\w'-]*"
                              r"(?:[ -][A-ZÀ-Ý][\w'-]*)*)?)")
_LANGUAGE_CONTEXT: Final = re.compile(
    r"\b(fluent|fluency|native|speak\w*|spoken|written|language|languages|proficien\w*|business[- ]level|"
    r"[ABC][12]|sprach\w*|langue|idioma|bilingual|verhandlungssicher|courant|nivel|niveau|technique|"
    r"professionnel|avancé|avanzado|avançado|intermedi\w*|fluente|básico|basico)\b", re.IGNORECASE)
# 'Deutschkenntnisse', 'Englischkenntnisse': the language is the compound's first part.
_KNOWLEDGE_OF_LANGUAGE: Final = re.compile(r"\b([^\W\d_]+?)kenntniss", re.IGNORECASE)
_REMOTE: Final = re.compile(r"\b(fully remote|remote[- ]first|remote|work from home|telework|télétravail|"
                            r"homeoffice|home office)\b", re.I)
# Remote work on some days only: 'hybrid', 'télétravail possible un jour par semaine', '2 days from home'.
_HYBRID: Final = re.compile(r"\bhybrid\b|\b(?:télétravail|remote|home ?office|teletrabajo)\s+(?:possible|partiel|"
                            r"parcial|partial)|\b(?:\d|un|une|one|two|ein|zwei|dos|un)\s+(?:jours?|days?|tage?|días?)\b"
                            r"[^.\n]{0,25}\b(?:télétravail|remote|from home|home ?office|teletrabajo)|"
                            r"\b(?:télétravail|remote|from home|home ?office|teletrabajo)\b[^.\n]{0,25}"
                            r"\b(?:\d|un|une|one|two|ein|zwei|dos)\s+(?:jours?|days?|tage?|días?)\b", re.I)
_ONSITE: Final = re.compile(r"\b(on[- ]?site|in[- ]office|office[- ]based|vor ort|présentiel|presencial)\b", re.I)
_LOCATION_LABEL: Final = re.compile(r"^\s*(?:location|based in|standort|lieu|ubicación|localização|ort)\s*[:–—-]\s*"
                                    r"(.+)$", re.IGNORECASE)
_CERTIFICATION_CATEGORY: Final = re.compile(r"certif|licen[cs]", re.IGNORECASE)
_CERTIFICATION_WORDS: Final = re.compile(r"\b(certified|certification|certificate|licen[cs]ed?|chartered|"
                                         r"registered)\b", re.IGNORECASE)
# What joins skills offered as alternatives: 'Nextflow or Snakemake', 'R and/or Python', 'Java, Go ou Rust',
# 'SAP or another large ERP'.
_OR: Final = re.compile(r",?\s*(?:or|and/or|ou|et/ou|o|y/o|u|oder|und/oder|bzw\.?|e/ou)"
                        r"(?:\s+(?:an)?other(?:\s+\w+)?|\s+autre|\s+otro)?|/", re.IGNORECASE)
# What introduces examples of the thing asked for: 'a CRM such as HubSpot', 'BI-Tools wie z. B. Power BI'.
_EXAMPLES: Final = re.compile(r"\b(?:such as|like|e\.\s?g\.|for example|for instance|including|(?:at least )?one of|"
                              r"z\.\s?b\.|"
                              r"beispielsweise|tales como|por ejemplo|p\.\s?ej\.|tel(?:le)?s? que|par exemple|"
                              r"p\.\s?ex\.|por exemplo)", re.IGNORECASE)
# Where a sentence or clause ends: not after an abbreviation ('e.g. HubSpot', 'z. B. SAP', 'p. ex. Zendesk').
_CLAUSE_END: Final = re.compile(r";|(?<!\b\w)(?<!\bex)\.\s")
# Examples run to the end of their bracket or sentence.
_EXAMPLES_END: Final = re.compile(r"[)\]]|" + _CLAUSE_END.pattern)
# The most words between a skill and the examples of it that follow ('CRM tools (HubSpot)').
_EXAMPLE_HEAD_GAP: Final = 2


class Requirement(msgspec.Struct, frozen=True):
    concept: Concept
    words: str
    required: bool
    years: int | None = None
    # The posting's title names it ('Responsable Service Client'): the trade itself, never a mere soft skill.
    in_title: bool = False
    # Skills that meet the requirement as well as `concept` does: 'Nextflow or Snakemake', 'SIG (QGIS, ArcGIS)'.
    alternatives: tuple[Concept, ...] = ()

    @property
    def concepts(self) -> tuple[Concept, ...]:
        return (self.concept, *self.alternatives)


class JobProfile(msgspec.Struct, frozen=True):
    requirements: list[Requirement]
    years_required: int | None
    asks: JobRequirements


def seniority_of(title: str) -> Seniority | None:
    """The seniority a job title states, if any ('Senior Data Engineer' → senior)."""
    for level, pattern in _SENIORITY_WORDS:
        if pattern.search(title):
            return level
    return None


def _lowest_degree(text: str) -> DegreeLevel | None:
    """The lowest degree level a posting's clause accepts ('a Bachelor's or Master's degree' → bachelor)."""
    levels = [level for level, pattern in _DEGREES if pattern.search(text)]
    named_bachelor = dict(_DEGREES)["bachelor"].search(_ANY_DEGREE.sub(" ", text))
    if len(levels) > 1 and "bachelor" in levels and not named_bachelor:
        levels.remove("bachelor")
    return min(levels, key=DEGREE_ORDER.index) if levels else None


def degree_level(text: str, degree_field: bool = False) -> DegreeLevel | None:
    """The highest degree level a text names; `degree_field` for a resume's degree, where 'BS' is one."""
    patterns = _DEGREES + _SHORT_DEGREES if degree_field else _DEGREES
    levels = [level for level, pattern in patterns if pattern.search(text)]
    return max(levels, key=DEGREE_ORDER.index) if levels else None


def _is_heading(line: str) -> bool:
    """A marked heading ('## Requirements', 'Nice to have:'), or a short line that reads as one: not a short
    sentence ('We run copper plants.') nor the wrapped end of the line before ('  relacionado')."""
    stripped = line.strip().rstrip(":").strip("#* ")
    if not stripped or re.match(r"^\s*[-*•]\s", line):
        return False
    if line.strip().endswith(":") or line.lstrip().startswith("#"):
        return True
    return len(stripped.split()) <= 5 and not stripped.endswith((".", "!", "?")) and not stripped[0].islower()


def _title(lines: list[str]) -> tuple[str, str] | None:
    """The job title and the line it is on: a 'Title:' line, else the first short line that is not a section
    heading."""
    for line in lines[:15]:
        labelled = _TITLE_LABEL.match(line)
        if labelled:
            return _GENDER_MARK.sub("", labelled.group(1)).strip(" #*"), line
    for line in lines[:3]:
        text = _GENDER_MARK.sub("", re.split(r"\s+[|–—]\s+|\s+-\s+|\s+at\s+", line.strip(" #*\t"))[0]).strip()
        if text and len(text.split()) <= 10 and not _REQUIRED_HEADING.fullmatch(text.rstrip(":")) \
                and not text.endswith((".", ":")):
            return text, line
    return None


def _languages(line: str, about_languages: bool = False) -> list[str]:
    """Languages a line about languages names (or a clause of one, `about_languages`), in any case (Spanish and
    French write 'inglés', 'anglais'), and German's knowledge compounds ('Deutschkenntnisse')."""
    compounds = [name for stem in _KNOWLEDGE_OF_LANGUAGE.findall(line)
                 if stem.lower() in LANGUAGE_NAMES and (name := english_name(stem)) is not None]
    if not (about_languages or _LANGUAGE_CONTEXT.search(line)):
        return compounds
    words = re.findall(r"[^\W\d_]+", line)
    return [*compounds,
            *(name for word in words if word.lower() in LANGUAGE_NAMES and (name := english_name(word)) is not None)]


def _says_nice(text: str) -> bool:
    """Whether a sentence or clause asks for its skills as nice to have. A bracket saying so of something else
    ('Food Hygiene Level 2 (Level 3 preferred)') leaves the rest of it required; '(preferred)' alone does not."""
    def outside(bracket: re.Match[str]) -> str:
        rest = _NICE.sub(" ", bracket.group()).lower()
        return bracket.group() if not re.sub(r"\b(?:strongly|highly|very|is|a|an|would|be)\b", " ", rest).strip(
            " ()[],.;:-") else " "
    return _NICE.search(re.sub(r"\([^()]*\)", outside, text)) is not None


def _is_language_word(surface: str) -> bool:
    """'Fluent', 'German', 'C1' on a line about languages are not the software or skill of that name."""
    return surface.lower() in LANGUAGE_NAMES or proficiency_level(surface) is not None


# Accented Latin letters to their base letter, one for one, so that positions in the folded text stay those of
# the text; and the combining accents a decomposed text carries.
_ACCENTS: Final = {code: unicodedata.normalize("NFD", chr(code))[0] for code in range(0xC0, 0x250)
                   if len(unicodedata.normalize("NFD", chr(code))) > 1}


def _fold_in_place(text: str) -> str:
    """As `fold`, letter for letter, so that a match's position is the same in the text."""
    folded = text.translate(_ACCENTS).lower()
    return folded if len(folded) == len(text) else text.lower()


@functools.cache
def _foreign_patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """The posting words of other languages as two patterns, longest first: phrases in any case and accents,
    and acronyms ('SIG') as written; with the English skill name of each, by its folded form."""
    words = posting_words()
    english = {fold(foreign): name for foreign, name in words.items()}
    acronyms = sorted((foreign for foreign in words if foreign.isupper()), key=len, reverse=True)
    phrases = sorted({fold(foreign) for foreign in words if not foreign.isupper()}, key=len, reverse=True)

    def alternatives(options: list[str]) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(option) for option in options) + r")(?!\w)")

    return alternatives(phrases), alternatives(acronyms), english


def foreign_skills(clause: str, taxonomy: Taxonomy) -> list[Match]:
    """The skills a text in German, French, Spanish or Portuguese names in the words of the posting list."""
    phrases, acronyms, english = _foreign_patterns()
    found = [*phrases.finditer(_fold_in_place(clause)), *acronyms.finditer(clause)]
    matches = []
    for hit in found:
        concept = taxonomy.lookup(english[fold(hit.group())])
        if concept is not None:
            matches.append(Match(concept=concept[0], surface=clause[hit.start():hit.end()], method="alias",
                                 start=hit.start(), end=hit.end()))
    return matches


@functools.cache
def _phrases_by_skill() -> dict[str, tuple[str, ...]]:
    """The posting list's phrases of each skill, by concept id: folded, acronyms as written."""
    taxonomy = load()
    phrases: dict[str, tuple[str, ...]] = {}
    for foreign, name in posting_words().items():
        found = taxonomy.lookup(name)
        if found is not None:
            phrases[found[0].id] = (*phrases.get(found[0].id, ()), foreign if foreign.isupper() else fold(foreign))
    return phrases


def names_abroad(concept: Concept, text: str, folded: str) -> bool:
    """Whether the text (and `folded`, its `fold`) names the skill in the posting list's words of another
    language; cheap for the many skills the list does not name."""
    for phrase in _phrases_by_skill().get(concept.id, ()):
        haystack = text if phrase.isupper() else folded
        if phrase in haystack and re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", haystack):
            return True
    return False


def _work_mode(text: str) -> WorkMode | None:
    if _HYBRID.search(text):
        return "hybrid"
    if _REMOTE.search(text):
        return "remote"
    if _ONSITE.search(text):
        return "on-site"
    return None


def _alternative_groups(clause: str, matches: list[Match]) -> list[list[Match]]:
    """The clause's skills in groups, each one requirement that any of its skills meets: skills joined by 'or'
    ('Nextflow or Snakemake', 'Java, Go or Rust'), two readings of the same words ('Outreach' the tool, or
    community outreach), and examples in brackets or after 'such as', with the skill
    they are examples of ('SIG (QGIS, ArcGIS)', 'a CRM such as HubSpot or Salesforce', 'software such as
    SAP2000 or ETABS'). A bracketed list after no skill is a list of skills, each asked for ('Frontend Developer
    (React, TypeScript)')."""
    ordered = sorted(matches, key=lambda match: match.start)
    parent = list(range(len(ordered)))

    def root(index: int) -> int:
        while parent[index] != index:
            index = parent[index]
        return index

    def join(indexes: list[int]) -> None:
        for index in indexes[1:]:
            parent[root(index)] = root(indexes[0])

    run_start = 0
    for index in range(1, len(ordered)):
        if ordered[index].start < ordered[index - 1].end:
            join([index - 1, index])
            continue
        between = clause[ordered[index - 1].end:ordered[index].start].strip()
        if _OR.fullmatch(between):
            join(list(range(run_start, index + 1)))
        elif between != ",":
            run_start = index
    spans = [(bracket.start(), bracket.start() + 1, bracket.end(), False)
             for bracket in re.finditer(r"\([^()]*\)", clause)]
    spans += [(marker.start(), marker.end(), stop.start() if (stop := _EXAMPLES_END.search(clause, marker.end()))
               else len(clause), True) for marker in _EXAMPLES.finditer(clause)]
    for opening, start, end, said_examples in spans:
        examples = [index for index, match in enumerate(ordered) if match.start >= start and match.end <= end]
        heads = [index for index, match in enumerate(ordered)
                 if match.end <= opening and len(clause[match.end:opening].split()) <= _EXAMPLE_HEAD_GAP]
        if heads or said_examples:
            join(heads[-1:] + examples)
    groups: dict[int, list[Match]] = {}
    for index, match in enumerate(ordered):
        groups.setdefault(root(index), []).append(match)
    return list(groups.values())


def _group_words(clause: str, group: list[Match]) -> str:
    """The posting's words for a group of alternatives, brackets closed: 'SIG (QGIS, ArcGIS)'."""
    words = clause[group[0].start:group[-1].end].strip()
    return words + ")" * (words.count("(") - words.count(")"))


def _one_requirement_each(drafts: list[Requirement]) -> list[Requirement]:
    """Each skill in one requirement only: requirements sharing a skill are one, met by any of their skills
    ('CRM' in one line, 'a ticketing tool or CRM (Zendesk, Salesforce)' in another), required if either is,
    in the words of the one offering the most skills."""
    merged: list[Requirement] = []
    for draft in drafts:
        ids = {concept.id for concept in draft.concepts}
        sharing = [index for index, kept in enumerate(merged) if ids & {concept.id for concept in kept.concepts}]
        if not sharing:
            merged.append(draft)
            continue
        parts = [merged[index] for index in sharing] + [draft]
        concepts = list({concept.id: concept for part in parts for concept in part.concepts}.values())
        widest = max(parts, key=lambda part: len(part.concepts))
        years = [part.years for part in parts if part.years is not None]
        merged[sharing[0]] = Requirement(concept=concepts[0], words=widest.words,
                                         required=any(part.required for part in parts),
                                         years=max(years) if years else None,
                                         in_title=any(part.in_title for part in parts),
                                         alternatives=tuple(concepts[1:]))
        for index in reversed(sharing[1:]):
            del merged[index]
    return merged


def _names(requirements: list[Requirement], required: bool) -> list[str]:
    """The skill names of the required (or the nice-to-have) requirements, alternatives included."""
    return [concept.name for requirement in requirements if requirement.required == required
            for concept in requirement.concepts]


def read_job(job_description: str, taxonomy: Taxonomy | None = None) -> JobProfile:
    """Requirements (required or nice to have) and everything else the posting asks for."""
    taxonomy = taxonomy or load()
    lines = [line for line in job_description.splitlines() if line.strip()]
    mode_required = True
    context = in_location = closing = False
    degrees: list[DegreeLevel] = []
    field_of_study: str | None = None
    drafts: list[Requirement] = []
    overall_years: int | None = None
    languages: list[str] = []
    nice_languages: list[str] = []
    certifications: list[str] = []
    location: str | None = None
    # The title line names no degree asked for: a 'High School Math Teacher' needs more than high school.
    title, title_line = _title(lines) or (None, None)
    title_concepts = {m.concept.id for m in (*named_skills(title, taxonomy, phrases=True),
                                             *foreign_skills(title, taxonomy))} if title else set()
    for line in lines:
        if _is_heading(line):
            context = bool(_CONTEXT_HEADING.match(line))
            closing = bool(_CLOSING_HEADING.match(line))
            in_location = bool(_LOCATION_HEADING.match(line.strip(" #*:")))
            if _NICE.search(line):
                mode_required = False
            elif _REQUIRED_HEADING.search(line):
                mode_required = True
            if in_location or context or closing:
                continue
        if _EQUAL_OPPORTUNITY.search(line):
            line = " ".join(sentence for sentence in re.split(r"(?<=[.!?])\s+", line)
                            if not _EQUAL_OPPORTUNITY.search(sentence))
        if closing or not line:
            continue
        if in_location and location is None and not _is_heading(line):
            location = (_BASED_IN.search(line) or re.match(r"\s*(.+?)(?:[.;(]|,? with\b|$)", line)
                        or _BASED_IN).group(1).strip(" *-")  # type: ignore[union-attr]
        labelled_nice = _NICE_LABEL.match(line) is not None
        line_languages = _languages(line)
        if line_languages and not context:
            spoken = _LANGUAGE_CONTEXT.search(line) is not None
            for clause in _CLAUSE_END.split(line):
                nice = not mode_required or labelled_nice or _says_nice(clause)
                named = _languages(clause, spoken)
                if nice:
                    nice_languages = list(dict.fromkeys([*nice_languages, *named]))
                else:
                    languages = list(dict.fromkeys([*languages, *named]))
        field = field_phrase(line)
        if field and field_of_study is None and not context:
            field_of_study = field
        for clause in re.split(r",|" + _CLAUSE_END.pattern, line) if line is not title_line else ():
            degree = _lowest_degree(clause)
            if degree and mode_required and not context and not _NICE.search(clause):
                degrees.append(degree)
        for clause in _CLAUSE_END.split(line):
            required = mode_required and not context and not labelled_nice and not _says_nice(clause)
            years_match = _YEARS.search(clause)
            years = int(years_match.group(1)) if years_match else None
            skill_matches = [m for m in named_skills(clause, taxonomy, phrases=True)
                             if not (line_languages and _is_language_word(m.surface))
                             and not (field and m.surface.lower() in field.lower())]
            skill_matches += [m for m in foreign_skills(clause, taxonomy)
                              if not any(m.start < other.end and other.start < m.end for other in skill_matches)]
            if years is not None and not context and (required or not skill_matches):
                overall_years = max(overall_years or 0, years)
            groups = _alternative_groups(clause, skill_matches)
            for group in groups:
                words = title if line is title_line and title \
                    else line.strip(" -*•\t#") if len(groups) == 1 and clause == line \
                    else clause.strip(" -*•\t#") if len(groups) == 1 else _group_words(clause, group)
                concepts = list({match.concept.id: match.concept for match in group}.values())
                drafts.append(Requirement(concept=concepts[0], words=words, required=required,
                                          years=years if len(groups) <= 3 else None,
                                          in_title=any(match.concept.id in title_concepts for match in group),
                                          alternatives=tuple(concepts[1:])))
            for match in skill_matches:
                concept = match.concept
                is_certification = _CERTIFICATION_CATEGORY.search(concept.category or "") \
                    or _CERTIFICATION_WORDS.search(concept.name)
                if is_certification and concept.name not in certifications:
                    certifications.append(concept.name)
        labelled = _LOCATION_LABEL.match(line)
        if labelled and location is None:
            location = re.split(r"\.\s", labelled.group(1))[0].strip(" *.")
    if location is None and (based := _BASED_IN.search(job_description)):
        location = based.group(1)
    requirements = _one_requirement_each(drafts)
    asks = JobRequirements(
        title=title, seniority=seniority_of(title) if title else None, years_required=overall_years,
        required_skills=_names(requirements, required=True), nice_to_have_skills=_names(requirements, required=False),
        degree=min(degrees, key=DEGREE_ORDER.index) if degrees else None, field_of_study=field_of_study,
        languages=languages, nice_to_have_languages=[name for name in nice_languages if name not in languages],
        certifications=certifications, location=location,
        work_mode=_work_mode(job_description),
    )
    return JobProfile(requirements=requirements, years_required=overall_years, asks=asks)


def with_reading(job: JobProfile, reading: JobRequirements, taxonomy: Taxonomy | None = None) -> JobProfile:
    """The posting as read here, corrected and completed by another reading of it (an LLM tier's, grounded in
    the posting's text): its skills join the requirements with its verdict on required or nice to have, and it
    fills what was left unread."""
    taxonomy = taxonomy or load()
    requirements = list(job.requirements)
    index = {concept.id: position for position, requirement in enumerate(requirements)
             for concept in requirement.concepts}
    for names, required in ((reading.required_skills, True), (reading.nice_to_have_skills, False)):
        for name in names:
            found = taxonomy.lookup(name)
            if found is None:
                continue
            concept = found[0]
            if concept.id in index:
                position = index[concept.id]
                requirements[position] = msgspec.structs.replace(requirements[position], required=required)
            else:
                index[concept.id] = len(requirements)
                requirements.append(Requirement(concept=concept, words=name, required=required))
    asks = job.asks
    merged = msgspec.structs.replace(
        asks,
        title=asks.title or reading.title, seniority=asks.seniority or reading.seniority,
        years_required=asks.years_required or reading.years_required,
        required_skills=_names(requirements, required=True), nice_to_have_skills=_names(requirements, required=False),
        degree=asks.degree or reading.degree, field_of_study=asks.field_of_study or reading.field_of_study,
        languages=asks.languages or reading.languages,
        nice_to_have_languages=asks.nice_to_have_languages or reading.nice_to_have_languages,
        certifications=asks.certifications or reading.certifications,
        location=asks.location or reading.location, work_mode=asks.work_mode or reading.work_mode)
    return JobProfile(requirements=requirements, years_required=merged.years_required, asks=merged)
