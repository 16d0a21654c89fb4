"""Section headings in English, German, French, Spanish and Portuguese, and the split of a resume into sections.

A line is a heading when its text, stripped of icons, rules, numbering and a trailing colon, names a known
section, and it looks like one: short, on its own line, and marked by layout (bold, larger, all capitals,
a Markdown or Word heading) or by the plain-text conventions ("EXPERIENCE", "Work Experience:", "---- SKILLS ----").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

import msgspec

from pipeline.parse.dates import is_mostly_date
from schemas.document import Document

SECTION_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "summary": (
        "summary", "professional summary", "profile", "professional profile", "about", "about me", "objective",
        "career objective", "overview", "introduction", "personal statement", "executive summary", "career summary",
        "kurzprofil", "profil", "über mich", "zusammenfassung", "zu meiner person", "persönliches profil",
        "résumé", "à propos", "a propos", "à propos de moi", "présentation", "objectif", "profil professionnel",
        "resumen", "perfil", "perfil profesional", "sobre mí", "acerca de mí", "objetivo", "resumo", "sobre mim",
        "perfil profissional", "background",
    ),
    "experience": (
        "experience", "work experience", "professional experience", "employment", "employment history",
        "work history", "career history", "career", "work", "experience history", "relevant experience",
        "professional background", "positions", "berufserfahrung", "erfahrung", "beruflicher werdegang",
        "werdegang", "berufliche erfahrung", "praxiserfahrung", "expérience", "expériences",
        "expérience professionnelle", "expériences professionnelles", "parcours professionnel", "experiencia",
        "experiencia profesional", "experiencia laboral", "trayectoria profesional", "experiência",
        "experiência profissional", "histórico profissional",
    ),
    "volunteer": (
        "volunteer", "volunteering", "volunteer work", "volunteer experience", "community involvement",
        "ehrenamt", "ehrenamtliches engagement", "engagement", "bénévolat", "engagement associatif",
        "voluntariado", "experiencia de voluntariado", "trabalho voluntário",
    ),
    "education": (
        "education", "education and training", "education & training", "academic background", "qualifications",
        "academic qualifications", "studies", "training", "ausbildung", "bildung", "bildungsweg", "studium",
        "schulbildung", "formation", "formations", "études", "diplômes", "parcours académique", "educación",
        "formación", "formación académica", "estudios", "educação", "formação", "formação acadêmica",
        "formação académica",
    ),
    "skills": (
        "skills", "technical skills", "key skills", "core skills", "core competencies", "competencies",
        "skills and tools", "skills & tools", "tools", "technologies", "tech stack", "expertise", "areas of expertise",
        "kenntnisse", "fähigkeiten", "fachkenntnisse", "kompetenzen", "it-kenntnisse", "edv-kenntnisse",
        "fähigkeiten und kenntnisse", "compétences", "compétences techniques", "savoir-faire", "habilidades",
        "competencias", "conocimientos", "aptitudes", "competências", "habilidades técnicas", "skill set",
        "technical proficiencies",
    ),
    "languages": (
        "languages", "language skills", "language", "sprachen", "sprachkenntnisse", "langues", "langues parlées",
        "idiomas", "lenguas", "línguas",
    ),
    "certifications": (
        "certifications", "certification", "certificates", "licenses", "licences", "licenses & certifications",
        "licenses and certifications", "licences & certifications", "certifications and licenses",
        "professional certifications", "accreditations", "zertifikate", "zertifizierungen", "weiterbildung",
        "weiterbildungen", "certificats", "certificaciones", "certificados", "certificações",
    ),
    "projects": (
        "projects", "selected projects", "side projects", "personal projects", "key projects", "projekte",
        "projets", "proyectos", "projetos", "open source", "projects experience", "project experience",
        "academic projects", "relevant projects", "notable projects", "technical projects",
    ),
    "awards": (
        "awards", "honors", "honours", "honours & awards", "honors & awards", "honors and awards", "achievements",
        "auszeichnungen", "prix", "distinctions", "premios", "reconocimientos", "prêmios",
    ),
    "publications": ("publications", "selected publications", "papers", "publikationen", "veröffentlichungen",
                     "publicaciones", "publicações"),
    "interests": ("interests", "hobbies", "hobbies & interests", "hobbies and interests", "interessen", "hobbys",
                  "freizeit", "centres d'intérêt", "centres d’intérêt", "loisirs", "intereses", "aficiones",
                  "interesses"),
    "references": ("references", "referenzen", "références", "referencias", "referências"),
    "contact": ("contact", "contact information", "contact details", "kontakt", "coordonnées", "contacto",
                "contato", "personal details", "persönliche daten", "profiles", "online profiles", "links",
                "social", "social media", "social profiles", "websites", "online presence", "profile links",
                "réseaux sociaux", "redes sociales", "redes sociais", "profile im netz"),
}
_LOOKUP: Final = {name: kind for kind, names in SECTION_NAMES.items() for name in names}
_DECORATION = re.compile(r"^[\W\d_]+|[\W_]+$")
_RULE = re.compile(r"^[\s=_~*#-]{3,}$")
_BULLET_START = re.compile(r"^\s*[•●○◦▪■□‣⁃∙·*+➢➤►▶✓✔-]")
_GAPS = re.compile(r"[ \t\u00a0]{3,}")


class SectionLine(msgspec.Struct):
    """A line as the parser sees it: text plus the layout signals it uses."""

    text: str
    bold: bool = False
    size: float | None = None
    heading_level: int | None = None
    links: list[str] = msgspec.field(default_factory=list)
    x: float | None = None
    top: float | None = None
    block: int = 0
    page: int = 1


class Section(msgspec.Struct):
    kind: str
    heading: str
    lines: list[SectionLine]


def heading_key(text: str) -> str:
    """The text of a possible heading, without icons, rules, numbering, case or a trailing colon."""
    cleaned = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNZP" or ch in "&'’")
    cleaned = _DECORATION.sub("", cleaned.strip()).strip()
    return " ".join(cleaned.lower().replace("’", "'").split())


@functools.lru_cache(maxsize=8192)
def section_kind(text: str) -> str | None:
    """The section a heading names, if it names one (asked of each line several times, hence the cache)."""
    key = heading_key(text)
    if not key or len(key) > 45:
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    return _LOOKUP.get(key.replace(" and ", " & "))


def _split_trailing_date(line: SectionLine) -> list[SectionLine]:
    """A date pushed to the right edge of a bullet or description row belongs to the entry header above it."""
    head, sep, tail = line.text.rpartition("    ")
    if not sep or not is_mostly_date(tail):
        return [line]
    sentence = head.rstrip().endswith(".") and len(head.split()) > 3
    if not (_BULLET_START.match(head) or len(head) > 50 or sentence):
        return [line]
    return [msgspec.structs.replace(line, text=tail.strip(), bold=False, links=[]),
            msgspec.structs.replace(line, text=head.strip())]


def lines_of(document: Document) -> list[SectionLine]:
    lines: list[SectionLine] = []
    for page in document.pages:
        for index, block in enumerate(page.blocks):
            for line in block.lines:
                text = "    ".join(" ".join(part.split()) for part in _GAPS.split(line.text.strip()) if part.strip())
                if text and block.kind not in ("header", "footer") and not _RULE.match(text):
                    lines += _split_trailing_date(SectionLine(
                        text=text, bold=line.bold, size=line.font_size, heading_level=line.heading_level,
                        links=list(line.links), x=line.bbox[0] if line.bbox else None,
                        top=line.bbox[1] if line.bbox else None,
                        block=index + 1000 * page.number, page=page.number,
                    ))
    return lines


def body_font_size(lines: list[SectionLine]) -> float | None:
    sizes: dict[float, int] = {}
    for line in lines:
        if line.size:
            sizes[round(line.size)] = sizes.get(round(line.size), 0) + len(line.text)
    return max(sizes, key=lambda size: sizes[size]) if sizes else None


def looks_like_heading(line: SectionLine, body_size: float | None, alone: bool) -> bool:
    """Layout evidence that a line is a heading (the text must still name a section)."""
    text = line.text.strip()
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    if line.heading_level is not None or line.bold:
        return True
    if body_size and line.size and line.size >= body_size * 1.12:
        return True
    if all(ch.isupper() for ch in letters) or text.endswith(":") or text.startswith(("--", "==", "##")):
        return True
    return alone


def split_sections(lines: list[SectionLine]) -> tuple[list[SectionLine], list[Section]]:
    """The lines before the first heading (the header), and the sections in order.

    Headings of one resume share a style: a candidate much smaller than the usual heading size is a label
    inside a section (a skill group called 'Languages', say), not a section of its own; one much larger before
    the first heading is the headline's last word ('… Emergency Response' / 'Volunteer'), still the header.
    """
    body_size = body_font_size(lines)
    candidates: dict[int, str] = {}
    for index, line in enumerate(lines):
        kind = section_kind(line.text)
        if kind is None:
            continue
        previous_block = lines[index - 1].block if index else -1
        next_block = lines[index + 1].block if index + 1 < len(lines) else -1
        alone = previous_block != line.block or next_block != line.block
        if looks_like_heading(line, body_size, alone):
            candidates[index] = kind
    sizes = [round(size) for i in candidates if (size := lines[i].size)]
    usual = max(set(sizes), key=sizes.count) if len(sizes) >= 3 else None
    header: list[SectionLine] = []
    sections: list[Section] = []
    for index, line in enumerate(lines):
        kind = candidates.get(index)
        in_style = usual is None or not line.size or (
            0.87 * usual <= line.size and (bool(sections) or line.size <= 1.15 * usual))
        if kind is not None and in_style:
            sections.append(Section(kind=kind, heading=line.text, lines=[]))
            continue
        if sections:
            sections[-1].lines.append(line)
        else:
            header.append(line)
    return header, sections
