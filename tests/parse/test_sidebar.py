"""Skills listed outside a skills section: grouped sidebar lists told apart by indent and line pitch."""

from __future__ import annotations

from pipeline.parse import parse
from pipeline.parse.sections import SectionLine
from pipeline.parse.sidebar import unwrapped
from schemas.document import Block, Document, Line, Page

LABEL_X, ITEM_X, MAIN_X = 40.0, 46.0, 220.0


def _line(text: str, x: float, top: float, size: float = 10.0) -> Line:
    return Line(text=text, bbox=(x, top, x + 6 * len(text), top + size), font_size=size)


NURSING = [("Clinical", ["Patient Assessment", "Arterial Line", "Management", "Sepsis Management", "NEWS2"]),
           ("Systems", ["Cerner Millennium", "Datix"])]
PASTIMES = [("Weekends", ["Saturday Parkrun", "Choir", "Allotment Gardening", "Sea Swimming", "Chess Club"])]


def _sidebar_resume(groups: list[tuple[str, list[str]]] = NURSING) -> Document:
    """A sidebar template as a scan reads it: the sidebar column first, contact details and grouped skills
    under 'About', labels at the heading's indent, items further in, a long item wrapped closer than the
    items are spaced."""
    top = 120.0
    sidebar = [_line("About", LABEL_X, 100.0, 13.0)]
    for text in ("Leeds, United Kingdom", "sam.okafor@example.com", "+44 7700 900123", "sam-okafor"):
        sidebar.append(_line(text, ITEM_X, top))
        top += 16
    for label, items in groups:
        top += 14
        sidebar.append(_line(label, LABEL_X, top, 11.0))
        top += 22
        for item in items:
            if item == "Management":
                top -= 10
            sidebar.append(_line(item, ITEM_X, top))
            top += 22
    main = [
        _line("Summary", MAIN_X, 100.0, 13.0),
        _line("Critical care nurse with eight years of NHS experience on adult intensive care units.", MAIN_X,
              120.0),
        _line("Experience", MAIN_X, 150.0, 13.0),
        _line("Senior Staff Nurse    04/2021 - Present", MAIN_X, 170.0),
        _line("• Coordinated shifts for a 24-bed adult critical care unit", MAIN_X, 186.0),
    ]
    header = [_line("Sam Okafor", LABEL_X, 40.0, 22.0), _line("Critical Care Staff Nurse", LABEL_X, 70.0)]
    page = Page(number=1, width=595.0, height=842.0, blocks=[
        Block(lines=header), Block(lines=sidebar, column=1), Block(lines=main, column=2)])
    return Document(source_format="image", pages=[page])


def test_grouped_sidebar_lists_are_skills_without_their_labels() -> None:
    result = parse(_sidebar_resume()).result
    skills = [skill.skill for skill in result.skills]
    assert skills == ["Patient Assessment", "Arterial Line Management", "Sepsis Management", "NEWS2",
                      "Cerner Millennium", "Datix"]
    assert result.personal_info.email == "sam.okafor@example.com"
    assert result.personal_info.location is not None and result.personal_info.location.city == "Leeds"


def test_labelled_groups_the_taxonomy_does_not_know_are_skills_only_in_a_sidebar_without_prose() -> None:
    assert [skill.skill for skill in parse(_sidebar_resume(PASTIMES)).result.skills] == PASTIMES[0][1]
    document = _sidebar_resume(PASTIMES)
    sidebar = document.pages[0].blocks[1]
    sidebar.lines.insert(1, _line("I am a nurse who has worked in intensive care for eight years now.", ITEM_X,
                                  110.0))
    assert parse(document).result.skills == []


def test_only_a_line_set_closer_than_its_neighbours_at_the_same_indent_is_a_continuation() -> None:
    grid = [SectionLine(text="Change Management", x=50, top=100, size=10),
            SectionLine(text="Llamasoft Supply Chain Guru", x=200, top=107, size=10),
            SectionLine(text="Labor Relations", x=50, top=124, size=10),
            SectionLine(text="Oracle Transportation", x=50, top=148, size=10),
            SectionLine(text="Management (OTM)", x=50, top=160, size=10),
            SectionLine(text="Kaizen", x=50, top=172 + 12, size=10)]
    assert unwrapped(grid) == ["Change Management", "Llamasoft Supply Chain Guru", "Labor Relations",
                               "Oracle Transportation Management (OTM)", "Kaizen"]
    without_layout = [SectionLine(text="Python"), SectionLine(text="SQL")]
    assert unwrapped(without_layout) == ["Python", "SQL"]
