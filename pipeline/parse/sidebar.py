"""Skills a resume lists outside a skills section: tag lines in the header and grouped lists in a sidebar.

Sidebar templates put contact details and skills under one heading ('About'), the skills in groups: a group
label set at the heading's indent, its items indented a little further, a long item wrapped onto a second
line set closer than the items are to each other. Indent and line pitch tell the three apart where the text
alone cannot ('Methoden' is a label, 'Romax' a skill).
"""

from __future__ import annotations

import re
import statistics
from itertools import pairwise
from typing import Final

from pipeline.parse.contact import find_emails
from pipeline.parse.entries import is_bullet
from pipeline.parse.fields import skills_from
from pipeline.parse.languages import parse_languages
from pipeline.parse.sections import Section, SectionLine
from schemas.result import Skill
from taxonomy import load

__all__ = ["sidebar_skills", "unwrapped"]

_PROSE_SECTIONS: Final = frozenset({"experience", "volunteer", "education", "projects", "summary", "certifications",
                                     "awards", "publications", "references", "skills", "interests"})
# A profile handle or the tail of a wrapped address ('dknguyen-data', 'Jonas_Mueller42', 'e.com'): one token.
_HANDLE: Final = re.compile(r"^(?:[a-z][\w.-]*|[\w.-]*[\d_.-][\w.-]*)$")
_DIGITS: Final = re.compile(r"\d")
# How much closer than the usual item pitch a line must follow the one above to be its continuation.
_WRAP_PITCH: Final = 0.8


def sidebar_skills(header: list[SectionLine], sections: list[Section], listed: list[Skill]) -> list[Skill]:
    """Skills from sidebar lists, after those `listed` in skills sections; header tag lines count only
    where there is no skills section (a skills heading can also be a sidebar's group label: 'Tools')."""
    found = [*listed, *(_tag_line_skills(header, sections) if not listed else []), *_grouped_lists(sections)]
    unique: dict[str, Skill] = {}
    for skill in found:
        unique.setdefault(skill.skill.casefold(), skill)
    return list(unique.values())


def _tag_line_skills(header: list[SectionLine], sections: list[Section]) -> list[Skill]:
    """Tag lists in sidebars ('Python    SQL    Scala'): lines of short items, most of which the taxonomy knows."""
    taxonomy = load()
    lines = [*header, *(line for section in sections if section.kind not in _PROSE_SECTIONS
                        for line in section.lines)]
    found: list[Skill] = []
    for line in lines:
        items = [item.strip(" .") for item in re.split(r"\s{3,}|\s*[,;|•·]\s*", line.text) if item.strip(" .")]
        if not items or any(len(item.split()) > 4 or "@" in item for item in items):
            continue
        known = [item for item in items if taxonomy.lookup(item) is not None]
        single = len(known) == 1 and not line.bold
        if len(known) >= max(1, (len(items) + 1) // 2) and (len(items) >= 2 or single):
            found += [Skill(skill=item, source="skills_section") for item in items]
    return found


def _is_contact(text: str) -> bool:
    return bool(find_emails(text)) or "@" in text or "://" in text or len(_DIGITS.findall(text)) >= 5


def _grouped_lists(sections: list[Section]) -> list[Skill]:
    """Lists under the first heading of a sidebar ('About'), and under a group label wrapped onto a line that
    reads as a heading ('Programming' / 'Languages') naming no language: a run of four or more items, two in
    five of which the taxonomy knows, or, where the section holds no prose, set out in labelled groups."""
    taxonomy = load()
    found: list[Skill] = []
    for section in sections:
        stray = section.kind == "languages" and not parse_languages([line.text for line in section.lines])
        if section.kind != "summary" and not stray:
            continue
        prose = any(len(line.text.split()) >= 8 for line in section.lines)
        for run in _runs(section.lines):
            items, labelled = _items(run)
            known = sum(taxonomy.lookup(item) is not None for item in items)
            if len(items) >= 4 and ((labelled and not prose) or known >= 0.4 * len(items)):
                found += skills_from(items)
    return found


def _runs(lines: list[SectionLine]) -> list[list[SectionLine]]:
    """Runs of short lines, broken by sentences and contact details; a handle or an address tail right
    after a contact line ('e.com', 'dknguyen-data') is one more contact line."""
    runs: list[list[SectionLine]] = [[]]
    after_contact = False
    for line in lines:
        text = line.text.strip()
        contact = _is_contact(text) or (after_contact and bool(_HANDLE.match(text)))
        if not contact and len(text.split()) <= 4 and not text.endswith("."):
            runs[-1].append(line)
        elif runs[-1]:
            runs.append([])
        after_contact = contact
    return [run for run in runs if run]


def _items(run: list[SectionLine]) -> tuple[list[str], bool]:
    """The run's items, group labels (set left of the items) left out, and whether there were labels."""
    members = _without_labels(run)
    return unwrapped(members), len(members) < len(run)


def unwrapped(lines: list[SectionLine]) -> list[str]:
    """Lines of a list, each item wrapped onto a second line joined again: the continuation starts below its
    first line, not left of it, and follows it closer than the items follow each other."""
    pitches = [pitch for a, b in pairwise(lines) if (pitch := _pitch(a, b)) is not None]
    usual = statistics.median(pitches) if pitches else None
    items: list[str] = []
    for index, line in enumerate(lines):
        text = line.text.strip()
        pitch = _pitch(lines[index - 1], line) if index else None
        if usual is not None and pitch is not None and pitch < _WRAP_PITCH * usual and items:
            items[-1] = items[-1][:-1] + text if items[-1].endswith("-") and text[:1].islower() \
                else f"{items[-1]} {text}"
        else:
            items.append(text)
    return items


def _pitch(above: SectionLine, line: SectionLine) -> float | None:
    """How far `line` sits below the line above it, when it is the next line of the same column: lower by
    more than half its size, at the same indent (or under the text of a bullet)."""
    if above.top is None or line.top is None or not line.size or above.x is None or line.x is None:
        return None
    pitch = line.top - above.top
    indent = line.x - above.x
    aligned = abs(indent) <= 0.25 * line.size or (is_bullet(above.text) and 0 < indent < 3 * line.size)
    if pitch <= 0.5 * line.size or not aligned:
        return None
    return pitch


def _without_labels(run: list[SectionLine]) -> list[SectionLine]:
    """The lines right of the widest step between the run's indents, when that step is a clear one (a fifth
    of the type size; scans jitter by less) and fewer lines sit left of it than right."""
    indents = sorted({line.x for line in run if line.x is not None})
    sizes = [line.size for line in run if line.size]
    if len(indents) < 2 or not sizes:
        return run
    step, cut = max((b - a, b) for a, b in pairwise(indents))
    members = [line for line in run if line.x is None or line.x >= cut]
    if step < 0.2 * statistics.median(sizes) or len(members) <= len(run) - len(members):
        return run
    return members
