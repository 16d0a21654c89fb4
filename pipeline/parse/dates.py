"""Dates and date ranges as resumes write them, in English, German, French, Spanish and Portuguese.

Output is ISO 8601 partial: "YYYY-MM" when a month is given, "YYYY" otherwise. A range whose end says
"present" (or "seit 2021", "depuis 2020", "desde 2019") is current: end None, current True.
"""

from __future__ import annotations

import functools
import re
from typing import Final

import msgspec

MONTHS: Final[dict[str, int]] = {}
for _number, _names in enumerate(
    [
        "jan january januar janv janvier janeiro enero ene jän jänner",
        "feb february februar fev fév févr février fevereiro febrero",
        "mar march märz maerz mars março marco marzo mär",
        "apr april avr avril abril abr",
        "may mai mayo maio",
        "jun june juni juin junio junho",
        "jul july juli juil juillet julio julho",
        "aug august août aout agosto ago",
        "sep sept september septembre septiembre setembro setiembre set",
        "oct october oktober okt octobre octubre outubro out",
        "nov november novembre noviembre novembro",
        "dec december dezember dez déc décembre diciembre dic dezembro",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

SEASONS: Final = {
    "spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12,
    "frühling": 3, "frühjahr": 3, "sommer": 6, "herbst": 9,
    "printemps": 3, "été": 6, "automne": 9, "hiver": 12,
    "primavera": 3, "verano": 6, "otoño": 9, "invierno": 12, "verão": 6, "outono": 9, "inverno": 12,
}
PRESENT: Final = (
    r"present|current|currently|now|today|ongoing|to date|date|heute|aktuell|derzeit|jetzt|laufend|"
    r"présent|aujourd'hui|auj\.?|en cours|actualidad|actual|presente|hoy|atual|atualmente|o momento"
)
SINCE: Final = r"since|seit|depuis|desde|dès"

_MONTH_NAME = r"(?P<{g}mon>" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?"
_SEASON = r"(?P<{g}season>" + "|".join(sorted(map(re.escape, SEASONS), key=len, reverse=True)) + r")"
_YEAR = r"(?P<{g}year>(?:19|20)\d{{2}})"


def _point(group: str) -> str:
    """One date: 'Jan 2020', 'January, 2020', '01/2020', '2020-01', '1.2020', 'Summer 2018', '2020'."""
    name = _MONTH_NAME.format(g=group)
    season = _SEASON.format(g=group)
    year = _YEAR.format(g=group)
    year2 = _YEAR.format(g=group + "b")
    return (
        rf"(?:(?:\d{{1,2}}\.?\s+)?{name}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?,?\s+(?:de\s+)?{year}"
        rf"|{season},?\s+{year2}"
        rf"|(?P<{group}num>0?[1-9]|1[0-2])\s*[/.]\s*(?P<{group}nyear>(?:19|20)\d{{2}})"
        rf"|(?P<{group}iyear>(?:19|20)\d{{2}})[-/.](?P<{group}imon>0[1-9]|1[0-2])(?![\d])"
        rf"|(?P<{group}yonly>(?:19|20)\d{{2}}))"
    )


_SEPARATOR = r"\s*(?:-{1,2}|–|—|−|~|to|until|till|bis|à|au|a|al|até|hasta)\s*"
RANGE: Final = re.compile(
    rf"(?<![\w/.-])(?:(?P<since>{SINCE})\s+)?{_point('s')}"
    rf"(?:{_SEPARATOR}(?:(?P<present>{PRESENT})|{_point('e')}|(?P<short>\d{{2}})(?!\d))|\s*[-–—]\s*(?=$|\s*[|,·•)]))?"
    rf"(?![\w])",
    re.IGNORECASE,
)


class DateRange(msgspec.Struct, frozen=True):
    start: str | None
    end: str | None
    current: bool
    position: int
    length: int


def _value(match: re.Match[str], group: str) -> str | None:
    get = match.group
    if get(f"{group}mon"):
        month = MONTHS[get(f"{group}mon").lower().rstrip(".")]
        return f"{get(f'{group}year')}-{month:02d}"
    if get(f"{group}season"):
        return f"{get(f'{group}byear')}-{SEASONS[get(f'{group}season').lower()]:02d}"
    if get(f"{group}num"):
        return f"{get(f'{group}nyear')}-{int(get(f'{group}num')):02d}"
    if get(f"{group}iyear"):
        return f"{get(f'{group}iyear')}-{get(f'{group}imon')}"
    if get(f"{group}yonly"):
        return str(get(f"{group}yonly"))
    return None


@functools.lru_cache(maxsize=2048)
def find_ranges(text: str) -> tuple[DateRange, ...]:
    """Every date or date range in the text, left to right. Remembered, as the parser asks about one line
    several times; `parse` forgets them before each document, so no resume's text outlives its parse here."""
    found: list[DateRange] = []
    for match in RANGE.finditer(text):
        start = _value(match, "s")
        if start is None:
            continue
        end = _value(match, "e")
        current = bool(match.group("present") or match.group("since"))
        if match.group("short") and end is None:
            end = start[:2] + match.group("short")
            if end < start[:4]:
                continue
        open_ended = end is None and not current and match.group(0).rstrip().endswith(("-", "–", "—"))
        found.append(DateRange(start=start, end=end, current=current or open_ended, position=match.start(),
                               length=match.end() - match.start()))
    return tuple(found)


def parse_range(text: str) -> DateRange | None:
    """The first date range (or single date) in the text."""
    ranges = find_ranges(text)
    for candidate in ranges:
        if candidate.end is not None or candidate.current:
            return candidate
    return ranges[0] if ranges else None


def is_mostly_date(text: str) -> bool:
    """True when a line is little more than a date range (a right-aligned or margin date)."""
    ranges = find_ranges(text)
    if not ranges:
        return False
    rest = text
    for found in sorted(ranges, key=lambda r: -r.position):
        rest = rest[: found.position] + rest[found.position + found.length :]
    leftover = re.sub(r"[\s,|·•()\[\]:–—-]+", "", rest)
    return len(leftover) <= 3
