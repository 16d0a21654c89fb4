"""The parse stage: the extracted document to the structured resume, without an LLM.

Sections first (multilingual headings, recognised from text and layout), then entries inside each section,
then fields inside each entry. The header above the first section carries the name, headline and contact.
"""

from __future__ import annotations

import re
from typing import Final

import msgspec
import phonenumbers

from pipeline.parse.contact import (
    NETWORK_WORDS,
    STREET_ADDRESS,
    find_emails,
    find_phones,
    find_urls,
    normalise_url,
    parse_location,
    profile_for,
    profile_url,
)
from pipeline.parse.dates import find_ranges
from pipeline.parse.entries import TITLE_WORDS, Entry, segment, strip_bullet
from pipeline.parse.fields import (
    certifications_from,
    education_from,
    experience_from,
    projects_from,
    skills_from,
)
from pipeline.parse.languages import languages_in_header, parse_languages
from pipeline.parse.places import City, city
from pipeline.parse.sections import (
    Section,
    SectionLine,
    body_font_size,
    lines_of,
    section_kind,
    split_sections,
)
from pipeline.parse.sidebar import sidebar_skills, unwrapped
from schemas.document import Document
from schemas.result import (
    Award,
    Language,
    Location,
    PersonalInfo,
    Profile,
    Publication,
    Reference,
    ResumeResult,
)
from taxonomy import title_heads

__all__ = ["ParseOutcome", "parse"]

_NAME_WORD: Final = re.compile(r"^[A-ZÀ-ÝĀ-Ž][\w'’.-]*$|^(?:van|von|der|den|de|da|del|di|le|la|du|dos|das|bin|al)$")
_LABELLED: Final = re.compile(r"^\s*(?:name|email|e-mail|phone|tel|mobile|location|address|website|linkedin|github|"
                              r"portfolio|telefon|adresse|ort|web)\s*:\s*", re.IGNORECASE)


class ParseOutcome(msgspec.Struct):
    result: ResumeResult
    confidence: float


def _looks_like_name(text: str) -> bool:
    words = text.replace(",", " ").split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in text) or "@" in text:
        return False
    if section_kind(text) is not None:
        return False
    return all(_NAME_WORD.match(word) for word in words)


def _contact_like(text: str) -> bool:
    return "@" in text or bool(find_phones(text, None)) or bool(find_urls(text))


def _label_like(text: str, name: str) -> bool:
    """A headline: short, not contact details, not a location, not a section heading, not the name."""
    text = text.strip()
    return (0 < len(text) < 90 and not _contact_like(text) and not re.search(r"\d{4}", text)
            and not _LABELLED.match(text) and parse_location(text) is None and section_kind(text) is None
            and not text.endswith(".") and text != name)


_SENIORITY: Final = frozenset({"senior", "junior", "chief", "principal", "staff", "head", "lead", "associate",
                                "assistant", "deputy", "graduate", "certified", "registered", "dr.", "prof."})


def _starts_headline(word: str) -> bool:
    """The word after a name where a headline begins on the same line ('… Treviño Senior Project Manager')."""
    lowered = word.lower().strip(",")
    return lowered in _SENIORITY or lowered in title_heads() or bool(TITLE_WORDS.fullmatch(lowered))


def _with_wrapped_surname(name: str, line: SectionLine, followers: list[SectionLine]) -> str:
    """A large name wrapped onto a second line ('João Pedro' / 'Albuquerque'): the next line in the same large
    type that is only name words completes it."""
    for follower in followers:
        words = follower.text.split()
        same_type = line.size and follower.size and abs(follower.size - line.size) < 0.5 and follower.bold == line.bold
        if same_type and 1 <= len(words) <= 2 and all(_NAME_WORD.match(word) for word in words) \
                and len(name.split()) + len(words) <= 5:
            return f"{name} {follower.text.strip()}"
    return name


def _wrapped_headline(first: SectionLine, lines: list[SectionLine], name: str) -> str:
    """A headline wrapped after a separator ('Environmental Engineering Graduate |' / 'Conservation & Emergency
    Response' / 'Volunteer'): with the lines straight below it in the same type and margin."""
    text, last = first.text.strip(), first
    if not text.endswith(("|", "&", ",", "–", "-", "/")):
        return text
    while len(text) < 120:
        below = [line for line in lines if line.page == last.page and line.top is not None and last.top is not None
                 and first.size and 0 < line.top - last.top < 1.8 * first.size and line.size == first.size
                 and line.x is not None and first.x is not None and abs(line.x - first.x) < 3
                 and not _contact_like(line.text)]
        if not below:
            break
        last = min(below, key=lambda line: line.top or 0.0)
        text = f"{text} {last.text.strip()}"
    return text


def _name_and_label(header: list[SectionLine], lines: list[SectionLine]) -> tuple[str | None, str | None]:
    pool = header[:12] if header else lines[:12]
    body = body_font_size(lines)
    largest = max((line.size or 0.0 for line in pool), default=0.0)
    if body and largest >= 2 * body:
        big = next(line for line in pool if (line.size or 0.0) == largest)
        words = re.split(r"\s{3,}|\s+[|·•]\s+", big.text.strip())[0].split()
        for size in (4, 3, 2):
            if len(words) > size and _looks_like_name(" ".join(words[:size])) and _starts_headline(words[size]):
                return " ".join(words[:size]), " ".join(words[size:])
    for index, line in enumerate(pool):
        text = _LABELLED.sub("", line.text) if line.text.lower().startswith("name") else line.text
        candidate = re.split(r"\s{3,}|\s+[|·•]\s+", text.strip())[0].strip()
        if _looks_like_name(candidate):
            candidate = _with_wrapped_surname(candidate, line, pool[index + 1 : index + 4])
            name = candidate.title() if candidate.isupper() else candidate
            label = None
            # A surname wrapped onto its own line is part of the name, not a headline.
            rest = [other for other in pool if other is not line and not name.endswith(" " + other.text.strip())]
            prominent = [other for other in rest if body and other.size and other.size > body * 1.15
                         and _label_like(other.text, name)]
            if prominent:
                return name, _wrapped_headline(max(prominent, key=lambda other: other.size or 0), rest, name)
            for follower in [other for other in pool[index + 1 : index + 4] if other in rest][:2]:
                if _label_like(follower.text, name):
                    label = _wrapped_headline(follower, rest, name)
                    break
            return name, label
    for line in pool[:8]:
        words = line.text.split()
        if body and line.size and line.size < body * 1.3:
            continue
        for size in (4, 3, 2):
            if len(words) > size and _looks_like_name(" ".join(words[:size])):
                return " ".join(words[:size]), None
    return None, None


def _location(header: list[SectionLine], name: str | None, label: str | None) -> Location | None:
    """The candidate's location: from one header line, or from an address split over short lines; a city the
    gazetteer knows replaces a 'city' that is not one (a name or a postcode beside the real city). The headline
    is no place to look for a bare city name: 'Senior Enterprise Account Executive' is not from Enterprise, AL."""
    texts = [_LABELLED.sub("", line.text) for line in header if line.text.strip() != (name or "").strip()]
    found = _written_location(texts)
    if found is not None and found.city is not None and city(found.city) is not None:
        return found
    known = _known_city([text for text in texts if text.strip() != (label or "").strip()], name)
    if known is None:
        return found
    written, place = known
    if found is None:
        return Location(city=written, country_code=place.country_code)
    return msgspec.structs.replace(found, city=written, country_code=found.country_code or place.country_code)


def _written_location(texts: list[str]) -> Location | None:
    for text in texts:
        for part in re.split(r"\s{3,}|\s+[|·•]\s+", text):
            found = parse_location(part)
            if found is not None:
                return found
    short = [text.strip() for text in texts if 0 < len(text.split()) <= 3 and "@" not in text]
    for size in (3, 2):
        for start in range(len(short) - size + 1):
            found = parse_location(", ".join(short[start : start + size]))
            if found is not None:
                return found
    return None


_CAPITALISED: Final = re.compile(r"[A-ZÀ-Ý][\w'’.-]*(?:[ -][A-ZÀ-Ý][\w'’.-]*){0,2}")


def _known_city(texts: list[str], name: str | None) -> tuple[str, City] | None:
    """The first run of capitalised words in the header that names a city, outside the candidate's name,
    street addresses ('1450 N Dayton St') and the e-mail address or link sharing its line."""
    name_words = set((name or "").lower().split())
    for written in texts:
        text = " ".join(token for token in written.split() if "@" not in token and "://" not in token)
        for run in _CAPITALISED.finditer(STREET_ADDRESS.sub(" ", text)):
            words = run.group(0).split()
            for size in range(len(words), 0, -1):
                for start in range(len(words) - size + 1):
                    candidate = " ".join(words[start : start + size]).strip(".,")
                    if name_words & set(candidate.lower().split()):
                        continue
                    place = city(candidate)
                    if place is not None:
                        return candidate, place
    return None


def _dialled_number(links: list[str]) -> tuple[str, str] | None:
    """(number as linked, E.164) from the first valid tel: link, which carries the country code the printed
    number may omit."""
    for link in links:
        if not link.lower().startswith("tel:"):
            continue
        try:
            number = phonenumbers.parse(link[4:].strip(), None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
                    phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return None


def _short_lines(lines: list[SectionLine]) -> list[SectionLine]:
    """Lines short enough to be contact details: where a sidebar template puts them under a heading ('About')
    instead of in the header, the place is looked for there, never in sentences."""
    return [line for line in lines if len(line.text.split()) <= 5 and not line.text.rstrip().endswith(".")]


def _around_email(lines: list[SectionLine]) -> list[SectionLine]:
    """The lines next to the first e-mail address: a sidebar read after the main column keeps the address
    there, however far down the page's text it ends up."""
    for index, line in enumerate(lines):
        if find_emails(line.text):
            return lines[max(0, index - 4) : index + 4]
    return []


def _is_sentence(text: str) -> bool:
    """A line of prose ('Currently shaping payments at Booking.com.'), whose domain names are not the candidate's."""
    return len(text.split()) >= 6 and not find_emails(text)


def _personal_info(header: list[SectionLine], lines: list[SectionLine], contact: list[SectionLine],
                   document: Document) -> PersonalInfo:
    """Name, headline and contact details: from the header, and links also from a contact section ('Profiles',
    'Links') wherever it is."""
    name, label = _name_and_label(header, lines)
    header_text = "\n".join(line.text for line in header) or "\n".join(line.text for line in lines[:15])
    all_text = "\n".join(line.text for line in lines)
    links = list(dict.fromkeys([*document.links, *(link for line in lines for link in line.links)]))
    emails = find_emails(header_text) or find_emails(all_text)
    emails += [link[7:].split("?")[0] for link in links if link.lower().startswith("mailto:")]
    location = _location(header or lines[:15], name, label) or _location(_short_lines(lines[:30]), name, label) \
        or _location(_short_lines(_around_email(lines)), name, label)
    phones = find_phones(header_text, location.country_code if location else None) or find_phones(
        "\n".join(line.text for line in lines[:40]), location.country_code if location else None)
    header_links = [link for line in [*header, *contact] for link in line.links]
    urls = [normalise_url(link) for link in header_links if link.lower().startswith(("http://", "https://"))]
    urls += [u for line in [*(header or lines[:15]), *contact] if not _is_sentence(line.text)
             for u in find_urls(line.text) if "@" not in u]
    urls += [normalise_url(link) for link in links if link.lower().startswith(("http://", "https://"))]
    urls = [u for u in dict.fromkeys(urls) if not any(e and e.split("@")[-1] in u for e in emails[:1])]
    profiles: list[Profile] = []
    seen_networks: set[str] = set()
    website: str | None = None
    for url in urls:
        profile = profile_for(url)
        if profile is not None:
            if profile.network not in seen_networks:
                seen_networks.add(profile.network)
                profiles.append(profile)
        elif website is None:
            website = url
    for network, username in _labelled_handles([*header, *contact]):
        if network not in seen_networks:
            profiles.append(Profile(network=network, username=username, url=profile_url(network, username)))
            seen_networks.add(network)
    phone, e164 = phones[0] if phones else (None, None)
    if phone is None or e164 is None:
        dialled = _dialled_number(links)
        if dialled is not None:
            phone, e164 = phone or dialled[0], dialled[1]
    if website is None:
        website = next((p.url for p in profiles if p.network in ("GitHub", "GitLab") and p.url), None)
    return PersonalInfo(name=name, label=label, email=emails[0] if emails else None, phone=phone, phone_e164=e164,
                        url=website, location=location, profiles=profiles)


def _labelled_handles(lines: list[SectionLine]) -> list[tuple[str, str]]:
    """(network, username) from 'GitHub: jdoe' or from a network's name on a line of its own above the handle."""
    found: list[tuple[str, str]] = []
    for index, line in enumerate(lines):
        match = re.match(r"^\s*([A-Za-z ]+?)\s*[:|]\s*(\S+)\s*$", line.text)
        if match and match.group(1).strip().lower() in NETWORK_WORDS:
            found.append((NETWORK_WORDS[match.group(1).strip().lower()], match.group(2)))
            continue
        below = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
        if line.text.strip().lower() in NETWORK_WORDS and re.fullmatch(r"@?[\w.-]{2,40}", below) \
                and below.lower() not in NETWORK_WORDS:
            found.append((NETWORK_WORDS[line.text.strip().lower()], below.lstrip("@")))
    return found


def _section_text(section: Section) -> list[str]:
    return [line.text for line in section.lines]


def _languages(sections: list[Section], header: list[SectionLine]) -> list[Language]:
    """From the languages sections; failing those, from a header line that lists only languages."""
    found = [language for section in sections for language in parse_languages(_section_text(section))]
    return found or languages_in_header([line.text for line in header])


def _confidence(result: ResumeResult, entries: list[Entry], text: str) -> float:
    """High when the essentials were found and the text reads as text; each gap costs."""
    score = 1.0
    info = result.personal_info
    if not info.name:
        score -= 0.3
    if not info.email and not info.phone:
        score -= 0.15
    dated = [job for job in result.experience if job.start_date]
    if not dated:
        score -= 0.2
    if result.experience:
        incomplete = sum(1 for job in result.experience if not (job.title and job.company and job.start_date))
        score -= 0.15 * incomplete / len(result.experience)
    if not result.education:
        score -= 0.05
    letters = sum(map(str.isalpha, text))
    if text and letters / max(1, len(text.replace(" ", ""))) < 0.6:
        score -= 0.25
    if len(text) < 300:
        score -= 0.2
    return max(0.05, min(1.0, round(score, 3)))


def parse(document: Document) -> ParseOutcome:
    """The structured resume and a confidence in it. The dates read from its lines are remembered during the
    parse only: a resume's text is not left behind in the process."""
    find_ranges.cache_clear()
    try:
        return _parse(document)
    finally:
        find_ranges.cache_clear()


def _parse(document: Document) -> ParseOutcome:
    lines = lines_of(document)
    header, sections = split_sections(lines)
    by_kind: dict[str, list[Section]] = {}
    for section in sections:
        by_kind.setdefault(section.kind, []).append(section)

    experience = []
    all_entries: list[Entry] = []
    for kind in ("experience", "volunteer"):
        for section in by_kind.get(kind, []):
            entries = segment(section.lines)
            all_entries += entries
            for entry in entries:
                job = experience_from(entry, volunteer=kind == "volunteer")
                if job is not None:
                    experience.append(job)
    education = [
        school for section in by_kind.get("education", []) for entry in segment(section.lines)
        if (school := education_from(entry)) is not None
    ]
    summary_lines = [line.text for section in by_kind.get("summary", []) for line in section.lines]
    if not summary_lines:
        summary_lines = [line.text for line in header if len(line.text) > 60 and line.text.count(" ") > 8
                         and "@" not in line.text]
    summary = " ".join(summary_lines).strip() or None
    result = ResumeResult(
        personal_info=_personal_info(header, lines, [line for s in by_kind.get("contact", []) for line in s.lines],
                                     document),
        summary=summary,
        experience=experience,
        education=education,
        skills=sidebar_skills(header, sections,
                              skills_from([t for s in by_kind.get("skills", []) for t in unwrapped(s.lines)])),
        certifications=certifications_from([t for s in by_kind.get("certifications", []) for t in _section_text(s)]),
        languages=_languages(by_kind.get("languages", []), header),
        projects=projects_from([e for s in by_kind.get("projects", []) for e in segment(s.lines)]),
        awards=[Award(title=strip_bullet(t)) for s in by_kind.get("awards", []) for t in _section_text(s)],
        publications=[Publication(name=strip_bullet(t)) for s in by_kind.get("publications", [])
                      for t in _section_text(s)],
        interests=[i.strip() for s in by_kind.get("interests", []) for t in _section_text(s)
                   for i in re.split(r"[,;•·|]", strip_bullet(t)) if i.strip()],
        references=[Reference(reference=strip_bullet(t)) for s in by_kind.get("references", [])
                    for t in _section_text(s)],
    )
    text = "\n".join(line.text for line in lines)
    return ParseOutcome(result=result, confidence=_confidence(result, all_entries, text))

