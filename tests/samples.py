"""Resume fixture files built in code: a text resume rendered to PDF, DOCX, TXT and Markdown."""

from __future__ import annotations

import io

import docx
import pymupdf

NAME = "Marta Kowalczyk"
EMAIL = "marta.kowalczyk@example.org"
PHONE = "+1 415 555 0134"
COMPANY = "Northwind Logistics"
TITLE = "Senior Software Engineer"

SECTIONS: list[tuple[str, list[str]]] = [
    ("Summary", ["Backend engineer with eight years of experience building logistics platforms in Python and Go."]),
    ("Experience", [
        f"{TITLE}",
        f"{COMPANY}, Chicago, IL | Jan 2020 - Present",
        "- Led the migration of the routing service to Kubernetes, cutting deploy time by 70%",
        "- Built a PostgreSQL-backed event store handling 2M events per day",
        "Software Engineer",
        "Contoso Freight, Denver, CO | 06/2016 - 12/2019",
        "- Wrote the carrier billing pipeline in Python and SQL",
    ]),
    ("Education", [
        "University of Illinois Urbana-Champaign",
        "Bachelor of Science in Computer Science | 2012 - 2016",
    ]),
    ("Skills", ["Python, Go, PostgreSQL, Kubernetes, Docker, AWS, SQL, Terraform"]),
    ("Languages", ["English (native), Polish (fluent)"]),
]

JOB_DESCRIPTION = (
    "We are hiring a Senior Backend Engineer to build our freight platform.\n"
    "Requirements:\n- 5+ years of Python\n- PostgreSQL and SQL\n- Kubernetes and Docker\n"
    "Nice to have:\n- Terraform\n- Rust\n"
)


def resume_text() -> str:
    lines = [NAME, f"{EMAIL} | {PHONE} | Chicago, IL", ""]
    for heading, body in SECTIONS:
        lines += [heading.upper(), *body, ""]
    return "\n".join(lines)


def resume_pdf(pages: int = 1) -> bytes:
    """A one-column PDF with a bold name, bold headings and the body text; extra pages repeat a note."""
    doc = pymupdf.open()
    page = doc.new_page()
    y = 60.0
    page.insert_text((56, y), NAME, fontsize=20, fontname="hebo")
    y += 22
    page.insert_text((56, y), f"{EMAIL} | {PHONE} | Chicago, IL", fontsize=10, fontname="helv")
    y += 26
    for heading, body in SECTIONS:
        page.insert_text((56, y), heading.upper(), fontsize=13, fontname="hebo")
        y += 18
        for line in body:
            page.insert_text((56, y), line, fontsize=10, fontname="helv")
            y += 14
        y += 10
    for number in range(1, pages):
        extra = doc.new_page()
        extra.insert_text((56, 60), f"Additional page {number + 1}: references available on request.", fontsize=10)
    data: bytes = doc.tobytes()
    doc.close()
    return data


def resume_docx() -> bytes:
    document = docx.Document()
    document.add_heading(NAME, level=0)
    document.add_paragraph(f"{EMAIL} | {PHONE} | Chicago, IL")
    for heading, body in SECTIONS:
        document.add_heading(heading, level=1)
        for line in body:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def resume_markdown() -> str:
    lines = [f"# {NAME}", "", f"{EMAIL} | {PHONE} | Chicago, IL", ""]
    for heading, body in SECTIONS:
        lines += [f"## {heading}", "", *body, ""]
    return "\n".join(lines)
