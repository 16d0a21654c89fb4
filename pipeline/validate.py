"""The validate stage: is this text usable as a resume, and does it carry instructions aimed at AI screeners?"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from schemas.document import Document
from schemas.request import ValidateConfig
from schemas.result import Checks, HiddenTextFinding, PromptCheck, PromptDetection, TextValidation

MIN_CHARS: Final = 200
MIN_WORDS: Final = 40
MIN_LETTER_SHARE: Final = 0.5
_RESUME_CUES: Final = re.compile(
    r"\b(experience|education|skills|work|employment|university|college|school|projects?|summary|profile|"
    r"erfahrung|ausbildung|kenntnisse|expérience|formation|compétences|experiencia|educación|habilidades|"
    r"experiência|formação|competências|\d{4})\b",
    re.IGNORECASE,
)

_ZERO_WIDTH: Final = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HOMOGLYPHS: Final = str.maketrans(
    "аеорсухіјѕԁɡАВЕКМНОРСТХІЈЅ",
    "aeopcyxijsdgABEKMHOPCTXIJS",
)

# Phrases addressed to an automated screener rather than to a human reader, in several languages.
_INJECTION_PATTERNS: Final = [
    r"ignore (all |any )?(the )?(previous|prior|above|earlier|preceding) (instructions|prompts|directions|rules)",
    r"disregard (all |any )?(the )?(previous|prior|above|earlier) (instructions|prompts|directions)",
    r"forget (all |any )?(your |the )?(previous |prior )?instructions",
    r"(you are|act as|pretend to be) (now )?(chatgpt|an? (ai|llm|language model)|gpt-?\d|claude|gemini)",
    r"(rank|rate|score|mark|list) (this|the) (candidate|applicant|resume|cv) (as )?"
    r"(first|highest|top|number one|#1|as (a )?(perfect|strong|excellent|top) (match|fit|candidate))",
    r"(this|the) (candidate|applicant) (is|should be) (the )?(perfect|best|ideal|top) (match|fit|candidate)",
    r"(recommend|select|shortlist|hire) (this|the) (candidate|applicant) (immediately|first|now)",
    r"(system|assistant) ?(prompt|message|instruction)s? ?:",
    r"new instructions ?:",
    r"ignoriere (alle )?(vorherigen|bisherigen|obigen) (anweisungen|instruktionen)",
    r"ignore[sz]? (toutes )?les instructions (précédentes|ci-dessus)",
    r"ignora (todas )?las instrucciones (anteriores|previas)",
    r"ignore (todas )?as instruções anteriores",
]
_INJECTION: Final = re.compile("|".join(f"(?:{p})" for p in _INJECTION_PATTERNS), re.IGNORECASE)


def validate(document: Document, raw_text: str, config: ValidateConfig) -> Checks:
    """Text validation always; the prompt check only when asked (level basic)."""
    prompt = None
    if not config.prompt.skip:
        prompt = check_prompt(raw_text, document, config.prompt.level)
    hidden = [
        HiddenTextFinding(reason=h.reason, page=h.page, text=h.text, bbox=h.bbox) for h in document.hidden
    ]
    return Checks(text_validation=validate_text(raw_text), prompt=prompt, hidden_text=hidden)


def validate_text(text: str) -> TextValidation:
    """Flag text too short, mostly non-letters, or without anything that reads like a resume."""
    stripped = text.strip()
    words = stripped.split()
    letters = sum(ch.isalpha() for ch in stripped)
    visible = sum(not ch.isspace() for ch in stripped) or 1
    reasons: list[str] = []
    if len(stripped) < MIN_CHARS or len(words) < MIN_WORDS:
        reasons.append("insufficient_text")
    if stripped and letters / visible < MIN_LETTER_SHARE:
        reasons.append("mostly_non_text")
    if stripped and len(_RESUME_CUES.findall(stripped)) < 2:
        reasons.append("not_a_resume")
    return TextValidation(passed=not reasons, reasons=reasons, char_count=len(stripped), word_count=len(words))


def normalise_for_screening(text: str) -> str:
    """Undo the usual obfuscations: zero-width characters, homoglyphs, compatibility forms, spaced letters."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).translate(_HOMOGLYPHS)
    return re.sub(r"\b(?:\w ){3,}\w\b", lambda m: m.group(0).replace(" ", ""), text)


def check_prompt(raw_text: str, document: Document, level: str) -> PromptCheck:
    """Find instructions aimed at AI screeners in the visible and the hidden text."""
    detections: list[PromptDetection] = []
    sources = [raw_text, *(h.text for h in document.hidden)]
    offset = 0
    for source in sources:
        for lineno, line in enumerate(source.splitlines(), start=1):
            cleaned = re.sub(r"\s+", " ", normalise_for_screening(line))
            for found in _INJECTION.finditer(cleaned):
                detections.append(
                    PromptDetection(
                        phrase=found.group(0),
                        position=offset + found.start(),
                        line=lineno,
                        context=cleaned[max(0, found.start() - 40) : found.end() + 40].strip(),
                    )
                )
            offset += len(line) + 1
    return PromptCheck(passed=not detections, level=level, detections=detections)
