"""A clean, readable Markdown rendering of a parsed resume."""

from __future__ import annotations

from schemas.result import Education, Experience, ResumeResult


def _span(start: str | None, end: str | None, current: bool) -> str:
    end_text = "present" if current else (end or "")
    if start and end_text:
        return f"{start} – {end_text}"
    return start or end_text


def _experience(entry: Experience) -> list[str]:
    heading = " · ".join(part for part in (entry.title, entry.company) if part) or "Position"
    lines = [f"### {heading}"]
    details = [d for d in (_span(entry.start_date, entry.end_date, entry.current), entry.location) if d]
    if entry.type != "full-time":
        details.append(entry.type)
    if details:
        lines.append("*" + " · ".join(details) + "*")
    if entry.description:
        lines += ["", entry.description]
    if entry.highlights:
        lines += ["", *(f"- {item}" for item in entry.highlights)]
    return [*lines, ""]


def _education(entry: Education) -> list[str]:
    degree = ", ".join(part for part in (entry.degree, entry.field_of_study) if part)
    heading = " · ".join(part for part in (degree, entry.institution) if part) or "Education"
    lines = [f"### {heading}"]
    details = [d for d in (_span(entry.start_date, entry.graduation_date, False), entry.location) if d]
    if entry.gpa:
        details.append(f"GPA {entry.gpa}")
    if details:
        lines.append("*" + " · ".join(details) + "*")
    if entry.courses:
        lines.append("Courses: " + ", ".join(entry.courses))
    return [*lines, ""]


def render_markdown(result: ResumeResult) -> str:
    """The resume as Markdown: name and contact first, then the sections that have content."""
    info = result.personal_info
    lines = [f"# {info.name or 'Unnamed candidate'}"]
    if info.label:
        lines.append(f"**{info.label}**")
    location = info.location
    place = ", ".join(p for p in (location.city, location.region, location.country) if p) if location else ""
    contact = [c for c in (info.email, info.phone, info.url, place) if c]
    contact += [p.url or p.username or p.network for p in info.profiles if p.url or p.username]
    if contact:
        lines.append(" · ".join(dict.fromkeys(c for c in contact if c)))
    lines.append("")
    if result.summary:
        lines += ["## Summary", "", result.summary, ""]
    if result.experience:
        lines += ["## Experience", ""]
        for job in result.experience:
            lines += _experience(job)
    if result.education:
        lines += ["## Education", ""]
        for school in result.education:
            lines += _education(school)
    if result.skills:
        lines += ["## Skills", "", ", ".join(skill.skill for skill in result.skills), ""]
    if result.certifications:
        lines += ["## Certifications", ""]
        lines += [f"- {c.name}" + "".join(f" · {x}" for x in (c.issuer, c.date) if x) for c in result.certifications]
        lines.append("")
    if result.languages:
        lines += ["## Languages", ""]
        lines += [f"- {lang.language}" + (f" ({lang.proficiency})" if lang.proficiency else "")
                  for lang in result.languages]
        lines.append("")
    if result.projects:
        lines += ["## Projects", ""]
        for project in result.projects:
            lines.append(f"- **{project.name}**" + (f": {project.description}" if project.description else ""))
        lines.append("")
    if result.awards:
        lines += ["## Awards", "", *(f"- {a.title}" + (f" ({a.date})" if a.date else "") for a in result.awards), ""]
    if result.publications:
        lines += ["## Publications", "", *(f"- {p.name}" for p in result.publications), ""]
    if result.interests:
        lines += ["## Interests", "", ", ".join(result.interests), ""]
    return "\n".join(lines).rstrip() + "\n"
