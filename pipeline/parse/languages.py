"""Spoken languages and their proficiency, in the languages resumes are written in."""

from __future__ import annotations

import re
from typing import Final

from pipeline.parse.entries import balance_brackets
from schemas.result import Language, LanguageLevel

# Language names as written in English, German, French, Spanish and Portuguese resumes, one language a line,
# its English name first.
_LANGUAGE_GROUPS: Final = """
english englisch anglais inglés ingles inglês
german deutsch allemand alemán alemao alemão
french französisch français francais francés frances francês
spanish spanisch espagnol español espanol espanhol castellano
portuguese portugiesisch portugais portugués português portugues
italian italienisch italien italiano
dutch niederländisch néerlandais neerlandés holandês flemish nederlands
polish polnisch polonais polaco polonês
russian russisch russe ruso russo
ukrainian ukrainisch ukrainien ucraniano
chinese chinesisch chinois chino chinês mandarin mandarín
cantonese kantonesisch cantonais cantonés
japanese japanisch japonais japonés japonês
korean koreanisch coréen coreano
arabic arabisch arabe árabe
turkish türkisch turc turco
swedish schwedisch suédois sueco
norwegian norwegisch norvégien noruego
danish dänisch danois danés
finnish finnisch finnois finlandés
greek griechisch grec griego
hebrew hebräisch hébreu hebreo
irish irisch irlandais gaeilge
catalan katalanisch català catalán valencian valencià valenciano
galician galego gallego
basque euskara
swahili kiswahili
zulu isizulu
xhosa isixhosa
tagalog filipino
vietnamese vietnamesisch vietnamien
indonesian bahasa
persian farsi
czech tschechisch tchèque
hungarian ungarisch hongrois
romanian rumänisch roumain rumano
bengali bangla
sign asl bsl lsf dgs
"""
# Languages resumes name in English only.
_ONE_NAME: Final = """
hindi urdu punjabi tamil telugu marathi gujarati kannada malayalam welsh igbo yoruba hausa sesotho setswana
afrikaans amharic somali thai malay pashto dari slovak slovenian bulgarian serbian croatian bosnian albanian
lithuanian latvian estonian icelandic maltese luxembourgish kurdish armenian georgian azerbaijani kazakh uzbek
nepali sinhala khmer lao burmese mongolian latin esperanto
"""
_ENGLISH_NAME: Final = {name: line.split()[0] for line in _LANGUAGE_GROUPS.strip().splitlines()
                        for name in line.split()} | {name: name for name in _ONE_NAME.split()}
LANGUAGE_NAMES: Final = frozenset(_ENGLISH_NAME)
PROFICIENCY_SCALE: Final[dict[str, LanguageLevel]] = {
    "native": "native", "native speaker": "native", "mother tongue": "native", "first language": "native",
    "muttersprache": "native", "langue maternelle": "native", "lengua materna": "native", "nativo": "native",
    "nativa": "native", "língua materna": "native", "bilingual": "native", "bilingue": "native",
    "bilingüe": "native", "zweisprachig": "native", "fluent": "fluent", "fließend": "fluent",
    "verhandlungssicher": "fluent", "courant": "fluent", "fluide": "fluent", "fluido": "fluent",
    "fluente": "fluent", "full professional proficiency": "fluent", "professional working proficiency":
    "professional", "professional": "professional", "advanced": "professional", "avancé": "professional",
    "avanzado": "professional", "avançado": "professional", "sehr gut": "professional", "gut": "intermediate",
    "good": "intermediate", "gute kenntnisse": "intermediate", "intermediate": "intermediate",
    "conversational": "intermediate", "intermédiaire": "intermediate", "intermedio": "intermediate",
    "intermediário": "intermediate", "limited working proficiency": "basic", "basic": "basic",
    "elementary": "basic", "elementary proficiency": "basic", "grundkenntnisse": "basic", "notions": "basic",
    "básico": "basic", "basico": "basic", "beginner": "basic", "débutant": "basic", "principiante": "basic",
}
_CEFR: Final = re.compile(r"\b([ABC][12])\b", re.IGNORECASE)
_CEFR_SCALE: Final[dict[str, LanguageLevel]] = {
    "c2": "fluent", "c1": "fluent", "b2": "professional", "b1": "intermediate", "a2": "basic", "a1": "basic"}
_ITEM_SPLIT: Final = re.compile(r"\s*(?:[,;•·|/]|\s{3,}|\s[–—-]\s)\s*(?![^()]*\))")
_NAME_LEVEL: Final = re.compile(r"^(?P<name>[^\W\d_][^():–—-]*?)\s*(?:[:–—-]\s*|\(\s*|\s+)(?P<level>.+?)$")


def _base_name(text: str) -> str:
    return re.sub(r"\s*\(.*?\)\s*", " ", text).strip().lower()


def english_name(text: str) -> str | None:
    """The language a name means, in English ('Deutsch (Muttersprache)' → 'German'), to compare across languages."""
    words = _base_name(text).split()
    if not words or words[0] not in _ENGLISH_NAME:
        return None
    return _ENGLISH_NAME[words[0]].capitalize()


def is_language(text: str) -> bool:
    words = _base_name(text).split()
    return 0 < len(words) <= 3 and words[0] in LANGUAGE_NAMES


def proficiency_level(text: str | None) -> LanguageLevel | None:
    """One scale for every way of saying it: native, fluent, professional, intermediate, basic."""
    if not text:
        return None
    cefr = _CEFR.search(text)
    if cefr:
        return _CEFR_SCALE[cefr.group(1).lower()]
    lowered = text.lower()
    for phrase, value in sorted(PROFICIENCY_SCALE.items(), key=lambda item: -len(item[0])):
        if re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", lowered):
            return value
    return None


def is_proficiency(text: str) -> bool:
    return proficiency_level(text) is not None and not is_language(text) and len(text) < 60


def parse_languages(lines: list[str]) -> list[Language]:
    """Languages with the proficiency written next to them, on the same line or the next one. Where names
    come side by side ('English    Polish', or 'Japanese English' as a column layout reads back) and their
    proficiencies after them ('Native speaker    Conversational'), each takes the next in order; names of one
    language ('Mandarin Chinese') stay one."""
    found: list[Language] = []
    awaiting: list[int] = []
    for raw in lines:
        first_on_line = True
        for item in _ITEM_SPLIT.split(re.sub(r"^\W+", "", raw).strip()):
            item = item.strip(" .:")
            if not item:
                continue
            match = _NAME_LEVEL.match(item)
            level = balance_brackets(match.group("level")) if match else ""
            names = item.split()
            if match and is_language(match.group("name")) and is_proficiency(level):
                found.append(Language(language=match.group("name").strip(), proficiency=level,
                                      level=proficiency_level(level)))
                awaiting = []
                continue
            if len(names) > 1 and all(name.lower() in LANGUAGE_NAMES for name in names) \
                    and len({english_name(name) for name in names}) == len(names):
                added = [Language(language=name) for name in names]
            elif is_language(item):
                added = [Language(language=item)]
            else:
                if awaiting and is_proficiency(item):
                    index = awaiting.pop(0)
                    found[index] = Language(language=found[index].language, proficiency=item,
                                            level=proficiency_level(item))
                continue
            awaiting = ([] if first_on_line else awaiting) + list(range(len(found), len(found) + len(added)))
            found += added
            first_on_line = False
    return found


def _listed(segment: str) -> list[str] | None:
    """The languages a header segment lists ('Dutch, English, German'), allowing text glued before the first."""
    items = [item.strip() for item in re.split(r"\s*[,;·|•]\s*", segment) if item.strip()]
    if not items:
        return None
    words = items[0].split()
    for size in (3, 2, 1):
        if len(words) >= size and is_language(" ".join(words[-size:])):
            items[0] = " ".join(words[-size:])
            break
    return items if all(is_language(item) for item in items) else None


def languages_in_header(lines: list[str]) -> list[Language]:
    """Languages listed in the header, as many templates print them next to the contact details; a list
    wrapped onto the next line is followed."""
    for index, text in enumerate(lines):
        for segment in re.split(r"\s{3,}", text):
            listed = _listed(segment)
            if listed is None:
                continue
            if segment.rstrip().endswith(",") and index + 1 < len(lines):
                following = _listed(lines[index + 1].strip())
                listed += following or []
            if len(listed) >= 2:
                return [Language(language=item) for item in listed]
    return []
