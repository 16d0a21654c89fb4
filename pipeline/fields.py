"""Fields of study: the ones a posting's degree requirement names, and whether a resume's degrees are in one.

A posting writes 'Bachelor's degree in engineering (industrial, mechanical, civil or similar)' or 'Grado en
Ciencias Ambientales, Ingeniería Ambiental o similar'; a resume writes 'Master of Engineering, Civil and Earth
Resources Engineering' or 'M.Sc. Maschinenbau'. Both are brought to English words (common field words of
German, French, Spanish and Portuguese are translated) and a named field is met when each of its words begins
a word of one of the candidate's degrees ('biology' meets 'Biological Science') and no other field word stands
between them without a joint ('Industrial Design Engineering' is not industrial engineering).
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from typing import Final, NamedTuple

__all__ = ["DegreeFields", "degree_fields", "field_met", "field_phrase", "fold", "names_a_trade"]

# The field words of other languages, folded (no accents, lower case), in English. Compound German words
# stand for two English ones; a practitioner names the field ('Ingeniero Industrial' is industrial engineering).
_TRANSLATIONS: Final = {
    "ingenieria": "engineering", "ingenierie": "engineering", "engenharia": "engineering",
    "ingeniero": "engineering", "ingeniera": "engineering", "ingenieur": "engineering", "engenheiro": "engineering",
    "engenheira": "engineering",
    "ingenieurwesen": "engineering", "ingenieurwissenschaften": "engineering", "genie": "engineering",
    "ciencia": "science", "ciencias": "science", "ciencies": "science", "wissenschaft": "science",
    "wissenschaften": "science", "sciences": "science", "ambiental": "environmental",
    "ambientales": "environmental", "ambientais": "environmental", "environnement": "environmental",
    "environnementales": "environmental", "environnementale": "environmental", "umwelt": "environmental",
    "umweltwissenschaften": "environmental science", "umwelttechnik": "environmental engineering",
    "biologia": "biology", "biologie": "biology", "quimica": "chemistry", "chimie": "chemistry",
    "chemie": "chemistry", "fisica": "physics", "physique": "physics", "physik": "physics",
    "matematicas": "mathematics", "matematica": "mathematics", "mathematiques": "mathematics",
    "mathematik": "mathematics", "informatica": "computer science", "informatique": "computer science",
    "informatik": "computer science", "economia": "economics", "economie": "economics",
    "wirtschaftswissenschaften": "economics", "volkswirtschaftslehre": "economics",
    "betriebswirtschaftslehre": "business administration", "bwl": "business administration",
    "administracion": "administration", "administration": "administration", "administracao": "administration",
    "empresas": "business", "gestion": "management", "gestao": "management", "civil": "civil",
    "mecanica": "mechanical", "mecanique": "mechanical", "maschinenbau": "mechanical engineering",
    "fahrzeugtechnik": "automotive engineering",
    "elektrotechnik": "electrical engineering", "electrica": "electrical", "electrique": "electrical",
    "eletrica": "electrical", "industrial": "industrial", "industriel": "industrial",
    "wirtschaftsingenieurwesen": "industrial engineering", "derecho": "law", "droit": "law", "direito": "law",
    "rechtswissenschaft": "law", "rechtswissenschaften": "law", "jura": "law", "medicina": "medicine",
    "medecine": "medicine", "medizin": "medicine", "enfermeria": "nursing", "enfermagem": "nursing",
    "pflege": "nursing", "farmacia": "pharmacy", "pharmacie": "pharmacy", "pharmazie": "pharmacy",
    "psicologia": "psychology", "psychologie": "psychology", "arquitectura": "architecture",
    "arquitetura": "architecture", "architektur": "architecture", "contabilidad": "accounting",
    "comptabilite": "accounting", "contabilidade": "accounting", "finanzas": "finance", "financas": "finance",
    "finanzen": "finance", "educacion": "education", "educacao": "education", "padagogik": "education",
    "geologia": "geology", "geologie": "geology", "minas": "mining", "mines": "mining", "bergbau": "mining",
    "quimico": "chemical", "quimica industrial": "industrial chemistry", "agronomia": "agronomy",
    "agronomie": "agronomy", "forestal": "forestry", "estadistica": "statistics", "statistique": "statistics",
    "statistik": "statistics", "comunicacion": "communication", "communication": "communication",
    "marketing": "marketing", "turismo": "tourism", "tourisme": "tourism", "sistemas": "systems",
    "systemes": "systems", "telecomunicaciones": "telecommunications", "electronica": "electronics",
    "electronique": "electronics", "materiales": "materials", "materiaux": "materials",
}
# Words that name no field: joints, articles, and the degree's own words.
_NOT_FIELD_WORDS: Final = frozenset({
    "and", "or", "of", "in", "the", "a", "an", "y", "o", "e", "u", "ou", "et", "und", "oder", "de", "del",
    "des", "du", "la", "le", "les", "los", "las", "en", "em", "da", "do", "das", "dos", "der", "die", "im",
    "with", "course", "option", "hons", "honours", "honors", "degree", "bachelor", "master", "grado",
    "licenciatura", "studies", "field", "fields", "discipline", "area", "areas", "specialisation",
    "specialization", "programme", "program", "universitario", "completed", "completing", "obtained",
    "similar", "related", "equivalent", "eines",
    "einer", "studiengang", "studiengangs", "studium", "msc", "bsc", "phd", "mba", "ba", "ma", "meng", "beng",
    "mpharm", "bpharm", "diploma", "certificate", "postgraduate", "undergraduate", "experience"})
# Heads that the words in brackets or before them qualify: 'engineering (civil, mechanical)', 'civil or
# structural engineering'.
_HEADS: Final = frozenset({"engineering", "science", "studies", "technology", "management"})
# Heads a degree may leave out and still be in the field: 'Tourism and Recreation' is in tourism management.
_OPTIONAL_HEADS: Final = frozenset({"science", "studies", "technology", "management"})
_DEGREE_IN: Final = re.compile(
    r"\b(?:degree|bachelor'?s?|master'?s?|bsc|msc|b\.sc\.?|m\.sc\.?|b\.s\.|m\.s\.|b\.a\.|m\.a\.|ba|ma|phd|diploma|"
    r"grado|licenciatura|"
    r"máster|titulación|título|diplôme|licence|studium|abschluss|graduação|mestrado|bac\s*\+\s*\d(?:\s+minimum)?)"
    r"\s+(?:degree\s+)?"
    r"(?:universitario\s+|universitaire\s+)?(?:in|of|en|em|der|des|de|in the field of)\s+(.+)", re.I)
# Where the fields end: a sentence's end, an alternative to the degree (', or equivalent experience'), or
# what the posting asks for next ('and current registration', 'with 5 years').
_FIELD_END: Final = re.compile(r"[.;:]\s|[.;:]$|,\s*(?:or|o|ou|oder)\s|\s(?:with|plus|preferably|from|con|avec|mit)\s|"
                               r"\s(?:and|y|et|und)\s+(?:current|at least|proven|strong|solid|\d)", re.I)
_RELATED: Final = re.compile(r"\b(?:or|o|ou|oder|und)\s+(?:a\s+|an\s+|un\s+|une\s+|eine[mns]?\s+)?(?:similar|"
                             r"related|equivalent|comparable|afín|afines|similares?|équivalent|similaire|"
                             r"vergleichbar\w*|ähnlich\w*|semelhante|relacionad[oa]s?)\b", re.I)
# 'a degree in which English was studied': the degree's description, not a field.
_RELATIVE: Final = re.compile(r"(?:which|whom|that|what|where|welchem|welcher|lequel|laquelle|el que|la que|"
                              r"o qual|a qual)\b", re.IGNORECASE)
_LIST_SPLIT: Final = re.compile(r",\s*|\s+(?:or|o|ou|oder|and|y|et|und|/)\s+|\s*/\s*", re.I)
_COMBINING: Final = re.compile(r"[\u0300-\u036f]")


def fold(text: str) -> str:
    """Lower case without accents, to search in (a posting's words and a degree's alike)."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFD", text)).lower()


# Fields that postings of every trade accept ('a degree in business or a related field'): a degree in one
# says the candidate studied, not which work they trained for.
_GENERAL_FIELDS: Final = frozenset({"business", "management", "commerce", "administration",
                                    "business administration", "general studies", "liberal arts", "arts"})


class DegreeFields(NamedTuple):
    """The fields a posting's degree requirement names, and whether it takes similar fields as well."""

    fields: tuple[str, ...]
    or_related: bool


def _english_words(text: str) -> list[str]:
    words: list[str] = []
    for word in re.findall(r"[a-z]+", fold(text)):
        if word not in _TRANSLATIONS and word.endswith("s") and word[:-1] in _TRANSLATIONS:
            word = word[:-1]
        words += _TRANSLATIONS.get(word, word).split()
    return [word for word in words if word not in _NOT_FIELD_WORDS]


def field_phrase(line: str) -> str | None:
    """The words naming the fields after a degree in a posting's line ('engineering (civil or similar)')."""
    found = _DEGREE_IN.search(line)
    phrase = _FIELD_END.split(found.group(1), maxsplit=1)[0].strip(" ,") if found else ""
    if _RELATIVE.match(phrase):
        return None
    return phrase if _english_words(phrase) else None


@functools.lru_cache(maxsize=256)
def degree_fields(phrase: str) -> DegreeFields:
    """The fields a phrase names (a posting's, or the field of study another reading of it gave); read once
    however many candidates are scored against the posting."""
    or_related = bool(_RELATED.search(phrase))
    phrase = _RELATED.sub(" ", phrase)
    head, _, bracketed = phrase.partition("(")
    head_words = _english_words(head)
    parts = [part for part in _LIST_SPLIT.split(bracketed.split(")")[0]) if _english_words(part)] \
        if bracketed else []
    if parts and len(head_words) == 1 and head_words[0] in _HEADS:
        fields = [f"{' '.join(_english_words(part))} {head_words[0]}" for part in parts]
    else:
        fields = [" ".join(words) for part in _LIST_SPLIT.split(head) + parts if (words := _english_words(part))]
        last = fields[-1].split() if fields else []
        if len(last) > 1 and last[-1] in _HEADS:
            fields = [f"{field} {last[-1]}" if " " not in field else field for field in fields]
    return DegreeFields(tuple(dict.fromkeys(fields)), or_related)


def _begins(word: str, other: str) -> bool:
    return other.startswith(word[:6]) or (word.startswith(other[:6]) and len(other) >= 4)


def _degree_tokens(degree: str) -> list[str | None]:
    """A degree's words in English, in order, with None where a joint, a degree word or punctuation stands:
    the places where one field ends and the next may begin."""
    tokens: list[str | None] = []
    for token in re.findall(r"[a-z]+|[^a-z\s]", fold(degree)):
        if not token.isalpha() or token in _NOT_FIELD_WORDS:
            tokens.append(None)
            continue
        if token not in _TRANSLATIONS and token.endswith("s") and token[:-1] in _TRANSLATIONS:
            token = token[:-1]
        tokens += [None if word in _NOT_FIELD_WORDS else word for word in _TRANSLATIONS.get(token, token).split()]
    return tokens


def _names_field(words: list[str], tokens: list[str | None]) -> bool:
    """Whether the degree's words hold each of the field's words, none of them qualifying another field on the
    way: 'Civil and Environmental Engineering' is in civil engineering (the joint shares the head), 'Industrial
    Design Engineering' is not in industrial engineering ('industrial' qualifies 'design')."""
    places = [[index for index, token in enumerate(tokens) if token and _begins(word, token)] for word in words]
    for chosen in itertools.product(*places):
        ordered = sorted(set(chosen))
        if len(ordered) == len(words) and all(
                None in tokens[left + 1:right] or right == left + 1 for left, right in itertools.pairwise(ordered)):
            return True
    return False


def field_met(asked: DegreeFields, degrees: list[str]) -> str | None:
    """The named field one of the candidate's `degrees` (degree and field, as written) is in, if any: one that
    names a trade rather than a general one, when the degrees meet both."""
    met = []
    for degree in degrees:
        tokens = _degree_tokens(degree)
        for field in asked.fields:
            words = field.split()
            if _names_field([word for word in words if not (word in _OPTIONAL_HEADS and len(words) > 1)], tokens):
                met.append(field)
    return min(met, key=lambda field: not names_a_trade(field), default=None)


def names_a_trade(field: str) -> bool:
    """Whether a degree in the field shows what work its holder trained for ('civil engineering' does,
    'business' does not)."""
    return field not in _GENERAL_FIELDS
