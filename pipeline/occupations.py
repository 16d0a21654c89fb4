"""How close a candidate's occupation is to a posting's, read through O*NET.

Each side becomes a profile over O*NET-SOC occupations: the occupations its job titles are known as, and the
occupations whose technology and tools its skills name, each skill weighted by how few occupations use it
('ETABS' says civil engineer; 'Microsoft Excel' says little). Two profiles are compared by cosine at three
levels of the SOC hierarchy, so that a structural engineer and a mechanical engineer are close (both 17-21)
even when no skill of one is asked for by the other.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Final, NamedTuple

from taxonomy import Occupations, TitleWords, normalise, occupations

__all__ = ["Profile", "closest", "english_title", "profile", "similarity", "title_occupations"]

# Skills used in more occupations than this ('Microsoft Excel') say nothing about which one.
MAX_OCCUPATIONS_PER_SKILL: Final = 100
# A one-word title naming more occupations than this ('Engineer', 'Manager') names none in particular.
MAX_HEAD_OCCUPATIONS: Final = 3
# A title names an occupation more surely than any one skill does.
TITLE_WEIGHT: Final = 3.0
# Detailed occupation (17-2051, or a specialty of a catch-all such as 11-9199.01), broad group (17-205) and
# minor group (17-2), with what each counts for.
LEVELS: Final = ((10, 0.5), (6, 0.3), (4, 0.2))
_SEGMENTS: Final = re.compile(r"[,;|–—]| - | / | at | for ")
# 'Director of Supply Chain' is known as 'Supply Chain Director'.
_OF: Final = re.compile(r"^(.*?)(\w+) of (?:the )?(\w+(?: \w+)?)(?: and .*)?$", re.I)
# Feminine and inclusive endings that titles in other languages add ('Técnico/a', 'Ingénieur(e)').
_GENDER_FORMS: Final = re.compile(r"/(?:a|e|in|innen|ne)\b|\((?:e|a|in|m/w/d|w/m/d|h/f|f/h)\)|·e\b")
_CONNECTORS: Final = frozenset({"de", "du", "des", "del", "da", "do", "dos", "das", "la", "le", "el", "les", "los",
                                "en", "et", "y", "e", "und", "für", "der", "die", "im", "in", "à", "au", "aux", "a"})
# A title naming a field ('Environmental Engineering Graduate', 'Nursing Student') is known as the field's
# practitioner ('environmental engineer').
_PRACTITIONERS: Final = {"engineering": "engineer", "science": "scientist", "sciences": "scientist",
                         "nursing": "nurse", "pharmacy": "pharmacist", "accounting": "accountant",
                         "design": "designer", "economics": "economist", "psychology": "psychologist",
                         "biology": "biologist", "chemistry": "chemist", "physics": "physicist",
                         "architecture": "architect", "mathematics": "mathematician", "statistics": "statistician"}
_RANK_WORDS: Final = re.compile(r"\b(senior|sr|junior|jr|lead|principal|staff|chief|graduate|trainee|intern|"
                                r"student|assistant|head|deputy|acting|interim)\b")


def _known_as(title: str, data: Occupations, any_head: bool = False) -> list[str]:
    """O*NET's occupations for the title, its parts or their last two or more words, or the last word alone
    when it names few occupations ('Journeyperson Electrician'); with `any_head`, the last word alone however
    many it names (a translated title can keep a foreign word in front: 'englisch teacher')."""
    plain = re.sub(r"\(.*?\)", " ", title)
    for segment in (plain, *_SEGMENTS.split(plain)):
        key = normalise(_OF.sub(r"\1\3 \2", segment.strip()))
        words = _RANK_WORDS.sub(" ", key).split()
        if words and words[-1] in _PRACTITIONERS and len(words) > 1:
            words[-1] = _PRACTITIONERS[words[-1]]
        for candidate in (key, *(" ".join(words[start:]) for start in range(len(words) - 1))):
            if candidate in data.titles:
                return data.titles[candidate]
        head = data.titles.get(words[-1], []) if words else []
        if head and (any_head or len(head) <= MAX_HEAD_OCCUPATIONS):
            return head
    return []


def english_title(title: str) -> str | None:
    """A German, French, Spanish or Portuguese title in English words, when the list of title words knows
    any of its foreign words: German compounds split ('Versuchsingenieur' → 'test engineer'), and the
    noun-first order of the Romance languages turned round ('Técnico de Medio Ambiente' → 'environmental
    technician'). Each part between commas or dashes is read on its own."""
    words = occupations().translations
    text = _GENDER_FORMS.sub("", re.sub(r"\(.*?\)", " ", title.lower().replace("’", "'")))
    parts = [_english_part(part, words) for part in _SEGMENTS.split(text)]
    if not any(foreign for _, foreign in parts):
        return None
    return ", ".join(part for part, _ in parts if part)


def _english_part(text: str, words: TitleWords) -> tuple[str, bool]:
    """One part of a title in English words, and whether any of them was foreign."""
    text = _phrases().sub(lambda found: "\x00" + words.phrases[found.group()] + "\x00", text)
    units: list[str] = []
    foreign = compound = False
    for index, piece in enumerate(text.split("\x00")):
        if index % 2:
            units.append(piece)
            foreign = True
            continue
        for word in re.findall(r"[^\W\d_][\w'-]*", piece):
            word = re.sub(r"^[dl]'", "", word)
            if word in _CONNECTORS:
                continue
            if (split := _compound(word, words)) is not None:
                units.append(split + ",")
                foreign = compound = True
            else:
                english = words.words.get(word, word)
                foreign = foreign or english != word
                units.append(english)
    return " ".join(units if compound else reversed(units)).strip(", ").replace(",,", ","), foreign


@functools.cache
def _phrases() -> re.Pattern[str]:
    """The phrases of the list as one pattern, longest first so that 'service clientèle' beats 'service client'."""
    phrases = occupations().translations.phrases
    alternatives = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)")


def _compound(word: str, words: TitleWords) -> str | None:
    """A German compound as English words: 'entwicklungsingenieur' → 'development engineer'."""
    for head, english in words.compound_heads.items():
        if word.endswith(head) and len(word) > len(head) + 2 and word not in words.words:
            modifier = words.compound_modifiers.get(word[: -len(head)])
            return f"{modifier} {english}" if modifier else english
    return None


def title_occupations(title: str) -> list[str]:
    """The occupations a job title is known as: the title itself, or its part before a comma, without rank
    words, or failing that its last two or more words ('Enterprise Account Executive' is an account executive);
    a title in another language through its English words."""
    data = occupations()
    found = _known_as(title, data)
    if not found and (english := english_title(title)) is not None:
        found = _known_as(english, data, any_head=True)
    return found


class Profile(NamedTuple):
    """Occupation weights at each level of `LEVELS`, with their norms."""

    levels: tuple[dict[str, float], ...]
    norms: tuple[float, ...]


@functools.lru_cache(maxsize=4096)
def profile(titles: tuple[tuple[str, float], ...], skill_ids: tuple[str, ...]) -> Profile:
    """Occupation weights from job titles (each with its own weight) and skills by concept id; remembered, as
    one resume is scored against many postings and one posting against many resumes."""
    data = occupations()
    total = len(data.names)
    weights: dict[str, float] = {}
    for skill_id in skill_ids:
        codes = data.skills.get(skill_id)
        if codes and len(codes) <= MAX_OCCUPATIONS_PER_SKILL:
            share = math.log(total / len(codes)) / len(codes)
            for code in codes:
                weights[code] = weights.get(code, 0.0) + share
    for title, weight in titles:
        codes = title_occupations(title)
        for code in codes:
            weights[code] = weights.get(code, 0.0) + TITLE_WEIGHT * weight / len(codes)
    levels = []
    for length, _ in LEVELS:
        grouped: dict[str, float] = {}
        for code, weight in weights.items():
            grouped[code[:length]] = grouped.get(code[:length], 0.0) + weight
        levels.append(grouped)
    return Profile(tuple(levels), tuple(math.sqrt(sum(w * w for w in level.values())) for level in levels))


def similarity(one: Profile, other: Profile) -> float:
    """0 (no occupation in common, or an empty profile) to 1 (the same occupations in the same proportions)."""
    total = 0.0
    for (_, share), mine, theirs, my_norm, their_norm in zip(LEVELS, one.levels, other.levels, one.norms,
                                                             other.norms, strict=True):
        if my_norm and their_norm:
            small, large = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
            dot = sum(weight * large.get(code, 0.0) for code, weight in small.items())
            total += share * dot / (my_norm * their_norm)
    return total


def closest(one: Profile, other: Profile) -> str | None:
    """The name of the occupation the two profiles share most, if any."""
    mine, theirs = one.levels[0], other.levels[0]
    shared = {code: weight * theirs[code] for code, weight in mine.items() if code in theirs}
    if not shared:
        return None
    return occupations().names.get(max(shared, key=lambda code: shared[code]))
