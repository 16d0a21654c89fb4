"""Entries inside a section: where one job or degree ends and the next begins, and what each line holds.

Each dated line anchors an entry. The short, non-bullet lines next to the date are its header (title,
company, location, degree, institution); bullets and sentences after it are its body, until the header of
the next entry starts.
"""

from __future__ import annotations

import re
from typing import Final

import msgspec

from pipeline.parse.contact import AU_STATES, CA_PROVINCES, COUNTRIES, US_STATES, parse_location
from pipeline.parse.dates import DateRange, find_ranges, is_mostly_date
from pipeline.parse.places import city
from pipeline.parse.sections import SectionLine
from taxonomy import title_heads

BULLET: Final = re.compile(r"^\s*(?:[•●○◦▪■□‣⁃∙·*+➢➤►▶✓✔-]|\d{1,2}[.)]|e?[«»©®]|e\s?\|)\s*")
STRONG_SEPARATOR: Final = re.compile(r"\s{3,}|\s+[|·•]\s+|\s+[–—]\s+|\s+-\s+|\s+@\s+|\s+at\s+|\s*\|\s*")
TITLE_WORDS: Final = re.compile(
    r"\b(engineer|developer|manager|analyst|intern|internship|director|consultant|specialist|designer|accountant|"
    r"nurse|teacher|lead|head|officer|assistant|associate|coordinator|scientist|architect|administrator|"
    r"technician|executive|representative|president|vp|founder|co-founder|owner|partner|advisor|adviser|"
    r"paralegal|lawyer|attorney|pharmacist|physician|doctor|surgeon|therapist|electrician|apprentice|"
    r"journeyperson|fellow|researcher|professor|lecturer|tutor|instructor|supervisor|superviseure?|clerk|agent|"
    r"cashier|chef|cook|driver|operator|mechanic|planner|strategist|editor|writer|producer|volunteer|"
    r"programmer|student|trainee|werkstudent|praktikant(?:in)?|ingenieur(?:in)?|entwickler(?:in)?|leiter(?:in)?|"
    r"berater(?:in)?|referent(?:in)?|sachbearbeiter(?:in)?|mitarbeiter(?:in)?|versuchsingenieur|"
    r"entwicklungsingenieur|ingénieur|développeur|développeuse|responsable|chargée?|stagiaire|conseill[eè]re?|"
    r"gerente|ingeniero|ingeniera|desarrollador|desarrolladora|analista|jefe|jefa|coordinador|coordinadora|"
    r"técnico|técnica|asistente|becario|becaria|voluntario|voluntaria|gerente|engenheiro|engenheira|"
    r"desenvolvedor|estagiário|estagiária|coordenador|diretor|diretora|executivo|executiva|surveyor|"
    r"sales|recruiter|marketer|buyer|auditor|controller|bookkeeper|cleaner|carpenter|plumber|welder|"
    r"hand|worker|staff|clinician|midwife|dentist|veterinarian|counsel|secretary|receptionist)\b",
    re.IGNORECASE,
)
ORG_WORDS: Final = re.compile(
    r"\b(inc|llc|llp|ltd|limited|gmbh|ag|se|sa|sas|sarl|s\.a|plc|corp|corporation|company|co|group|groupe|"
    r"holdings|technologies|labs|bank|hospital|clinic|trust|foundation|institute|university|college|school|"
    r"agency|partners|associates|consulting|solutions|systems|services|studio|council|ministry|department|"
    r"government|hotel|hotels|pharmacy|nhs|society|association|center|centre|program|programme)\b\.?",
    re.IGNORECASE,
)
DEGREE_WORDS: Final = re.compile(
    r"\b(bachelor|master|masters|mba|phd|ph\.d|doctorate|doctor of|diploma|diplom|degree|certificate|"
    r"associate of|b\.?sc|m\.?sc|b\.?a|m\.?a|b\.?s|m\.?s|b\.?eng|m\.?eng|beng|meng|bcom|llb|llm|md|"
    r"licence|licenciatura|licenciado|grado|máster|mestrado|bacharelado|abitur|baccalauréat|bts|dut|"
    r"postgraduate|post graduate|pgdm|hnd|gcse|a-levels|apprenticeship|staatsexamen|magister|ingénieur|"
    r"high school|secondary school|(?-i:[BM][A-Z][a-z]{1,5}))\b",
    re.IGNORECASE,
)
INSTITUTION_WORDS: Final = re.compile(
    r"\b(university|universität|universite|université|universidad|universidade|universitat|uniwersytet|"
    r"college|school|institute|institut|instituto|hochschule|fachhochschule|academy|akademie|académie|"
    r"polytechnic|politécnica|politècnica|politecnico|école|escuela|escola|faculty|gymnasium|lycée|"
    r"tecnológico|mica|conservatory|seminary)\b",
    re.IGNORECASE,
)
DEPARTMENT_WORDS: Final = re.compile(
    r"\b(unit|department|division|team|ward|practice|office|desk|branch|section|abteilung|bereich|service|"
    r"département|pôle|departamento|área|setor)\b", re.IGNORECASE)
_DURATION: Final = re.compile(r"\d+\s*(years?|months?|yrs?|mos?)(\s+\d+\s*(months?|mos?))?")
_LOCATION_HINT: Final = re.compile(r"^(remote|hybrid|on-?site)$", re.IGNORECASE)


class Entry(msgspec.Struct):
    header: list[str]
    body: list[str]
    dates: DateRange | None


def is_bullet(text: str) -> bool:
    return bool(BULLET.match(text)) and not re.match(r"^\d{1,2}[./]\d{2,4}", text)


def strip_bullet(text: str) -> str:
    return BULLET.sub("", text, count=1).strip()


def _is_header_candidate(line: SectionLine) -> bool:
    text = line.text
    if is_bullet(text):
        return False
    if len(text) > 150:
        return False
    return not (text.endswith(".") and len(text) > 60)


def _date_of(text: str) -> DateRange | None:
    for found in find_ranges(text):
        if found.end is not None or found.current or (found.start and len(found.start) == 7):
            return found
    ranges = find_ranges(text)
    if ranges and is_mostly_date(text):
        return ranges[0]
    return None


ENTRY_LABELS: Final = re.compile(
    r"^\W*(highlights|key achievements|achievements|responsibilities|key responsibilities|tasks|duties|"
    r"accomplishments|aufgaben|tätigkeiten|erfolge|réalisations|missions|responsabilités|logros|funciones|"
    r"responsabilidades|realizações|atividades)\W*$",
    re.IGNORECASE,
)


def segment(lines: list[SectionLine]) -> list[Entry]:
    """Group a section's lines into entries, anchored on dated header lines. Where headers come before their
    dates, the line just above a date that stands alone is always part of the header, even when it reads like
    the continuation of the text before it."""
    lines = _join_column_wraps([line for line in lines if not ENTRY_LABELS.match(line.text)])
    anchors = [i for i, line in enumerate(lines) if _is_header_candidate(line) and _date_of(line.text)
               and not (i > 0 and _wraps_sentence(lines[i - 1], line))]
    if not anchors:
        return _segment_undated(lines)
    starts: list[int] = []
    previous_end = -1
    header_first = anchors[0] > 0 and _is_header_candidate(lines[anchors[0] - 1])
    for anchor in anchors:
        start = anchor
        date_alone = is_mostly_date(lines[anchor].text)
        while (
            header_first and
            start - 1 > previous_end
            and anchor - (start - 1) <= 2
            and _is_header_candidate(lines[start - 1])
            and not _date_of(lines[start - 1].text)
            and (start - 1 == 0 or (date_alone and start == anchor)
                 or not _continues_body(lines[start - 2], lines[start - 1]))
        ):
            start -= 1
        if starts and start <= starts[-1]:
            continue
        starts.append(start)
        previous_end = anchor
    entries: list[Entry] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        chunk = lines[start:end]
        if index == 0 and start > 0:
            chunk = lines[:end]
        entries.append(_entry(chunk))
    return entries


# The end of a line a narrow column cut in the middle of a phrase: the next line carries it on.
OPEN_END: Final = re.compile(r"(?:\b(?:of|to|the|and|in|for|a|an|with|from|since|by|at|on|or|und|et|y|de|du)|"
                             r"[&,/–—-])$", re.IGNORECASE)


def _wraps_sentence(before: SectionLine, line: SectionLine) -> bool:
    """A line that carries on a bullet or a sentence cut at 'of' or a comma: a year in it ('... since 2022')
    is part of that sentence, not the dates of a new entry. A line split into parts ('ICA Fluor | Project
    Manager | 2018') is a header whatever came before it."""
    if is_mostly_date(line.text) or STRONG_SEPARATOR.search(line.text):
        return False
    if OPEN_END.search(before.text.rstrip()):
        return True
    return is_bullet(before.text) and before.x is not None and line.x is not None \
        and before.x + _bullet_indent(line) < line.x < before.x + 40


def _bullet_indent(line: SectionLine) -> float:
    """How far right of a bullet its wrapped text starts at least: the width of the bullet and a space. A
    header set a hair right of the bullets above it (a scan's jitter) is not their continuation."""
    return 0.4 * (line.size or 10.0)


def _continues_body(before: SectionLine, line: SectionLine) -> bool:
    """A wrapped sentence: the line continues the body text before it rather than starting a new header."""
    if line.bold and not before.bold:
        return False
    if line.text[:1].islower():
        return True
    if before.text.rstrip().endswith((".", ":", ";", "!", "?")):
        return False
    if before.x is not None and line.x is not None:
        indent = _bullet_indent(line) if is_bullet(before.text) else 2
        return line.x > before.x + indent or (not is_bullet(before.text) and abs(line.x - before.x) <= 2
                                               and len(before.text) > 70)
    return len(before.text) > 70 and len(line.text) > 50


def _opens_with_degree(text: str) -> bool:
    return DEGREE_WORDS.match(text) is not None


def _names_school(text: str) -> bool:
    """A line that names a school early ('EGADE Business School, …'), not a degree or a sentence about one."""
    return INSTITUTION_WORDS.search(" ".join(text.split()[:4])) is not None and not _opens_with_degree(text)


def _segment_undated(lines: list[SectionLine]) -> list[Entry]:
    """Entries without dates: a new entry at each bold or short non-bullet line after body text, and, where
    schools and degrees are listed line by line, at the school or degree that begins the next pair."""
    entries: list[Entry] = []
    current: list[SectionLine] = []
    seen_body = False
    for line in lines:
        header_like = _is_header_candidate(line) and (line.bold or len(line.text) < 70)
        paired = any(_opens_with_degree(done.text) for done in current) \
            and any(_names_school(done.text) for done in current)
        next_pair = paired and _is_header_candidate(line) and (_opens_with_degree(line.text)
                                                               or _names_school(line.text))
        if current and ((seen_body and header_like) or next_pair):
            entries.append(_entry(current))
            current, seen_body = [], False
        current.append(line)
        if not header_like:
            seen_body = True
    if current:
        entries.append(_entry(current))
    return entries


def _title_case_share(text: str) -> float:
    words = [w for w in re.findall(r"[^\W\d_][\w'’.&-]*", re.sub(r"\b[dlDL]['’]", "", text)) if len(w) > 3]
    return sum(1 for w in words if w[0].isupper()) / len(words) if words else 1.0


def _continues_header(line: SectionLine, header: list[SectionLine]) -> bool:
    """After the date, a line still belongs to the header when the header has no name yet, or it looks like
    a name (short, in title case, or styled like the header), not like a sentence of the description."""
    if not _is_header_candidate(line) or len(header) >= 4:
        return False
    named = [h for h in header if remove_dates(h.text).strip(" |-–—,")]
    if not named:
        return True
    text = line.text.strip()
    if DEGREE_WORDS.match(text) and len(text) <= 120:
        return True
    if text.endswith((".", ";")) or len(text) > 70:
        return False
    styled = line.bold and all(h.bold for h in named)
    return styled or _title_case_share(text) >= 0.75


def _in_header(line: SectionLine, index: int, anchor: int | None, header: list[SectionLine]) -> bool:
    if anchor is not None and index <= anchor:
        return _is_header_candidate(line)
    return _continues_header(line, header)


def _entry(chunk: list[SectionLine]) -> Entry:
    anchor = next((i for i, line in enumerate(chunk) if _is_header_candidate(line) and _date_of(line.text)), None)
    header_lines: list[SectionLine] = []
    body: list[str] = []
    for index, line in enumerate(chunk):
        if body:
            body.append(line.text)
        elif _in_header(line, index, anchor, header_lines):
            header_lines.append(line)
        else:
            body.append(line.text)
    dates = _date_of(chunk[anchor].text) if anchor is not None else None
    return Entry(header=[line.text for line in header_lines], body=body, dates=dates)


def _join_column_wraps(lines: list[SectionLine]) -> list[SectionLine]:
    """Entries laid out in columns read row by row, so a narrow column's wrapped cell ('Bachelor of Accounting
    and Financial' … 'Management (BAFM)') comes back split by the line the wider column prints beside it:
    each later row of the cell, in the cell's style and at its left edge, is joined onto the cell when all
    that came between stands on the cell's first row, to its right."""
    joined: list[SectionLine] = []
    for line in lines:
        cell = next((index for index in range(len(joined) - 1, -1, -1) if _same_column(joined[index], line)), None)
        between = joined[cell + 1:] if cell is not None else []
        if cell is not None and between and all(_beside(joined[cell], other) for other in between):
            joined[cell] = msgspec.structs.replace(joined[cell], text=f"{joined[cell].text} {line.text}")
        else:
            joined.append(line)
    return joined


def _same_column(cell: SectionLine, line: SectionLine) -> bool:
    return cell.x is not None and line.x is not None and abs(cell.x - line.x) <= 2 and cell.bold == line.bold \
        and cell.page == line.page and cell.top is not None and line.top is not None and cell.top < line.top \
        and len(cell.text) <= 40 and len(line.text) <= 40 and not _date_of(cell.text) and not _date_of(line.text)


def _beside(cell: SectionLine, other: SectionLine) -> bool:
    return cell.x is not None and other.x is not None and other.x > cell.x + 10 \
        and cell.top is not None and other.top is not None and abs(other.top - cell.top) <= 3


def remove_dates(text: str) -> str:
    """The text without its date ranges and the separators they leave behind."""
    for found in sorted(find_ranges(text), key=lambda r: -r.position):
        text = text[: found.position] + "  |  " + text[found.position + found.length :]
    text = re.sub(r"\(\s*\|?\s*\)", " ", text)
    return text


def header_parts(lines: list[str]) -> list[str]:
    """Header text split on strong separators (runs of spaces, pipes, dashes, 'at', '@'), dates removed."""
    return [text for text, _ in header_segments(lines)]


def header_segments(lines: list[str]) -> list[tuple[str, bool]]:
    """Header parts, each marked True when it was pushed to the right end of its line (after a wide gap):
    where templates put the location opposite a title."""
    segments: list[tuple[str, bool]] = []
    for line in lines:
        gapped = "    " in line.strip()
        found = _line_parts(line)
        segments += [(text, gapped and index == len(found) - 1 and index > 0) for index, text in enumerate(found)]
    return segments


def _line_parts(line: str) -> list[str]:
    parts: list[str] = []
    for part in STRONG_SEPARATOR.split(remove_dates(line)):
        cleaned = re.sub(r"^\W+(?=\w)", "", balance_brackets(part.strip(" ,;:|–—-·•")))
        if cleaned and not _DURATION.fullmatch(cleaned):
            parts.append(cleaned)
    return parts


def balance_brackets(text: str) -> str:
    """Drop a parenthesis left unpaired when the text was cut out of a longer line ('Fluent (C1))' → 'Fluent
    (C1)'), or close one left open."""
    if text.endswith(")") and text.count("(") < text.count(")"):
        text = text[:-1]
    if text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:]
    if text.count("(") > text.count(")"):
        text += ")"
    return text.strip()


_PARENTHESES: Final = re.compile(r"\([^)]*\)")
_WORD: Final = re.compile(r"[^\W\d_][\w'’.-]*")


def title_score(part: str) -> int:
    """How much a header part reads as a job title rather than an employer: its head noun is a job title's
    ('Volunteer Tax Preparer'), it names a job anywhere, it names an organisation ('... Program (CVITP)')."""
    words = _WORD.findall(_PARENTHESES.sub(" ", re.split(r"\s+(?:of|for|in)\s+|,", part)[0]))
    score = 0
    if words and words[-1].lower().rstrip(".") in title_heads() and not ORG_WORDS.fullmatch(words[-1]):
        score += 2
    if TITLE_WORDS.search(part):
        score += 1
    if ORG_WORDS.search(part) or re.search(r"\([A-Z&]{2,}\)\s*$", part):
        score -= 2
    return score


def looks_like_location(text: str) -> bool:
    """'Remote', 'Brampton, ON', 'Berlin, Germany', or a known city with at most a region and a country.

    'Orange, Lyon' is not one location but a company and its city: a second city name after the first means
    the first is something else.
    """
    text = text.strip()
    if _LOCATION_HINT.match(text) or parse_location(text) is not None:
        return True
    pieces = [p.strip() for p in text.split(",")]
    if len(pieces) <= 3 and city(pieces[0]) is not None and not ORG_WORDS.search(text) \
            and not any(city(piece) is not None and not _is_region(piece) for piece in pieces[1:]):
        return True
    if len(pieces) < 2:
        return False
    last = pieces[-1]
    return _is_region(last) or (len(last) == 2 and last.isupper())


def _is_region(piece: str) -> bool:
    return piece.lower() in COUNTRIES or piece in US_STATES or piece in CA_PROVINCES or piece in AU_STATES


def peel_location(pieces: list[str], cities: bool = True) -> tuple[list[str], str | None]:
    """Take a trailing location ('Brampton, ON', 'Berlin, Germany', 'NL', 'Ikeja') off comma-separated pieces.

    With `cities` off (the entry already has its location elsewhere), a lone trailing city name stays: it is
    then more likely part of the company ('Orange').
    """
    if len(pieces) >= 3 and looks_like_location(", ".join(pieces[-2:])) and not ORG_WORDS.search(pieces[-2]):
        return pieces[:-2], ", ".join(pieces[-2:])
    last = pieces[-1] if pieces else ""
    if len(pieces) >= 2 and _is_region(last):
        return pieces[:-1], last
    if cities and len(pieces) >= 2 and city(last) is not None and not ORG_WORDS.search(last) \
            and not TITLE_WORDS.search(last):
        return pieces[:-1], last
    return pieces, None


def names_employer(text: str) -> bool:
    """An organisation word other than 'department', which names a unit inside an employer as often as a
    government body ('Department of Biochemistry')."""
    return any(match.group(1).lower() != "department" for match in ORG_WORDS.finditer(text))


def split_title_company(part: str, cities: bool = True,
                        employer_elsewhere: bool = False) -> tuple[str | None, str | None, str | None]:
    """'Senior Accountant, Assurance, MNP LLP, Toronto, ON' → title, company and location.

    The company is the shortest tail holding an organisation word; failing that, the shortest tail free of
    job-title words. When the first piece names no job but a later one does, the company comes first
    ('Zillow, Senior Data Engineer'). With the employer named elsewhere in the header, a department after the
    title is part of it ('Research Assistant, Department of Biochemistry').
    """
    pieces, location = peel_location([p.strip() for p in part.split(",") if p.strip()], cities)
    if len(pieces) < 2:
        return (pieces[0] if pieces else None), None, location
    if title_score(pieces[0]) <= 0 and not TITLE_WORDS.search(pieces[0]):
        for cut in range(1, len(pieces)):
            company, title = ", ".join(pieces[:cut]), ", ".join(pieces[cut:])
            if TITLE_WORDS.search(pieces[cut]) or title_score(pieces[cut]) > 0:
                return title, company, location
    while len(pieces) > 1 and DEPARTMENT_WORDS.search(pieces[1]) and not (
            names_employer(pieces[1]) if employer_elsewhere else ORG_WORDS.search(pieces[1])):
        pieces = [f"{pieces[0]}, {pieces[1]}", *pieces[2:]]
    if len(pieces) < 2:
        return pieces[0], None, location
    for cut in range(len(pieces) - 1, 0, -1):
        title, company = ", ".join(pieces[:cut]), ", ".join(pieces[cut:])
        if ORG_WORDS.search(company) and TITLE_WORDS.search(title):
            return title, company, location
    for cut in range(len(pieces) - 1, 0, -1):
        title, company = ", ".join(pieces[:cut]), ", ".join(pieces[cut:])
        if TITLE_WORDS.search(title) and not TITLE_WORDS.search(company):
            return title, company, location
    for cut in range(len(pieces) - 1, 0, -1):
        title, company = ", ".join(pieces[:cut]), ", ".join(pieces[cut:])
        if title_score(title) > 0 >= title_score(company):
            return title, company, location
    return None, None, location
