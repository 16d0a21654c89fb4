"""Prompt-injection check: does `check_prompt` find instructions planted for AI screeners, and stay quiet on
ordinary resumes?

    python bench/prompt_check.py [--save] [--scans]

Every snippet of tests/validate/prompt_set.json is planted in a one-page resume PDF made with PyMuPDF, the way
its label says (`visible`: a body line; `hidden_white`: white text on the white page; `hidden_tiny`: 1 pt
text), in a resume written in the snippet's language. Each PDF goes through the real extract stage and then
`check_prompt(document.raw_text(), document, "basic")`. Planted snippets must be detected (recall, overall and
by planting, obfuscation and language); benign snippets, and every document of ../shared/corpus/dev/docs (all
clean; PNG scans only with --scans, since OCR is slow), must not be (false positives). Precision counts a
flagged benign snippet or corpus document as a false detection. `check_prompt` alone is timed on the corpus.
Nothing of the resume text is printed: misses and false positives are named by snippet id or file name.

Targets: recall >= 0.95 on the planted snippets, no false positive on the benign snippets nor on the corpus.
With --save the table and the figures are kept in bench/results/prompt-check-<date>.{txt,json}. Exit status:
0 when every target checked is met, 1 when one is missed; without the corpus its target is reported as not
checked.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal, NamedTuple

import msgspec
import pymupdf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import describe  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.validate import check_prompt  # noqa: E402
from schemas.result import PromptCheck  # noqa: E402

# PyMuPDF annotates only part of its API: its calls go through Any here rather than one type: ignore each.
MUPDF: Any = pymupdf
PROMPT_SET = REPO / "tests" / "validate" / "prompt_set.json"
CORPUS_DOCS = REPO.parent / "shared" / "corpus" / "dev" / "docs"
CORPUS_FORMATS = (".pdf", ".docx", ".txt", ".md")
SCAN_FORMATS = (".png",)
TARGET_RECALL = 0.95
LEVEL = "basic"

Planting = Literal["visible", "hidden_white", "hidden_tiny"]
Obfuscation = Literal["none", "zero_width", "homoglyph", "spaced", "mixed_case"]
Language = Literal["en", "de", "fr", "es", "pt"]


class Planted(msgspec.Struct, frozen=True):
    id: str
    language: Language
    planting: Planting
    obfuscation: Obfuscation
    text: str


class Benign(msgspec.Struct, frozen=True):
    id: str
    language: Language
    planting: Planting
    text: str


class PromptSet(msgspec.Struct, frozen=True):
    about: str
    planted: list[Planted]
    benign: list[Benign]


def load_prompt_set(path: Path = PROMPT_SET) -> PromptSet:
    return msgspec.json.decode(path.read_bytes(), type=PromptSet)


class Resume(NamedTuple):
    name: str
    contact: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # heading, lines; the first section is the summary


RESUMES: dict[Language, Resume] = {
    "en": Resume("Daniel Okafor", "daniel.okafor@example.com | +44 20 7946 0321 | Manchester, UK", (
        ("SUMMARY", ("Operations analyst with six years of experience in logistics planning and reporting.",)),
        ("EXPERIENCE", (
            "Senior Operations Analyst, Harbourline Freight, Manchester | 2021 - Present",
            "- Built weekly capacity forecasts in SQL and Power BI for 14 depots",
            "- Cut late deliveries by 18% by re-planning the regional trunking network",
            "Operations Analyst, Pennine Retail Group, Leeds | 2018 - 2021",
            "- Automated stock reconciliation reports with Python, saving 10 hours a week",
        )),
        ("EDUCATION", ("University of Sheffield - BSc Mathematics and Statistics | 2014 - 2018",)),
        ("SKILLS", ("SQL, Python, Power BI, Excel, demand forecasting, stakeholder reporting",)),
    )),
    "de": Resume("Katrin Vogel", "katrin.vogel@example.de | +49 30 5550 1842 | Berlin", (
        ("PROFIL", ("Controllerin mit sieben Jahren Erfahrung im Konzerncontrolling und Reporting.",)),
        ("BERUFSERFAHRUNG", (
            "Senior Controllerin, Havelwerk AG, Berlin | 2020 - heute",
            "- Monatsabschlüsse und Forecasts für drei Geschäftsbereiche verantwortet",
            "- Einführung eines SAP-basierten Kostenstellen-Reportings geleitet",
            "Controllerin, Spreetal Logistik GmbH, Potsdam | 2016 - 2020",
            "- Budgetplanung und Abweichungsanalysen für 40 Kostenstellen erstellt",
        )),
        ("AUSBILDUNG", ("Humboldt-Universität zu Berlin - M.Sc. Betriebswirtschaftslehre | 2014 - 2016",)),
        ("KENNTNISSE", ("SAP S/4HANA, Excel, Power BI, HGB, IFRS, Englisch (C1)",)),
    )),
    "fr": Resume("Julien Marchand", "julien.marchand@example.fr | +33 6 55 01 23 45 | Lyon", (
        ("PROFIL", ("Ingénieur méthodes avec cinq ans d'expérience en production industrielle.",)),
        ("EXPÉRIENCE PROFESSIONNELLE", (
            "Ingénieur méthodes, Rhône Mécanique, Lyon | 2021 - aujourd'hui",
            "- Réduction de 12 % des temps de cycle sur la ligne d'usinage",
            "- Rédaction des gammes de fabrication et des standards de poste",
            "Technicien industrialisation, Alpes Composites, Grenoble | 2018 - 2021",
            "- Mise en place d'indicateurs de performance pour trois ateliers",
        )),
        ("FORMATION", ("INSA Lyon - Diplôme d'ingénieur en génie mécanique | 2013 - 2018",)),
        ("COMPÉTENCES", ("Lean manufacturing, SolidWorks, AMDEC, SAP PP, anglais courant",)),
    )),
    "es": Resume("Lucía Fernández Ortega", "lucia.fernandez@example.es | +34 655 012 345 | Valencia", (
        ("PERFIL", ("Técnica de marketing digital con cuatro años de experiencia en comercio electrónico.",)),
        ("EXPERIENCIA", (
            "Especialista en marketing digital, Mediterránea Hogar, Valencia | 2022 - actualidad",
            "- Gestión de campañas de búsqueda y redes sociales con un presupuesto anual de 300.000 euros",
            "- Aumento del 25 % en la tasa de conversión de la tienda online",
            "Asistente de marketing, Levante Moda, Alicante | 2020 - 2022",
            "- Elaboración de informes semanales de tráfico con Google Analytics",
        )),
        ("EDUCACIÓN", ("Universitat de València - Grado en Administración y Dirección de Empresas | 2016 - 2020",)),
        ("HABILIDADES", ("Google Ads, Meta Ads, Google Analytics 4, SEO, Excel, inglés (B2)",)),
    )),
    "pt": Resume("Rafael Almeida Santos", "rafael.santos@example.com.br | +55 11 95550 1234 | São Paulo", (
        ("PERFIL", ("Analista de dados com cinco anos de experiência em varejo e serviços financeiros.",)),
        ("EXPERIÊNCIA", (
            "Analista de Dados Sênior, Banco Paulista Digital, São Paulo | 2021 - atual",
            "- Desenvolvimento de painéis de risco de crédito em Power BI para a diretoria",
            "- Automação de relatórios mensais em Python, reduzindo o tempo de fechamento em dois dias",
            "Analista de BI, Rede Varejo Sul, Curitiba | 2018 - 2021",
            "- Modelagem de dados de vendas para 120 lojas",
        )),
        ("FORMAÇÃO", ("Universidade de São Paulo - Bacharelado em Estatística | 2014 - 2018",)),
        ("COMPETÊNCIAS", ("SQL, Python, Power BI, Tableau, estatística aplicada, inglês avançado",)),
    )),
}

PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0
MARGIN = 56.0
BODY_SIZE = 10.0
TINY_SIZE = 1.0
WHITE = (1.0, 1.0, 1.0)
BLACK = (0.0, 0.0, 0.0)
BOX_HEIGHT = 300.0


@functools.cache
def _font_buffer(name: str) -> bytes:
    """PyMuPDF's built-in Helvetica clone, embedded with its Unicode coverage: the base-14 font writes Cyrillic
    and Greek look-alikes as dots, which would test nothing."""
    return bytes(MUPDF.Font(name).buffer)


def resume_pdf(snippet: str, planting: Planting, language: Language) -> bytes:
    """A one-page resume in `language` with `snippet` planted as labelled: a visible line after the summary,
    white text under the contact line, or 1 pt text after the last section; long snippets wrap over lines."""
    resume = RESUMES[language]
    document = MUPDF.open()
    page = document.new_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
    page.insert_font(fontname="body", fontbuffer=_font_buffer("helv"))
    page.insert_font(fontname="bold", fontbuffer=_font_buffer("hebo"))
    y = MARGIN

    def write(text: str, *, font: str = "body", size: float = BODY_SIZE, colour: tuple[float, ...] = BLACK,
              after: float = 4.0) -> None:
        nonlocal y
        box = MUPDF.Rect(MARGIN, y, PAGE_WIDTH - MARGIN, y + BOX_HEIGHT)
        unused = float(page.insert_textbox(box, text, fontname=font, fontsize=size, color=colour))
        y += BOX_HEIGHT - unused + after

    write(resume.name, font="bold", size=18)
    write(resume.contact)
    if planting == "hidden_white":
        write(snippet, colour=WHITE)
    for index, (heading, lines) in enumerate(resume.sections):
        write(heading, font="bold", size=12, after=2)
        for line in lines:
            write(line, after=2)
        if index == 0 and planting == "visible":
            write(snippet, after=2)
        y += 8
    if planting == "hidden_tiny":
        write(snippet, size=TINY_SIZE)
    data: bytes = document.tobytes()
    document.close()
    return data


def screen_file(data: bytes, filename: str) -> PromptCheck:
    """The check as the service runs it on an upload: extract, then screen the raw and the hidden text."""
    document = extract(data, filename=filename)
    return check_prompt(document.raw_text(), document, LEVEL)


def screen_snippet(entry: Planted | Benign) -> PromptCheck:
    return screen_file(resume_pdf(entry.text, entry.planting, entry.language), "x.pdf")


def corpus_documents(formats: Iterable[str] = CORPUS_FORMATS) -> list[Path]:
    """The dev corpus files of the given formats, in name order; none when the corpus is absent."""
    if not CORPUS_DOCS.is_dir():
        return []
    wanted = tuple(formats)
    return sorted(path for path in CORPUS_DOCS.iterdir() if path.suffix.lower() in wanted)


class Rate(msgspec.Struct):
    found: int
    total: int
    share: float


def _rate(found: int, total: int) -> Rate:
    return Rate(found=found, total=total, share=found / total if total else 0.0)


class CorpusFinding(msgspec.Struct):
    file: str
    detections: int
    first_line: int


class SetOutcome(msgspec.Struct):
    detected: list[str]
    missed: list[str]
    flagged_benign: list[str]


class CorpusOutcome(msgspec.Struct):
    documents: int
    flagged: list[CorpusFinding]
    check_median_ms: float
    check_max_ms: float


class Summary(msgspec.Struct):
    recall: Rate
    by_planting: dict[str, Rate]
    by_obfuscation: dict[str, Rate]
    by_language: dict[str, Rate]
    benign_false_positives: Rate
    corpus_false_positives: Rate | None
    precision: float
    targets: dict[str, bool | None]


def screen_set(prompt_set: PromptSet) -> SetOutcome:
    detected: list[str] = []
    missed: list[str] = []
    for planted in prompt_set.planted:
        (missed if screen_snippet(planted).passed else detected).append(planted.id)
    flagged = [benign.id for benign in prompt_set.benign if not screen_snippet(benign).passed]
    return SetOutcome(detected=detected, missed=missed, flagged_benign=flagged)


def screen_corpus(paths: list[Path]) -> CorpusOutcome:
    """Each document extracted outside the timing; `check_prompt` alone timed, best of three."""
    flagged: list[CorpusFinding] = []
    times: list[float] = []
    for path in paths:
        document = extract(path.read_bytes(), filename=path.name)
        raw_text = document.raw_text()
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            checked = check_prompt(raw_text, document, LEVEL)
            best = min(best, time.perf_counter() - started)
        times.append(1000 * best)
        if not checked.passed:
            flagged.append(CorpusFinding(file=path.name, detections=len(checked.detections),
                                         first_line=checked.detections[0].line))
    return CorpusOutcome(documents=len(paths), flagged=flagged,
                         check_median_ms=statistics.median(times) if times else 0.0,
                         check_max_ms=max(times, default=0.0))


def _rates(planted: list[Planted], detected: set[str], key: Callable[[Planted], str]) -> dict[str, Rate]:
    counts: dict[str, list[int]] = {}
    for entry in planted:
        found_total = counts.setdefault(key(entry), [0, 0])
        found_total[0] += entry.id in detected
        found_total[1] += 1
    return {group: _rate(found, total) for group, (found, total) in counts.items()}


def summarise(prompt_set: PromptSet, outcome: SetOutcome, corpus: CorpusOutcome | None) -> Summary:
    detected = set(outcome.detected)
    planted = prompt_set.planted
    false_detections = len(outcome.flagged_benign) + (len(corpus.flagged) if corpus else 0)
    recall = _rate(len(detected), len(planted))
    return Summary(
        recall=recall,
        by_planting=_rates(planted, detected, lambda entry: entry.planting),
        by_obfuscation=_rates(planted, detected, lambda entry: entry.obfuscation),
        by_language=_rates(planted, detected, lambda entry: entry.language),
        benign_false_positives=_rate(len(outcome.flagged_benign), len(prompt_set.benign)),
        corpus_false_positives=None if corpus is None else _rate(len(corpus.flagged), corpus.documents),
        precision=len(detected) / (len(detected) + false_detections) if detected else 0.0,
        targets={
            f"recall >= {TARGET_RECALL}": recall.share >= TARGET_RECALL,
            "no false positive on the benign snippets": not outcome.flagged_benign,
            "no false positive on the dev corpus": None if corpus is None else not corpus.flagged,
        },
    )


def _table(summary: Summary, outcome: SetOutcome, corpus: CorpusOutcome | None,
           corpus_formats: tuple[str, ...]) -> str:
    def row(label: str, rate: Rate) -> str:
        return f"  {label:<38}{rate.found:>6}{rate.total:>7}   {rate.share:.3f}"

    lines = ["planted injections                      found  total   recall", row("overall", summary.recall)]
    for title, groups in (("planting", summary.by_planting), ("obfuscation", summary.by_obfuscation),
                          ("language", summary.by_language)):
        lines += [f"  by {title}"] + [row(f"  {name}", rate) for name, rate in groups.items()]
    lines += ["", "false positives                       flagged  total   share",
              row("benign snippets", summary.benign_false_positives)]
    formats = ", ".join(suffix.lstrip(".") for suffix in corpus_formats)
    if summary.corpus_false_positives is not None:
        lines.append(row(f"dev corpus ({formats})", summary.corpus_false_positives))
    else:
        lines.append(f"  dev corpus: absent ({CORPUS_DOCS}); not checked")
    lines += [f"  precision {summary.precision:.3f} (flagged benign snippets and corpus documents count as "
              "false detections)", "",
              f"missed planted: {', '.join(outcome.missed) or 'none'}",
              f"flagged benign: {', '.join(outcome.flagged_benign) or 'none'}"]
    if corpus is not None:
        flagged = ", ".join(f"{finding.file} (line {finding.first_line})" for finding in corpus.flagged)
        lines += [f"flagged corpus documents: {flagged or 'none'}",
                  f"check_prompt alone on the corpus, best of 3: median {corpus.check_median_ms:.2f} ms, "
                  f"max {corpus.check_max_ms:.2f} ms per document"]
    verdicts = {True: "met", False: "MISSED", None: "not checked"}
    lines.append("targets: " + "; ".join(f"{name} {verdicts[met]}" for name, met in summary.targets.items()))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--save", action="store_true", help="keep the table and figures in bench/results/")
    parser.add_argument("--scans", action="store_true", help="also screen the corpus's PNG scans (OCR, slow)")
    args = parser.parse_args()
    prompt_set = load_prompt_set()
    outcome = screen_set(prompt_set)
    corpus_formats = CORPUS_FORMATS + (SCAN_FORMATS if args.scans else ())
    corpus: CorpusOutcome | None = None
    if CORPUS_DOCS.is_dir():
        corpus = screen_corpus(corpus_documents(corpus_formats))
    else:
        print(f"no corpus at {CORPUS_DOCS}; the corpus part is skipped", file=sys.stderr)
    summary = summarise(prompt_set, outcome, corpus)
    header = (f"check_prompt (level {LEVEL}) on {len(prompt_set.planted)} planted and {len(prompt_set.benign)} "
              f"benign snippets, each in a one-page resume PDF through the extract stage"
              + (f", and on {corpus.documents} dev-corpus documents" if corpus else ""))
    table = f"{header}\n\n{_table(summary, outcome, corpus, corpus_formats)}"
    print(table)
    if args.save:
        machine = describe()
        results_dir = REPO / "bench" / "results"
        results_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.date.today().isoformat()
        (results_dir / f"prompt-check-{stamp}.txt").write_text(
            f"{msgspec.json.encode(machine).decode()}\n{table}\n", encoding="utf-8")
        figures = {"machine": machine, "summary": summary, "outcome": outcome, "corpus": corpus}
        (results_dir / f"prompt-check-{stamp}.json").write_bytes(msgspec.json.format(msgspec.json.encode(figures)))
    return 1 if False in summary.targets.values() else 0


if __name__ == "__main__":
    raise SystemExit(main())
