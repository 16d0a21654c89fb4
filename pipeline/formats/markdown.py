"""A clean, readable Markdown rendering of a parsed resume: every section that has content, in resume order."""

from __future__ import annotations

from schemas.response import Redaction
from schemas.result import Education, Experience, Project, ResumeResult


def _span(start: str | None, end: str | None, current: bool) -> str:
    end_text = "present" if current else (end or "")
    if start and end_text:
        return f"{start} – {end_text}"
    return start or end_text


def _joined(*parts: str | None, separator: str = " · ") -> str:
    return separator.join(part for part in parts if part)


def _experience(entry: Experience) -> list[str]:
    lines = [f"### {_joined(entry.title, entry.company) or 'Position'}"]
    details = [_span(entry.start_date, entry.end_date, entry.current), entry.location]
    if entry.type not in ("full-time", "volunteer"):
        details.append(entry.type)
    if any(details):
        lines.append(f"*{_joined(*details)}*")
    if entry.description:
        lines += ["", entry.description]
    if entry.highlights:
        lines += ["", *(f"- {item}" for item in entry.highlights)]
    return [*lines, ""]


def _education(entry: Education) -> list[str]:
    degree = _joined(entry.degree, entry.field_of_study, separator=", ")
    lines = [f"### {_joined(degree, entry.institution) or 'Education'}"]
    details = [_span(entry.start_date, entry.graduation_date, False), entry.location,
               f"GPA {entry.gpa}" if entry.gpa else None]
    if any(details):
        lines.append(f"*{_joined(*details)}*")
    if entry.courses:
        lines.append("Courses: " + ", ".join(entry.courses))
    return [*lines, ""]


def _project(project: Project) -> list[str]:
    lines = [f"- **{project.name}**" + (f": {project.description}" if project.description else "")]
    details = _joined(_span(project.start_date, project.end_date, False), project.url)
    if details:
        lines[0] += f" ({details})"
    lines += [f"  - {item}" for item in project.highlights]
    if project.keywords:
        lines.append("  - " + ", ".join(project.keywords))
    return lines


def _skills(result: ResumeResult) -> list[str]:
    """Skills grouped by taxonomy category when the skills stage gave them one, else one list."""
    groups: dict[str, list[str]] = {}
    for skill in result.skills:
        groups.setdefault(skill.category or "", []).append(skill.skill)
    if list(groups) == [""]:
        return [", ".join(groups[""])]
    return [f"- **{category or 'Other'}:** {', '.join(names)}" for category, names in groups.items()]


def _header(result: ResumeResult) -> list[str]:
    info = result.personal_info
    lines = [f"# {info.name or 'Candidate'}"]
    if info.label:
        lines.append(f"**{info.label}**")
    location = info.location
    place = _joined(location.city, location.region, location.country, separator=", ") if location else ""
    contact = [info.email, info.phone, info.url, place]
    contact += [p.url or f"{p.network}: {p.username}" for p in info.profiles if p.url or p.username]
    if any(contact):
        lines.append(" · ".join(dict.fromkeys(c for c in contact if c)))
    return [*lines, ""]


def render_markdown(result: ResumeResult, redaction: Redaction | None = None) -> str:
    """The resume as Markdown: name and contact first, then each section with content; a redacted result says
    which categories were taken out, so a reader knows the gaps are deliberate."""
    lines = _header(result)
    if result.summary:
        lines += ["## Summary", "", result.summary, ""]
    jobs = [job for job in result.experience if job.type != "volunteer"]
    volunteering = [job for job in result.experience if job.type == "volunteer"]
    for heading, entries in (("Experience", jobs), ("Volunteer experience", volunteering)):
        if entries:
            lines += [f"## {heading}", ""]
            for job in entries:
                lines += _experience(job)
    if result.education:
        lines += ["## Education", ""]
        for school in result.education:
            lines += _education(school)
    if result.skills:
        lines += ["## Skills", "", *_skills(result), ""]
    if result.certifications:
        lines += ["## Certifications", "",
                  *(f"- {_joined(c.name, c.issuer, c.date)}" for c in result.certifications), ""]
    if result.languages:
        lines += ["## Languages", "", *(f"- {lang.language}" + (f" ({lang.proficiency or lang.level})"
                                                                 if lang.proficiency or lang.level else "")
                                        for lang in result.languages), ""]
    if result.projects:
        lines += ["## Projects", ""]
        for project in result.projects:
            lines += _project(project)
        lines.append("")
    if result.awards:
        lines += ["## Awards", "", *(f"- {_joined(a.title, a.awarder, a.date)}" + (f": {a.summary}" if a.summary
                                                                                     else "")
                                     for a in result.awards), ""]
    if result.publications:
        lines += ["## Publications", "",
                  *(f"- {_joined(p.name, p.publisher, p.date, p.url)}" for p in result.publications), ""]
    if result.interests:
        lines += ["## Interests", "", ", ".join(result.interests), ""]
    if result.references:
        lines += ["## References", "", *(f"- {_joined(r.name, r.reference, separator=': ')}"
                                         for r in result.references if r.name or r.reference), ""]
    if redaction is not None:
        lines += ["---", "", f"*Redacted for fair screening: {', '.join(redaction.categories)}.*", ""]
    return "\n".join(lines).rstrip() + "\n"
