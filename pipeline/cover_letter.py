"""Cover letters: the writer's contact details, the addressee, the role applied for and the letter's text.

A letter is read by its conventions rather than by sections: the writer's block and the date at the top, the
addressee's block before the salutation ('Dear Ms Patel,', 'Sehr geehrte Frau Weber,', 'Madame,'), the body
until the closing ('Kind regards', 'Mit freundlichen Grüßen', 'Cordialement'), the signature after it. The
writer's contact details come from the resume parser's reading of the header, which knows names, e-mails,
phones and places; a letter signed only at the bottom takes its name from the signature.
"""

from __future__ import annotations

import re
from typing import Final

import msgspec

from pipeline.errors import ParseError
from pipeline.extract import extract
from pipeline.fetch import FetchPolicy
from pipeline.parse import parse
from pipeline.parse.contact import find_emails, find_phones
from pipeline.parse.dates import MONTHS
from pipeline.parse.entries import ORG_WORDS, TITLE_WORDS
from pipeline.run import Extractor, PipelineInput, StageCallback, read_input
from schemas.base import Base
from schemas.cover_letter import CoverLetterResult
from schemas.document import Document
from schemas.request import ResolvedConfig
from schemas.response import ExtractMeta

_SALUTATION: Final = re.compile(
    r"^(?:dear|hello|hi|greetings|to whom it may concern|sehr geehrte[rs]?|liebe[rs]?|hallo|guten tag|madame|"
    r"monsieur|bonjour|chère|cher|estimad[oa]s?|querid[oa]s?|prezad[oa]s?|exm[oa]\.?|caro|cara)\b",
    re.IGNORECASE)
_CLOSING: Final = re.compile(
    r"^(?:(?:yours\s+)?(?:sincerely|faithfully|truly)(?:\s+yours)?|(?:kind|best|warm|warmest|with best)\s+"
    r"regards|regards|best wishes|best|respectfully(?: yours)?|(?:many )?thanks|thank you|"
    r"mit freundlichen grüßen|mit besten grüßen|viele grüße|beste grüße|freundliche grüße|(?:bien )?cordialement|"
    r"(?:sincères |meilleures )?salutations|atentamente|saludos(?: cordiales)?|un saludo|cordialmente|"
    r"atenciosamente|com os melhores cumprimentos)[,.!]?$",
    re.IGNORECASE)
_HONORIFIC: Final = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam|herr|frau|m|mme|mlle|sr|sra|srta|sres|dra|don|doña)\.?\s+)+",
    re.IGNORECASE)
_GENERIC_ADDRESSEE: Final = re.compile(
    r"\b(?:hiring|recruit\w*|talent|team|manager|committee|sir|madam|whom|concern|damen|herren|personal\w*|"
    r"équipe|recrutement|responsable|madame|monsieur|mesdames|messieurs|señor(?:es|a)?|equipo|selección|"
    r"senhor(?:es|a)?)\b", re.IGNORECASE)
_SUBJECT: Final = re.compile(r"^(?:re|subject|betreff|objet|asunto|assunto)\s*:\s*(?P<text>.+)$", re.IGNORECASE)
_ROLE_IN_SUBJECT: Final = re.compile(
    r"^(?:(?:job\s+)?application\s+(?:for|as)\s+(?:the\s+)?(?:(?:position|role|post)\s+(?:of\s+)?(?:an?\s+)?)?|"
    r"bewerbung\s+(?:als|um die stelle (?:als|des|der))\s+|candidature\s+(?:au poste d[e']\s*|pour le poste d[e']\s*)|"
    r"solicitud\s+(?:para el puesto de|de empleo[:\s]+)\s*|candidatura\s+(?:para|ao cargo de)\s+)?"
    r"(?P<role>.+?)(?:\s+(?:position|role|post|vacancy))?(?:\s*[-–—(,|]\s*(?:ref|job|req)\b.*)?$",
    re.IGNORECASE)
_ROLE_IN_BODY: Final = (
    re.compile(r"\b(?:position|role|post|vacancy|opening)\s+(?:of|as)\s+(?:an?\s+|the\s+)?"
               r"(?P<role>[A-Z][\w/&+.-]*(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w/&+.-]*){0,5})"),
    re.compile(r"\bfor\s+(?:the|your|an?)\s+(?P<role>[A-Z][\w/&+.-]*(?:\s+[A-Z][\w/&+.-]*){0,5})\s+"
               r"(?:position|role|post|vacancy|opening)\b"),
    re.compile(r"\b(?:Stelle|Position)\s+als\s+(?P<role>[A-ZÄÖÜ][\w/&+.()-]*(?:\s+[\w/&+.()-]+){0,3}?)"
               r"(?=\s+(?:bei|in|an|zu)\b|[,.])"),
    re.compile(r"\bposte\s+d[e']\s*(?P<role>[\wÀ-ÿ/&+.-]+(?:\s+[\wÀ-ÿ/&+.-]+){0,4}?)"
               r"(?=\s+(?:au sein|chez|à|dans)\b|[,.])"),
    re.compile(r"\bpuesto\s+de\s+(?P<role>[\wÀ-ÿ/&+.-]+(?:\s+[\wÀ-ÿ/&+.-]+){0,4}?)(?=\s+(?:en|de la|del)\b|[,.])"),
)
_COMPANY_IN_BODY: Final = re.compile(
    r"\b(?:at|join|joining|with|bei|chez|au sein de|en|na|no)\s+(?P<company>[A-Z][\w&.'’-]*"
    r"(?:\s+(?:&\s+)?[A-Z][\w&.'’-]*){0,4})")
_DAY_MONTH_YEAR: Final = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?(?P<month>[A-Za-zÀ-ÿ]{3,10})\.?,?\s+(?:de\s+)?"
    r"(?P<year>(?:19|20)\d{2})\b")
_MONTH_DAY_YEAR: Final = re.compile(
    r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})\b")
_ISO_DATE: Final = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_DOTTED_DATE: Final = re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>(?:19|20)\d{2})\b")
_STREET: Final = re.compile(r"\d")
# A subject line written without 'Re:' ('Bewerbung als …', 'Application for …') names the role, not the company.
_ROLE_LINE: Final = re.compile(r"^(?:bewerbung|application|candidature|solicitud|candidatura)\b", re.IGNORECASE)


class CoverLetterOutput(Base):
    raw_text: str
    result: CoverLetterResult
    extract: ExtractMeta


def _ignore(stage: str, progress: int) -> None:
    """Default callback: nobody is listening."""


def run_cover_letter(source: PipelineInput, config: ResolvedConfig, on_stage: StageCallback = _ignore,
                     fetch_policy: FetchPolicy | None = None, extractor: Extractor = extract) -> CoverLetterOutput:
    """Extract the letter as a resume would be (file, URL or text), then read it as a letter."""
    on_stage("extract", 5)
    document, extract_meta, _ = read_input(source, config, fetch_policy, extractor)
    if document is None:
        raise ParseError("a cover letter is read from a file, a URL or text, not from a prior result")
    on_stage("parse", 50)
    return CoverLetterOutput(raw_text=document.raw_text(), result=parse_cover_letter(document),
                             extract=extract_meta)


def parse_cover_letter(document: Document) -> CoverLetterResult:
    """The letter's parts, each None when the letter does not show it."""
    lines = [line.strip() for line in document.raw_text().splitlines()]
    salutation_at = next((i for i, line in enumerate(lines) if _is_salutation(line)), None)
    closing_at = next((i for i, line in enumerate(lines)
                       if i > (salutation_at or 0) and _CLOSING.match(line.rstrip())), None)
    top = lines[:salutation_at] if salutation_at is not None else []
    body_lines = lines[(salutation_at + 1 if salutation_at is not None else 0):closing_at]
    letter_text = _paragraphs(body_lines)
    info = parse(document).result.personal_info
    signature = _signature(lines[closing_at + 1:] if closing_at is not None else [])
    header_name = info.name if info.name and any(info.name in line for line in top) else None
    if header_name != info.name or (header_name is None and signature is not None):
        info = msgspec.structs.replace(info, name=header_name or signature)
    salutation = lines[salutation_at] if salutation_at is not None else None
    addressed = _addressee(salutation) if salutation else None
    sender_values = {value for value in (info.name, info.email, info.phone) if value}
    recipient = [line for line in top if line and not _is_sender_line(line, sender_values)]
    manager_line = next((line for line in recipient if addressed is not None and addressed in line), None) \
        if addressed else next((line for line in recipient if _looks_like_person(line)), None)
    manager = _HONORIFIC.sub("", manager_line).strip() if manager_line else addressed
    return CoverLetterResult(
        personal_info=info,
        date=_letter_date(top or lines[:12]),
        hiring_manager=manager,
        company=_company([line for line in recipient if line != manager_line], letter_text),
        role=_role(top, letter_text),
        salutation=salutation,
        letter_text=letter_text or None,
        closing=lines[closing_at] if closing_at is not None else None,
    )


def _is_salutation(line: str) -> bool:
    return bool(line) and len(line) <= 90 and bool(_SALUTATION.match(line)) and (
        line.rstrip().endswith((",", ":", "!")) or len(line.split()) <= 6)


def _paragraphs(lines: list[str]) -> str:
    """Lines a layout wrapped are joined; a blank line parts paragraphs."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join(" ".join(paragraph) for paragraph in paragraphs if paragraph).strip()


def _signature(lines: list[str]) -> str | None:
    """The first line after the closing that reads as a person's name."""
    return next((line for line in lines[:4] if _looks_like_person(line)), None)


def _addressee(salutation: str) -> str | None:
    """'Dear Ms. Priya Patel,' → 'Priya Patel'; 'Dear Hiring Manager,' → None."""
    rest = _SALUTATION.sub("", salutation, count=1).strip(" ,:!;")
    rest = _HONORIFIC.sub("", rest).strip(" ,:!;")
    if not rest or _GENERIC_ADDRESSEE.search(rest) or not rest[:1].isupper() or len(rest.split()) > 4:
        return None
    return rest


def _looks_like_person(line: str) -> bool:
    words = _HONORIFIC.sub("", line).split()
    return 2 <= len(words) <= 4 and all(word[:1].isupper() and word.replace("-", "").replace("'", "").isalpha()
                                        for word in words) \
        and not ORG_WORDS.search(line) and not TITLE_WORDS.search(line)


def _is_sender_line(line: str, sender_values: set[str]) -> bool:
    return any(value in line for value in sender_values) or bool(find_emails(line)) \
        or bool(find_phones(line, None)) or "http" in line or "www." in line or _letter_date([line]) is not None


def _company(recipient: list[str], letter_text: str) -> str | None:
    """An organisation named in the addressee's block (which no longer holds the addressee's own line), else
    the first place the body says the writer would join."""
    candidates = [line for line in recipient if not _STREET.search(line) and not TITLE_WORDS.search(line)
                  and not _SUBJECT.match(line) and not _ROLE_LINE.match(line)]
    named = next((line for line in candidates if ORG_WORDS.search(line)), None)
    if named is not None or candidates:
        return named or candidates[0]
    found = _COMPANY_IN_BODY.search(letter_text)
    return re.split(r"[.,;]\s", found.group("company"))[0].rstrip(".,") if found else None


def _role(top: list[str], letter_text: str) -> str | None:
    for line in top:
        subject = _SUBJECT.match(line)
        text = subject.group("text") if subject else line if _ROLE_LINE.match(line) else None
        if text is not None:
            role = _ROLE_IN_SUBJECT.match(text.strip())
            if role and role.group("role").strip():
                return role.group("role").strip(" .,:")
    for pattern in _ROLE_IN_BODY:
        found = pattern.search(letter_text)
        if found:
            return found.group("role").strip(" .,:")
    return None


def _letter_date(lines: list[str]) -> str | None:
    """The first full date in the lines, as YYYY-MM-DD: '3 March 2025', 'March 3, 2025', '03.03.2025'."""
    for line in lines:
        for pattern in (_ISO_DATE, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _DOTTED_DATE):
            found = pattern.search(line)
            if found is None:
                continue
            month_text = found.group("month")
            month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower().rstrip("."))
            day = int(found.group("day"))
            if month and 1 <= month <= 12 and 1 <= day <= 31:
                return f"{found.group('year')}-{month:02d}-{day:02d}"
    return None
