"""Redaction for fair screening: take out what identifies the person or hints at protected characteristics.

Whole fields that only hold such data (`personal_info.email`, `education[].institution`, …) are set to null;
free text (`raw_text`, summaries, highlights, the generated profile) keeps its shape with each span replaced by
`[REDACTED:<kind>]`. The values to look for come from the parsed contact details and from the text itself
(every e-mail address, phone number, profile URL and labelled field such as "Date of birth: …"), so a value is
masked wherever it recurs. The report names kinds and field paths, never the values.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Final

import msgspec
import phonenumbers

from pipeline.parse.contact import EMAIL, find_phones, find_urls, profile_for
from schemas.base import Base
from schemas.request import REDACT_CATEGORIES, RedactConfig
from schemas.response import Completed, RedactedItem, RedactedKind, Redaction
from schemas.result import AiFeatures, Checks, Matching, ResumeResult

_SEGMENT_START: Final = r"(?:^|(?<=[|•·;,])|(?<=[|•·;,][ \t])|(?<=[|•·;,][ \t]{2}))"
_SEGMENT_END: Final = r"(?=[ \t]*(?:[|•·;\n]|$))"

# Labels of fields a fair-screening reader must not see, in English, German, French, Spanish, Portuguese and
# Italian. A label counts when a colon follows it; the unambiguous ones also when they open a line or a
# `|`-separated segment ("Nationality Portuguese").
_LABELS: Final[dict[RedactedKind, str]] = {
    "date_of_birth": r"date\s+of\s+birth|birth\s*date|d\.?o\.?b\.?|geburtsdatum|geboren(?:\s+am)?|"
                     r"date\s+de\s+naissance|n[ée]e?\s+le|fecha\s+de\s+nacimiento|data\s+de\s+nascimento|"
                     r"data\s+di\s+nascita|place\s+of\s+birth|geburtsort|lieu\s+de\s+naissance",
    "nationality": r"nationality|citizenship|staatsangeh[öo]rigkeit|nationalit[äé]t?|nacionalidade?|"
                   r"nazionalit[àa]",
    "marital_status": r"marital\s+status|civil\s+status|familienstand|[ée]tat\s+civil|situation\s+familiale|"
                      r"estado\s+civil|stato\s+civile",
    "age": r"age|alter|[âa]ge|edad|idade|et[àa]",
    "gender": r"gender|sex|pronouns?|geschlecht|sexe|genre|g[ée]nero|sexo|pronomi",
    "photo": r"photo|picture|foto|photograph|headshot|bild",
}
_UNAMBIGUOUS: Final = ("date_of_birth", "nationality", "marital_status")
_ALL_LABELS: Final = "|".join(_LABELS.values())
_VALUE: Final = rf"[^\n|•·;]+?(?=[ \t]*(?:[|•·;\n]|$|,[ \t]*(?:{_ALL_LABELS})[ \t]*:))"


def _labelled(kind: RedactedKind) -> re.Pattern[str]:
    label = _LABELS[kind]
    opening = rf"(?:^|(?<=[|•·;])|(?<=[|•·;][ \t]))(?:{label})\b[ \t]*[-–]?|" if kind in _UNAMBIGUOUS else ""
    return re.compile(rf"(?:{opening}\b(?:{label})[ \t]*:)[ \t]*{_VALUE}", re.IGNORECASE | re.MULTILINE)


_DEMOGRAPHICS: Final[list[tuple[RedactedKind, re.Pattern[str]]]] = [
    *((kind, _labelled(kind)) for kind in ("date_of_birth", "age", "nationality", "marital_status", "gender")),
    ("date_of_birth", re.compile(r"\bborn(?:\s+on)?[ \t]*:?[ \t]*(?=\d)" + _VALUE, re.IGNORECASE)),
    ("age", re.compile(r"\b\d{2}\s*(?:years\s+old|ans|jahre\s+alt|a[ñn]os|anni)\b", re.IGNORECASE)),
    ("gender", re.compile(
        r"\(?\b(?:she|he|they|ze|xe)\s*/\s*(?:her|him|them|hir|zir|xem|they|she|he)"
        r"(?:\s*/\s*(?:hers|his|theirs|hirs|zirs|xyrs))?\b\)?", re.IGNORECASE)),
    ("gender", re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Miss|Mme|Mlle|Herr|Frau)\b\.?(?=\s+[A-ZÀ-Ý])")),
    ("gender", re.compile(
        _SEGMENT_START + r"(?:male|female|non-binary|m[äa]nnlich|weiblich|masculin|f[ée]minin|masculino|"
        r"femenino|feminino)" + _SEGMENT_END, re.IGNORECASE | re.MULTILINE)),
    ("marital_status", re.compile(
        _SEGMENT_START + r"(?:married|single|divorced|widowed|verheiratet|ledig|geschieden|verwitwet|"
        r"mari[ée]e?|c[ée]libataire|divorc[ée]e?|casad[oa]|solter[oa]|divorciad[oa]|viud[oa])"
        r"(?:,?[ \t]*(?:with[ \t]+)?(?:\d+|one|two|three)[ \t]+(?:children|kids|kinder|enfants|hijos|filhos))?"
        + _SEGMENT_END, re.IGNORECASE | re.MULTILINE)),
]
_PHOTOS: Final[list[tuple[RedactedKind, re.Pattern[str]]]] = [
    ("photo", _labelled("photo")),
    ("photo", re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|<img\b[^>]*>|\[(?:photo|picture|image|foto)\]", re.IGNORECASE)),
    ("photo", re.compile(r"(?<![\w/.-])[\w/.:-]+\.(?:jpe?g|png|gif|webp|heic|bmp|tiff?)\b", re.IGNORECASE)),
]
# A street address ending a line or segment or before a comma: '1450 N Dayton St,', '12 rue de la Paix,',
# 'Hauptstraße 12'. Bounded within a line, so it stays linear on a whole resume's text.
_STREET: Final = re.compile(
    r"(?:\b\d+[A-Za-z]?[ \t]+(?:[NSEW]\.?[ \t]+)?(?:[A-Z][\w'.-]*[ \t]+){0,3}(?:St|Street|Ave|Avenue|Rd|Road|"
    r"Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|Terrace|Crescent|Highway|Hwy)\b\.?"
    r"|(?i:\b\d+[ \t]*,?[ \t]*(?:rue|avenue|bd|calle|c/|avenida|av\.|rua|via|viale|piazza)\b[^,|\n]{0,40}?)"
    r"|(?i:\b[\w.'-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|laan|straat|gracht)[ \t]*\d+\w?))"
    r"(?=[ \t]*(?:[,|•·;\n]|$))", re.MULTILINE)
_PHONE_SEPARATORS: Final = r"[\s().\-/]*"
# What a phone-number matcher takes for a number but is a date: '01/2017 - 02/2021', '2014 - 2016', '12.03.1990'.
_DATE_LIKE: Final = re.compile(r"\b(?:0?[1-9]|1[0-2])/(?:19|20)\d{2}\b|\b(?:19|20)\d{2}\s*[-–]|"
                               r"\b\d{1,2}[./]\d{1,2}[./](?:19|20)?\d{2}\b")
_POSTCODE_BEFORE: Final = r"(?:\b\d{4,5}[ \t]+)?"
_POSTCODE_AFTER: Final = r"(?:,?[ \t]+(?:\d{5}(?:-\d{4})?|\d{4}|[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2})\b)?"


class Redactable(Base):
    """The parts of a finished parse that can carry personal data."""

    raw_text: str | None
    result: ResumeResult | None
    ai_features: AiFeatures | None
    matching: Matching | None
    checks: Checks


def _words(value: str, flags: int = re.IGNORECASE) -> str:
    """A literal value as a pattern: any run of blanks between its words, not inside a longer word."""
    body = r"\s+".join(re.escape(part) for part in value.split())
    return rf"(?<![\w@.]){body}(?![\w@])" if flags else body


def _alternation(values: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
    unique = sorted({v.strip() for v in values if v and v.strip()}, key=len, reverse=True)
    if not unique:
        return None
    return re.compile("|".join(_words(v) for v in unique), flags)


def _name_patterns(name: str) -> list[re.Pattern[str]]:
    """The full name, and each capitalised part of it on its own (a surname alone identifies too); particles
    such as 'van' or 'de' are left alone, and two-letter parts ('Li', 'Ng') match only as written."""
    parts = [p for p in re.split(r"[\s\-]+", name) if len(p.strip(".")) >= 2 and p[:1].isupper()]
    long_parts = [p for p in parts if len(p) >= 3]
    short_parts = [p for p in parts if len(p) == 2]
    patterns = [_alternation([name, *long_parts]), _alternation(short_parts, re.UNICODE)]
    return [p for p in patterns if p is not None]


def _phone_pattern(phones: list[str]) -> re.Pattern[str] | None:
    """Each number by its digits, whatever separators the text puts between them; an international number also
    in its national form ('+44 20 7946 0958' as '020 7946 0958')."""
    forms: set[str] = set()
    for phone in phones:
        digits = re.sub(r"\D", "", phone)
        if len(digits) < 7:
            continue
        forms.add(r"\+?" + _PHONE_SEPARATORS.join(digits))
        try:
            number = phonenumbers.parse(phone, None if phone.strip().startswith("+") else "US")
        except phonenumbers.NumberParseException:
            continue
        national = phonenumbers.national_significant_number(number)
        if len(national) >= 7 and national != digits:
            forms.add(r"(?:\+?" + str(number.country_code) + _PHONE_SEPARATORS + r")?(?:\(?0\)?"
                      + _PHONE_SEPARATORS + r")?" + _PHONE_SEPARATORS.join(national))
    if not forms:
        return None
    return re.compile(r"(?<![\w+])(?:" + "|".join(sorted(forms, key=len, reverse=True)) + r")(?!\d)")


def _url_pattern(urls: list[str]) -> re.Pattern[str] | None:
    bodies = {re.sub(r"^(?:https?://)?(?:www\.)?", "", u.strip(), flags=re.IGNORECASE).rstrip("/") for u in urls}
    bodies = {b for b in bodies if len(b) >= 4}
    if not bodies:
        return None
    alternatives = "|".join(re.escape(b) for b in sorted(bodies, key=len, reverse=True))
    return re.compile(rf"(?<![\w.@])(?:https?://)?(?:www\.)?(?:{alternatives})/?(?![\w\-])", re.IGNORECASE)


def _patterns(result: ResumeResult | None, raw_text: str, config: RedactConfig
              ) -> list[tuple[RedactedKind, re.Pattern[str]]]:
    """What to look for in every piece of text, from the parsed values and the text's own contact details."""
    info = result.personal_info if result is not None else None
    found: list[tuple[RedactedKind, re.Pattern[str] | None]] = []
    name_parts: list[str] = []
    if config.name and info is not None and info.name:
        found += [("name", pattern) for pattern in _name_patterns(info.name)]
        name_parts = [p.lower() for p in re.split(r"[\s\-]+", info.name) if len(p) >= 3]
    if config.contact:
        found.append(("email", EMAIL))
        region = info.location.country_code if info is not None and info.location else None
        phones = [raw for raw, e164 in find_phones(raw_text, region or "US") if e164 and not _DATE_LIKE.search(raw)]
        found.append(("phone", _phone_pattern([*phones, *([info.phone] if info and info.phone else [])])))
        profiles = list(info.profiles) if info is not None else []
        urls = [info.url] if info is not None and info.url else []
        for url in find_urls(raw_text):
            profile = profile_for(url)
            if profile is not None:
                profiles.append(profile)
            elif any(part in url.lower() for part in name_parts):
                urls.append(url)
        found.append(("profile", _url_pattern([p.url for p in profiles if p.url])))
        found.append(("url", _url_pattern(urls)))
        usernames = [p.username for p in profiles if p.username and len(p.username) >= 3]
        if usernames:
            found.append(("profile", re.compile(
                r"(?<![\w@/.-])@?(?:" + "|".join(re.escape(u) for u in usernames) + r")(?![\w-])", re.IGNORECASE)))
    if config.location:
        location = info.location if info is not None else None
        for place in (location.city, location.region) if location is not None else ():
            if place and len(place) >= 2:
                flags = re.UNICODE if len(place) <= 3 else re.IGNORECASE
                found.append(("location", re.compile(
                    _POSTCODE_BEFORE + _words(place, flags) + _POSTCODE_AFTER, flags)))
        found.append(("location", _STREET))
    if config.photo:
        found += _PHOTOS
    if config.demographics:
        found += _DEMOGRAPHICS
    if config.schools and result is not None:
        found.append(("school", _alternation([e.institution for e in result.education if e.institution])))
    return [(kind, pattern) for kind, pattern in found if pattern is not None]


def mask_text(text: str, patterns: list[tuple[RedactedKind, re.Pattern[str]]]) -> tuple[str, Counter[RedactedKind]]:
    """The text with every match masked; where matches overlap the one starting first (then the longest) wins."""
    spans = sorted(
        ((match.start(), match.end(), kind)
         for kind, pattern in patterns for match in pattern.finditer(text) if match.end() > match.start()),
        key=lambda span: (span[0], span[0] - span[1]),
    )
    pieces: list[str] = []
    counts: Counter[RedactedKind] = Counter()
    position = 0
    for start, end, kind in spans:
        if start < position:
            continue
        pieces += [text[position:start], f"[REDACTED:{kind}]"]
        counts[kind] += 1
        position = end
    if not counts:
        return text, counts
    pieces.append(text[position:])
    return "".join(pieces), counts


def _remove_fields(result: ResumeResult, config: RedactConfig) -> tuple[ResumeResult, list[RedactedItem]]:
    """Null the fields that hold nothing but the data asked to be removed."""
    info = result.personal_info
    removed: list[RedactedItem] = []
    changes: dict[str, Any] = {}
    fields: list[tuple[bool, str, RedactedKind]] = [
        (config.name, "name", "name"), (config.contact, "email", "email"), (config.contact, "phone", "phone"),
        (config.contact, "phone_e164", "phone"), (config.contact, "url", "url"),
        (config.location, "location", "location"),
    ]
    for asked, field, kind in fields:
        if asked and getattr(info, field) is not None:
            changes[field] = None
            removed.append(RedactedItem(kind=kind, path=f"result.personal_info.{field}"))
    if config.contact and info.profiles:
        changes["profiles"] = []
        removed.append(RedactedItem(kind="profile", path="result.personal_info.profiles", count=len(info.profiles)))
    education = result.education
    if config.schools:
        education = []
        for index, entry in enumerate(result.education):
            for field in ("institution", "location"):
                if getattr(entry, field) is not None:
                    removed.append(RedactedItem(kind="school" if field == "institution" else "location",
                                                path=f"result.education[{index}].{field}"))
            education.append(msgspec.structs.replace(entry, institution=None, location=None))
    redacted = msgspec.structs.replace(result, personal_info=msgspec.structs.replace(info, **changes),
                                       education=education)
    return redacted, removed


# Parts of a parse that hold no personal data: the posting's own requirements and the text statistics.
_NOT_WALKED: Final = {"matching.requirements", "checks.text_validation"}


def _walk(value: Any, path: str, patterns: list[tuple[RedactedKind, re.Pattern[str]]],
          items: list[RedactedItem]) -> Any:
    if isinstance(value, str):
        masked, counts = mask_text(value, patterns)
        items += [RedactedItem(kind=kind, path=path, count=count) for kind, count in counts.items()]
        return masked
    if isinstance(value, dict):
        return {key: item if f"{path}.{key}" in _NOT_WALKED else _walk(item, f"{path}.{key}".lstrip("."), patterns,
                                                                           items)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, f"{path}[{index}]", patterns, items) for index, item in enumerate(value)]
    return value


def redact(parts: Redactable, config: RedactConfig, previous: Redaction | None = None
           ) -> tuple[Redactable, Redaction]:
    """The parts with the asked categories removed or masked, and the report (added to `previous`, for a parse
    that was redacted before)."""
    patterns = _patterns(parts.result, parts.raw_text or "", config)
    items: list[RedactedItem] = []
    if parts.result is not None:
        result, items = _remove_fields(parts.result, config)
        parts = msgspec.structs.replace(parts, result=result)
    walked = _walk(msgspec.to_builtins(parts), "", patterns, items)
    redacted = msgspec.convert(walked, Redactable)
    categories = config.categories()
    if previous is not None:
        categories = [c for c in REDACT_CATEGORIES if c in {*previous.categories, *categories}]
        items = [*previous.items, *items]
    return redacted, Redaction(categories=categories, items=items)


def redact_document(document: dict[str, Any], config: RedactConfig) -> dict[str, Any]:
    """A stored completed response, redacted as if `config.redact` had been given when it was parsed."""
    completed = msgspec.convert(document, Completed)
    parts = Redactable(raw_text=completed.raw_text, result=completed.result, ai_features=completed.ai_features,
                       matching=completed.matching, checks=completed.checks)
    redacted, report = redact(parts, config, completed.redaction)
    built: dict[str, Any] = msgspec.to_builtins(msgspec.structs.replace(
        completed, raw_text=redacted.raw_text, result=redacted.result, ai_features=redacted.ai_features,
        matching=redacted.matching, checks=redacted.checks, redaction=report))
    return built
