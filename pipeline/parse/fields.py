"""Field extraction for each kind of entry: experience, education, certifications, languages, skills, projects."""

from __future__ import annotations

import re
from typing import Final

import msgspec

import taxonomy
from pipeline.parse.contact import COUNTRIES
from pipeline.parse.dates import find_ranges
from pipeline.parse.entries import (
    DEGREE_WORDS,
    DEPARTMENT_WORDS,
    INSTITUTION_WORDS,
    OPEN_END,
    ORG_WORDS,
    TITLE_WORDS,
    Entry,
    header_parts,
    header_segments,
    is_bullet,
    looks_like_location,
    names_employer,
    peel_location,
    remove_dates,
    split_title_company,
    strip_bullet,
    title_score,
)
from pipeline.parse.places import city
from schemas.result import Certification, Education, Experience, Project, Skill

_TYPE_WORDS: Final = (
    (re.compile(r"\b(intern|internship|praktikum|praktikant|stagiaire|stage|becari[oa]|pasant[ií]a|estágio|"
                r"estagiári[oa]|werkstudent)\b", re.I), "internship"),
    (re.compile(r"\b(apprentice|apprenticeship|ausbildung|azubi|apprenti|aprendiz)\b", re.I), "apprenticeship"),
    (re.compile(r"\b(part[- ]time|teilzeit|temps partiel|media jornada|casual)\b", re.I), "part-time"),
    (re.compile(r"\b(contract|contractor|fixed[- ]term|befristet)\b", re.I), "contract"),
    (re.compile(r"\b(freelance|freelancer|self-employed|selbstständig|freiberuflich|indépendant)\b", re.I),
     "freelance"),
    (re.compile(r"\b(volunteer|voluntary|ehrenamt|ehrenamtlich|bénévole|voluntari[oa])\b", re.I), "volunteer"),
)
_GPA: Final = re.compile(r"\b(?:GPA|Grade|Note|Notendurchschnitt|Moyenne|Nota|CGPA)\s*[:\-]?\s*([\w.,/%+ ]{1,30})",
                         re.IGNORECASE)
# Separators between skills, also the dots and arrows a scan reads a separator glyph as ('Relativity +- Westlaw').
_SKILL_SPLIT: Final = re.compile(r"\s*(?:[,;•·|]|\s[-–<>»«›‹∙◦▪■●○◆★✓→~.:*=+]{1,2}\s|\s{3,})\s*(?![^()]*\))")


def _highlights(body: list[str]) -> tuple[str | None, list[str]]:
    """Description (sentences before the first bullet) and highlights (bullets, wrapped lines rejoined)."""
    description: list[str] = []
    highlights: list[str] = []
    for text in body:
        if is_bullet(text):
            highlights.append(strip_bullet(text))
        elif highlights and (text[:1].islower() or (not highlights[-1].endswith((".", "!", "?")) and len(text) > 30)):
            highlights[-1] = _join_wrapped(highlights[-1], text)
        elif not highlights and description and not description[-1].endswith((".", ":")):
            description[-1] = _join_wrapped(description[-1], text)
        elif text.rstrip(":").lower() in ("highlights", "achievements", "key achievements", "responsibilities"):
            continue
        elif highlights:
            highlights.append(text)
        else:
            description.append(text)
    return (" ".join(description) or None), highlights


def _join_wrapped(first: str, second: str) -> str:
    if first.endswith("-") and second[:1].islower():
        return first[:-1] + second
    return f"{first} {second}"


_SUBUNIT: Final = re.compile(r"\b(region|regions|area|district|territory|zone|emea|apac|americas|dach|nordics|"
                             r"payments|growth|retention|platform)\b", re.IGNORECASE)


def _with_subunits(parts: list[str]) -> list[str]:
    """A part naming a region or business unit ('Central Region', 'Payments') after a title belongs to the title,
    not to the employer."""
    merged: list[str] = []
    for part in parts:
        subunit = (_SUBUNIT.search(part) or DEPARTMENT_WORDS.search(part)) and len(part.split()) <= 3 \
            and not ORG_WORDS.search(part) and city(part) is None
        if merged and subunit and title_score(merged[-1].rpartition(",")[2]) > 0:
            merged[-1] = f"{merged[-1]} – {part}"
        else:
            merged.append(part)
    return merged


_CONNECTORS: Final = frozenset("of de del la le les du des da do dos das und für and the for in at y e et &".split())


def _prose(part: str) -> bool:
    """A sentence of a description that slipped into an entry header, not a name of anything: 'Ternium México,
    Pesquería, Nuevo León' is five words but all names."""
    lowercase = [word for word in part.split() if word[:1].islower() and word not in _CONNECTORS]
    return (len(part.split()) >= 5 and len(lowercase) >= 2) or part[:1].islower() or bool(re.search(r"\d", part))


def _is_region_only(location: str) -> bool:
    """'VIC', 'OH', 'Germany': a location without its city, which a city elsewhere in the header completes."""
    return all(len(piece.strip()) <= 3 or piece.strip().lower() in COUNTRIES for piece in location.split(","))


def experience_from(entry: Entry, volunteer: bool) -> Experience | None:
    """The location is looked for from the end of the header, where templates put it: of 'Orange' and 'Lyon',
    both city names, the second is the place."""
    segments = header_segments(entry.header)
    parts = [text for text, _ in segments]
    location: str | None = next(
        (text for text, trailing in segments if trailing and len(text.split()) <= 3 and not ORG_WORDS.search(text)
         and not TITLE_WORDS.search(text) and not re.search(r"\d", text)), None)
    if location is not None:
        parts.remove(location)
    title: str | None = None
    company: str | None = None
    remaining: list[str] = []
    for part in reversed(parts):
        if location is None and looks_like_location(part) and not TITLE_WORDS.search(part):
            pieces, peeled = peel_location([p.strip() for p in part.split(",") if p.strip()])
            if len(part.split(",")) <= 2 and not ORG_WORDS.search(part):
                location = part
                continue
            if peeled is not None and pieces and not TITLE_WORDS.search(", ".join(pieces)):
                location = peeled
                remaining.insert(0, ", ".join(pieces))
                continue
            if not ORG_WORDS.search(part):
                location = part
                continue
        remaining.insert(0, part)
    remaining = _with_subunits(remaining)
    unused = list(remaining)
    regional = location is not None and _is_region_only(location)
    for part in remaining:
        if "," not in part:
            continue
        employer_elsewhere = any(names_employer(other) for other in remaining if other is not part)
        split_title, split_company, peeled = split_title_company(part, cities=location is None or regional,
                                                                 employer_elsewhere=employer_elsewhere)
        others_are_prose = all(_prose(other) for other in remaining if other is not part)
        if split_title and split_company and (ORG_WORDS.search(split_company) or len(remaining) == 1 or (
                others_are_prose and title_score(split_title) > 0 >= title_score(split_company))):
            title, company = split_title, split_company
            if peeled is not None and regional and location is not None:
                location = f"{peeled}, {location}"
            location = location or peeled
            unused.remove(part)
            break
    if title is None:
        ranked = sorted(unused, key=title_score, reverse=True)
        title = ranked[0] if ranked and title_score(ranked[0]) > 0 else None
        if title is None and unused:
            title = unused[0] if company is not None or len(unused) > 1 else None
        if title is not None:
            unused.remove(title)
    if company is None and unused:
        company = next((part for part in unused if ORG_WORDS.search(part)),
                       next((part for part in unused if not TITLE_WORDS.search(part)), unused[0]))
        unused.remove(company)
    if location is None and unused:
        location = next((part for part in unused if not _prose(part)), None)
    if title is None and company is not None and len(remaining) == 1 and "," in company:
        head, _, tail = company.rpartition(",")
        title, company = head.strip(), tail.strip()
    if company and "," in company and location is None:
        head, _, tail = company.rpartition(",")
        if not ORG_WORDS.search(tail) and len(tail.split()) <= 3 and tail.strip()[:1].isupper():
            company, location = head.strip(), tail.strip()
    if title is None and company is None:
        return None
    description, highlights = _highlights(entry.body)
    kind = "volunteer" if volunteer else "full-time"
    if not volunteer:
        for pattern, value in _TYPE_WORDS:
            if pattern.search(" ".join(entry.header)):
                kind = value
                break
    dates = entry.dates
    return Experience(
        type=kind,  # type: ignore[arg-type]
        company=company,
        title=title,
        location=location,
        start_date=dates.start if dates else None,
        end_date=None if dates is None or dates.current else dates.end,
        current=bool(dates and dates.current),
        description=description,
        highlights=highlights,
    )


# A degree's name where nothing but a space parts it from the field after it ('BNurs (Hons) Adult Nursing',
# 'Postgraduate Certificate Critical Care Practice', 'Bachelor of Science Informatics', 'MBA Finance'): up to
# a bracket, a standard 'Bachelor of <subject>', a name ending in a degree noun, or an abbreviation.
_DEGREE_THEN_FIELD: Final = re.compile(
    r"^(?P<degree>[^()]*?\([^)]*\)"
    r"|(?:Bachelor|Master|Doctor|Associate)(?:'s|’s)?\s+of\s+(?:Applied\s+|Fine\s+|Business\s+)?"
    r"(?:Science|Arts|Engineering|Laws|Commerce|Education|Technology|Nursing|Medicine|Music|Architecture|"
    r"Philosophy|Pharmacy|Design|Administration|Economics|Health)"
    r"|(?:[\w'’]+\s+){0,2}(?:Degree|Diploma|Certificate)"
    r"|[A-Z][A-Za-z.]{1,7})"
    r"\s+(?P<field>[A-ZÀ-Ý].*)$")


def _split_degree(text: str) -> tuple[str, str | None]:
    """'Bachelor of Science in Computer Science' → ('Bachelor of Science', 'Computer Science')."""
    match = re.match(r"^(.*?(?:\([^)]*\))?)\s+(?:in|en|em|im|of arts in|,)\s+(.+)$", text)
    if match and DEGREE_WORDS.search(match.group(1)):
        return match.group(1).strip(" ,"), match.group(2).strip(" ,")
    head, sep, tail = text.partition(",")
    if sep and DEGREE_WORDS.search(head) and not INSTITUTION_WORDS.search(tail):
        return head.strip(), tail.strip()
    return text, None


def _degree_then_field(text: str) -> tuple[str, str | None]:
    """'BNurs (Hons) Adult Nursing' → ('BNurs (Hons)', 'Adult Nursing'): the field written straight after
    the degree's name, as templates that print a degree and its subject side by side do."""
    joined = _DEGREE_THEN_FIELD.match(text)
    if joined and DEGREE_WORDS.search(joined.group("degree")) and not INSTITUTION_WORDS.search(joined.group("field")) \
            and len(joined.group("field").split()) <= 8 and not _DEGREE_TAIL.match(joined.group("field")):
        return joined.group("degree").strip(), _OPEN_TAIL.sub("", joined.group("field")).strip()
    return text, None


# What still belongs to the degree's name: its class ('Honours (BCom Hons)'), or an abbreviation of it.
_DEGREE_TAIL: Final = re.compile(
    r"(?i:honou?rs|hons|with|cum|summa|magna)\b|.*\((?:[^)]*\s)?(?-i:[BM][A-Z][a-z]{1,5})\b")
_OPEN_TAIL: Final = re.compile(r"\s+(?:at|in|of|and|&|,)$", re.IGNORECASE)


_DEGREE_NOUN_LAST: Final = re.compile(r"\b(diploma|degree|certificate|diplom|diplôme|título)$", re.IGNORECASE)


# A degree's abbreviation (and its class in brackets) run into the school's name on one line, as a template
# that prints the degree in a narrow column beside the school reads back: 'BNurs (Hons) The University of
# Manchester', 'MEng Kyoto University'.
_DEGREE_BESIDE_SCHOOL: Final = re.compile(r"^(?P<degree>[^\s(),]+(?:\s+\([^)]*\))?)\s+(?P<school>[A-Z].*)$")


# A degree's level alone ('Bachelor’s'), whose name goes on in the next piece ('Degree (Licencjat)').
_DEGREE_LEVEL_ONLY: Final = re.compile(r"(?:bachelor|master|doctor|associate)(?:['’]s|s)?", re.IGNORECASE)


def _degree_and_school(piece: str) -> list[str]:
    found = _DEGREE_BESIDE_SCHOOL.match(piece)
    if found and DEGREE_WORDS.fullmatch(found.group("degree").split()[0].rstrip("’'s")) \
            and INSTITUTION_WORDS.search(found.group("school")) and not DEGREE_WORDS.match(found.group("school")):
        return [found.group("degree"), found.group("school")]
    return [piece]


def _education_pieces(parts: list[str]) -> list[tuple[str, str]]:
    """Header pieces with a role: institution, degree, location or other (a field of study, usually)."""
    pieces: list[tuple[str, str]] = []
    for part in parts:
        for piece in (split for p in re.split(r",\s+(?![^()]*\))", part) if p.strip()
                      for split in _degree_and_school(p.strip())):
            if INSTITUTION_WORDS.search(piece) and not _DEGREE_NOUN_LAST.search(piece):
                role = "institution"
            elif DEGREE_WORDS.search(piece):
                role = "degree"
            elif _GPA.search(piece):
                role = "gpa"
            elif looks_like_location(piece):
                role = "location"
            else:
                role = "other"
            pieces.append((piece, role))
    merged: list[tuple[str, str]] = []
    for piece, role in pieces:
        if merged and merged[-1][1] == "degree" and role in ("degree", "other") and len(piece.split()) <= 3 \
                and not re.search(r"\d", piece) and piece[:1].isupper() and len(merged[-1][0]) < 45 \
                and not re.search(r"\b(in|en|em|im)\b", merged[-1][0]):
            merged[-1] = (f"{merged[-1][0]} {piece}", "degree")
        else:
            merged.append((piece, role))
    return merged


def education_from(entry: Entry) -> Education | None:
    pieces = _education_pieces(header_parts(entry.header))
    institution_parts = [text for text, role in pieces if role == "institution"]
    degree_parts = [text for text, role in pieces if role == "degree"]
    if len(degree_parts) > 1 and _DEGREE_LEVEL_ONLY.fullmatch(degree_parts[0]):
        degree_parts = [f"{degree_parts[0]} {degree_parts[1]}", *degree_parts[2:]]
    degree: str | None = None
    field: str | None = None
    if degree_parts:
        degree, field = _split_degree(degree_parts[0])
    others = [text for text, role in pieces if role == "other"]
    location = next((text for text, role in pieces if role == "location"), None)
    institution = ", ".join(institution_parts) or None
    if field is None and others:
        field = ", ".join(others)
    elif institution is not None and others and len(others[0].split()) <= 2 and not others[0][:1].islower():
        institution = f"{institution}, {others[0]}"
    if institution is None and others and degree is not None and others[0] != field:
        institution = others[0]
    if field is None and degree is not None:
        degree, field = _degree_then_field(degree)
    if institution is None and degree is None:
        return None
    text = " ".join(entry.header + entry.body)
    gpa = _GPA.search(text)
    dates = entry.dates
    start = dates.start if dates and (dates.end or dates.current) else None
    graduation = dates.end if dates and dates.end else (dates.start if dates and not dates.current else None)
    courses = []
    for line in entry.body:
        match = re.match(r"^\W*(courses|coursework|relevant coursework|modules|kurse)\s*:", line, re.I)
        if match:
            courses = [c.strip() for c in line.split(":", 1)[1].split(",") if c.strip()]
    return Education(institution=institution, degree=degree, field_of_study=field, start_date=start,
                     graduation_date=graduation, gpa=gpa.group(1).strip(" ,.") if gpa else None, location=location,
                     courses=courses)


_ISSUED: Final = re.compile(r"^\W*(issued|date|obtained|awarded|earned|valid|expires|ausgestellt|erworben|délivré|"
                            r"obtenu|expedido|obtenido|emitido)\b(?:\s+(?:on|am|le|el|em))?\s*:?\s*", re.IGNORECASE)
_ISSUED_BY: Final = re.compile(r"^\W*(?:issued by|issuer|awarded by|granted by|certified by|ausgestellt von|"
                               r"délivré par|emitido por|expedido por|emitida por)\s*:?\s*(.+)$", re.IGNORECASE)


_AWARDED_THING: Final = re.compile(r"certif|licen", re.IGNORECASE)


def _names_issuer(text: str) -> bool:
    """'Pharmacists Council of Nigeria (PCN)', 'Amazon Web Services', 'PMI': who awards, not what is awarded.
    The organisation word comes early; one at the end of a longer line ('... Resistance, University of
    Dundee') ends a certification that names its issuer."""
    opening = " ".join(text.split()[:4])
    return bool(ORG_WORDS.search(opening) or INSTITUTION_WORDS.search(opening)
                or re.fullmatch(r"[A-Z][A-Z&/ ]{1,9}", text)) and not _AWARDED_THING.search(text)


def certifications_from(lines: list[str]) -> list[Certification]:
    """Name, issuer and date per certification. A date on its own line belongs to the one above; so does an
    'Issued by' line, the rest of a line that a narrow column wrapped, and, when the one above has no issuer
    yet, a line naming an organisation or an undated line under a dated name."""
    found: list[Certification] = []
    pending_date: str | None = None
    previous = ""
    for raw in lines:
        text = strip_bullet(raw)
        wrapped = bool(found) and not is_bullet(raw) and (bool(OPEN_END.search(previous.rstrip()))
                                                          or text[:1].islower() or text.startswith("("))
        joint = f" {previous.rstrip()[-1]} " if previous.rstrip()[-1:] in ("–", "—", "/") else " "
        previous = text
        by = _ISSUED_BY.match(text)
        if by and found:
            found[-1] = msgspec.structs.replace(found[-1], issuer=remove_dates(by.group(1)).strip(" ,;") or None)
            continue
        ranges = find_ranges(text)
        date = ranges[-1].start if ranges else None
        name_text = remove_dates(text) if ranges else text
        name_text = _ISSUED.sub("", name_text)
        parts = [p.strip(" ,;|–—-") for p in re.split(r"\s{3,}|\s+[|·•]\s+|\s*\|\s*", name_text)]
        parts = [_balance(p) for p in parts if p.strip(" ,;|–—-()")]
        if not parts:
            if found and found[-1].date is None and date:
                found[-1] = msgspec.structs.replace(found[-1], date=date)
            else:
                pending_date = date
            continue
        last = found[-1] if found else None
        if last is not None and wrapped and len(parts) == 1:
            field = "issuer" if last.issuer else "name"
            found[-1] = msgspec.structs.replace(last, **{field: f"{getattr(last, field)}{joint}{parts[0]}"},
                                                date=last.date or date)
            continue
        dated_above = last is not None and last.date is not None and not ranges and len(parts[0]) < 60 \
            and not _AWARDED_THING.search(parts[0])
        if last is not None and last.issuer is None and len(parts) == 1 and not is_bullet(raw) \
                and (dated_above or _names_issuer(parts[0].split(",")[0])):
            found[-1] = msgspec.structs.replace(last, issuer=parts[0], date=last.date or date)
            continue
        if len(parts) == 1:
            head, sep, tail = parts[0].rpartition(", ")
            if sep and len(tail.split()) <= 8 and head.count("(") == head.count(")") \
                    and not tail[:1].islower() and tail.split()[0].lower() not in COUNTRIES:
                parts = [head, tail]
        found.append(Certification(name=parts[0], issuer=parts[1] if len(parts) > 1 else None,
                                   date=date or pending_date))
        pending_date = None
    return found


def _balance(text: str) -> str:
    text = text.strip()
    if text.count("(") > text.count(")"):
        text += ")"
    return text


def skills_from(lines: list[str]) -> list[Skill]:
    found: list[Skill] = []
    seen: set[str] = set()
    for raw in lines:
        text = strip_bullet(raw)
        if ":" in text and len(text.split(":", 1)[0].split()) <= 5:
            text = text.split(":", 1)[1]
        for item in _SKILL_SPLIT.split(text):
            item = item.strip(" .")
            if not item or len(item) > 60 or len(item.split()) > 6:
                continue
            for name in _known_parts(item):
                key = name.casefold()
                if key not in seen:
                    seen.add(key)
                    found.append(Skill(skill=name, source="skills_section"))
    return found


def _known_parts(item: str) -> list[str]:
    """'Apache Spark PySpark' → ['Apache Spark', 'PySpark']: skills a scan or a grid layout left separated by
    single spaces, split where the taxonomy knows every part; anything else stays as written. Two words stay
    together ('SAP SuccessFactors', 'Debate Coaching'): a skill's name as often as two skills."""
    if len(item.split()) < 3:
        return [item]
    known = taxonomy.load()
    if known.lookup(item) is not None:
        return [item]
    matches = known.find_in_text(item)
    covered = sum(len(match.surface.split()) for match in matches)
    if len(matches) >= 2 and covered == len(item.split()):
        return [match.surface for match in matches]
    return [item]


_NAMED_LINE: Final = re.compile(r"^(?P<name>[^:–—]{2,60}?)\s*(?:\([^)]*\))?\s*(?::|\s[–—]\s)\s*(?P<rest>.+)$")


def projects_from(entries: list[Entry]) -> list[Project]:
    """One project per entry; 'dbt-spend (May 2023 – Present): Open-source package that ...' on one line gives
    the name before the colon and the description after it."""
    projects: list[Project] = []
    for entry in entries:
        parts = header_parts(entry.header)
        body = list(entry.body)
        if not parts and body and not is_bullet(body[0]):
            parts = [remove_dates(body.pop(0)).strip()]
        if not parts:
            continue
        lead: str | None = None
        named = _NAMED_LINE.match(parts[0])
        if named and len(named.group("name").split()) <= 6:
            parts, lead = [named.group("name").strip(), *parts[1:]], named.group("rest").strip()
        description, highlights = _highlights(body)
        if lead is not None:
            description = _join_wrapped(lead, description) if description else lead
        url = next((p for p in parts[1:] if re.search(r"\.\w{2,}/|https?://|github", p)), None)
        dates = entry.dates or next(iter(find_ranges(" ".join(entry.header + entry.body[:1]))), None)
        projects.append(Project(name=parts[0], description=description or (parts[1] if len(parts) > 1 and
                                parts[1] != url else None), url=url, start_date=dates.start if dates else None,
                                end_date=dates.end if dates else None, highlights=highlights))
    return projects
