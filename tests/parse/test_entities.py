"""Telling names, titles, employers and places apart: the gazetteer, job-title head nouns, and layout cues."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import document_from_text
from pipeline.parse import parse
from pipeline.parse.dates import find_ranges
from pipeline.parse.entries import Entry, title_score
from pipeline.parse.fields import certifications_from, education_from, experience_from, skills_from
from pipeline.parse.places import city
from schemas.document import Block, Document, Line, Page


def test_the_gazetteer_knows_cities_and_their_exonyms() -> None:
    bengaluru = city("Bengaluru")
    assert bengaluru is not None and bengaluru.country_code == "IN"
    munich = city(" munich ")
    assert munich is not None and munich.name == "Munich" and munich.country_code == "DE"
    assert city("Swiggy") is None and city("Payments") is None and city("Senior Engineer") is None


@pytest.mark.parametrize(("title", "employer"), [
    ("Volunteer Tax Preparer", "Community Volunteer Income Tax Program (CVITP)"),
    ("General Labourer", "Ledcor Group"),
    ("Deputy Court Clerk", "Fulton County Superior Court"),
])
def test_job_titles_outscore_employers(title: str, employer: str) -> None:
    assert title_score(title) > title_score(employer)


@pytest.mark.parametrize(("header", "company", "title", "location"), [
    (["Senior Marketing Manager, Growth, Swiggy", "Bengaluru"], "Swiggy", "Senior Marketing Manager, Growth",
     "Bengaluru"),
    (["Conseillère clientèle at Orange, Lyon"], "Orange", "Conseillère clientèle", "Lyon"),
    (["Community Volunteer Income Tax Program (CVITP)", "Volunteer Tax Preparer"],
     "Community Volunteer Income Tax Program (CVITP)", "Volunteer Tax Preparer", None),
    (["US Foods, Regional Director of Operations – Central Region"], "US Foods",
     "Regional Director of Operations – Central Region", None),
    (["Software Engineering Intern, REA Group, Melbourne", "VIC"], "REA Group", "Software Engineering Intern",
     "Melbourne, VIC"),
    (["Deputy Court Clerk, Fulton County Superior Court", "300+ claimants filed in Adobe Acrobat Pro"],
     "Fulton County Superior Court", "Deputy Court Clerk", None),
    (["Research Assistant, Department of Biochemistry", "National University of Singapore"],
     "National University of Singapore", "Research Assistant, Department of Biochemistry", None),
    (["Nippon Koei Co., Ltd. | Civil Engineer, Bridge Department", "Tokyo"], "Nippon Koei Co., Ltd.",
     "Civil Engineer, Bridge Department", "Tokyo"),
    (["Edinburgh May 2015 – Sept 2018", "Premier Inn, Guest Service Team Member (Reception)"], "Premier Inn",
     "Guest Service Team Member (Reception)", "Edinburgh"),
    (["Guest Service Team Member (Reception), Premier Inn"], "Premier Inn", "Guest Service Team Member (Reception)",
     None),
    (["Conseillère clientèle", "Orange", "Jun 2015 – Aug 2017", "Lyon"], "Orange", "Conseillère clientèle", "Lyon"),
    (["Sales Assistant (Casual), JB Hi-Fi, Chadstone, VIC"], "JB Hi-Fi", "Sales Assistant (Casual)",
     "Chadstone, VIC"),
    (["Senior Project Manager, Capital Projects — Ternium México, Pesquería, Nuevo León"], "Ternium México, Pesquería",
     "Senior Project Manager, Capital Projects", "Nuevo León"),
])
def test_entry_headers_are_split_into_title_employer_and_place(
        header: list[str], company: str, title: str, location: str | None) -> None:
    job = experience_from(Entry(header=header, body=[], dates=None), volunteer=False)
    assert job is not None
    assert (job.company, job.title, job.location) == (company, title, location)


def _laid_out(lines: list[tuple[str, float]]) -> Document:
    placed = [Line(text=text, font_size=size, bbox=(50.0, 60.0 + 30 * row, 400.0, 60.0 + 30 * row + size))
              for row, (text, size) in enumerate(lines)]
    return Document(source_format="pdf", pages=[Page(number=1, blocks=[Block(lines=placed)], width=595,
                                                     height=842)])


BODY = [("Experience", 14.0), ("03/2022 – Present", 10.0), ("Account Executive, TOTVS, São Paulo, SP", 10.0),
        ("Closed R$18.4M in new ARR in FY2025 across forty named enterprise accounts", 10.0)]


def test_a_large_name_wrapped_onto_two_lines_is_one_name() -> None:
    document = _laid_out([("João Pedro", 34.0), ("Albuquerque", 34.0), ("jp@example.com", 10.0), *BODY])
    assert parse(document).result.personal_info.name == "João Pedro Albuquerque"


def test_a_wrapped_surname_is_no_headline_and_a_wrapped_headline_is_one() -> None:
    document = _laid_out([("Lucía Fernández", 34.0), ("Ortega", 34.0), ("Environmental Engineering Graduate |", 17.0),
                          ("Conservation & Emergency Response", 17.0), ("Volunteer", 17.0), ("lucia@example.com", 10.0),
                          *BODY, ("Education", 14.0), ("MSc Environmental Engineering, 2026", 10.0), ("Skills", 14.0),
                          ("QGIS, R", 10.0)])
    result = parse(document).result
    assert result.personal_info.name == "Lucía Fernández Ortega"
    assert result.personal_info.label == ("Environmental Engineering Graduate | Conservation & Emergency Response "
                                          "Volunteer")
    assert [job.company for job in result.experience] == ["TOTVS"]


def test_a_name_and_headline_set_on_one_large_line_are_told_apart() -> None:
    document = _laid_out([("José Luis Garza Treviño Senior Project Manager, PMP", 34.0), ("Monterrey", 10.0),
                          ("Nuevo León", 10.0), ("jl@example.com", 10.0), *BODY])
    info = parse(document).result.personal_info
    assert info.name == "José Luis Garza Treviño"
    assert info.label == "Senior Project Manager, PMP"


def test_the_city_comes_from_the_gazetteer_not_from_the_line_beside_it() -> None:
    document = _laid_out([("Mei-Lin Tsang", 30.0), ("Toronto", 10.0), ("Ontario", 10.0), ("CA", 10.0),
                          ("mei@example.com", 10.0), *BODY])
    location = parse(document).result.personal_info.location
    assert location is not None and location.city == "Toronto" and location.country_code == "CA"


def test_a_headline_naming_a_town_does_not_become_the_candidates_city() -> None:
    document = document_from_text("João Pedro Albuquerque\nSenior Enterprise Account Executive\njp@example.com\n\n"
                                  "Experience\nAccount Executive, TOTVS    2019 – 2024\n• Closed new business\n")
    info = parse(document).result.personal_info
    assert info.label == "Senior Enterprise Account Executive"
    assert info.location is None or info.location.city != "Enterprise"


def test_a_tel_link_gives_the_country_a_printed_national_number_lacks() -> None:
    document = document_from_text("Ryota Nakamura\nryota@example.com    090-4382-1157\n\nExperience\n"
                                  "Apr 2020 – present\nStructural Engineer, Obayashi Corporation")
    document.links.append("tel:+81-90-4382-1157")
    info = parse(document).result.personal_info
    assert info.phone is not None and info.phone_e164 == "+819043821157"


def test_an_employer_sharing_a_row_with_the_dates_stays_in_the_header() -> None:
    """'Walgreen Co.' ends with a full stop but is no sentence: the date beside it does not push it out."""
    document = _laid_out([("Dana Whitfield", 30.0), ("dana@example.com", 10.0), ("Experience", 14.0),
                          ("Distribution Center Operations Manager    Perrysburg, OH", 10.0),
                          ("Walgreen Co.    Aug 2009 – Feb 2013", 10.0),
                          ("• Ran a 600,000 sq ft distribution centre with 350 associates", 10.0)])
    job = parse(document).result.experience[0]
    assert (job.company, job.title, job.location) == ("Walgreen Co.", "Distribution Center Operations Manager",
                                                      "Perrysburg, OH")


def test_headers_above_dates_that_stand_alone() -> None:
    """Each degree line above its own date row starts an entry, even after a line of courses."""
    document = document_from_text(
        "Aiko Tanaka\naiko@example.com\n\nEducation\n"
        "Master of Engineering in Civil and Earth Resources Engineering — Kyoto University\nApr 2014 – Mar 2016\n"
        "Courses: Structural Dynamics, Earthquake Engineering, Bridge Engineering, Concrete\n"
        "Bachelor of Engineering in Global Engineering — Kyoto University\nApr 2010 – Mar 2014\n")
    schools = parse(document).result.education
    assert [(school.degree, school.graduation_date) for school in schools] == [
        ("Master of Engineering", "2016-03"), ("Bachelor of Engineering", "2014-03")]


@pytest.mark.parametrize(("header", "degree", "institution"), [
    (["The University of Manchester", "BNurs (Hons) in Adult Nursing | 09/2015 - 07/2018"], "BNurs (Hons)",
     "The University of Manchester"),
    (["Bishop McNally High School, High School Diploma", "2010 – 2013"], "High School Diploma",
     "Bishop McNally High School"),
    (["University of the Witwatersrand    Feb 2010 – Nov 2013",
      "Bachelor of Commerce (BCom) in Industrial Psychology and Human Resource Management, with distinction"],
     "Bachelor of Commerce (BCom)", "University of the Witwatersrand"),
])
def test_degrees_abbreviated_named_after_a_school_or_on_a_long_line(
        header: list[str], degree: str, institution: str) -> None:
    lines = "\n".join(header)
    document = document_from_text(f"Mpho Dlamini\nmpho@example.com\n\nEducation\n{lines}\n")
    school = parse(document).result.education[0]
    assert (school.degree, school.institution) == (degree, institution)


@pytest.mark.parametrize(("line", "degree", "field"), [
    ("Postgraduate Certificate Critical Care Practice", "Postgraduate Certificate", "Critical Care Practice"),
    ("BNurs (Hons) Adult Nursing", "BNurs (Hons)", "Adult Nursing"),
    ("Bachelor of Science Informatics (Data Science option)", "Bachelor of Science",
     "Informatics (Data Science option)"),
    ("MBA Business Administration", "MBA", "Business Administration"),
    ("Bachelor of Commerce Honours (BCom Hons)", "Bachelor of Commerce Honours (BCom Hons)", None),
    ("Master of Science (M.Sc.)", "Master of Science (M.Sc.)", None),
])
def test_a_field_printed_straight_after_the_degree_is_told_from_it(line: str, degree: str, field: str | None) -> None:
    document = document_from_text(f"Mpho Dlamini\nmpho@example.com\n\nEducation\nUniversity of Salford    2022\n"
                                  f"{line}\n")
    school = parse(document).result.education[0]
    assert (school.degree, school.field_of_study) == (degree, field)


@pytest.mark.parametrize(("lines", "expected"), [
    (["Chartered Professional Accountant (CPA)    Feb 2020", "CPA Ontario",
      "Fall Protection    2023", "Alberta Construction Safety Association"],
     [("Chartered Professional Accountant (CPA)", "CPA Ontario", "2020-02"),
      ("Fall Protection", "Alberta Construction Safety Association", "2023")]),
    (["Professional Engineer, Japan (Gijutsushi) –", "Construction",
      "Issued by Ministry of Education, Culture, Sports, Science and Technology", "(MEXT)", "Mar 2022"],
     [("Professional Engineer, Japan (Gijutsushi) – Construction",
       "Ministry of Education, Culture, Sports, Science and Technology (MEXT)", "2022-03")]),
    (["• Certified Paralegal (CP), NALA – The Paralegal Association, 2019",
      "• Fall Protection, Alberta Construction Safety Association, 2023"],
     [("Certified Paralegal (CP)", "NALA – The Paralegal Association", "2019"),
      ("Fall Protection", "Alberta Construction Safety Association", "2023")]),
    (["Registered Pharmacist", "Pharmacists Council of Nigeria (PCN)", "Issued on: Nov 01, 2017"],
     [("Registered Pharmacist", "Pharmacists Council of Nigeria (PCN)", "2017-11")]),
])
def test_certifications_take_issuers_and_dates_from_the_lines_around_them(
        lines: list[str], expected: list[tuple[str, str, str]]) -> None:
    found = certifications_from(lines)
    assert [(c.name, c.issuer, c.date) for c in found] == expected


def test_skills_left_separated_by_single_spaces_are_split_where_the_taxonomy_knows_each() -> None:
    found = skills_from(["Python SQL Scala", "Apache Spark PySpark", "SAP SuccessFactors", "Great Expectations data"])
    assert [skill.skill for skill in found] == ["Python", "SQL", "Scala", "Apache Spark", "PySpark",
                                                "SAP SuccessFactors", "Great Expectations data"]


def test_separator_glyphs_a_scan_misreads_still_separate_skills() -> None:
    found = skills_from(["E-Discovery +- Document Review", "PACER/CM-ECF . iManage", "Adobe Acrobat Pro > MS Office",
                         "Research & Development"])
    assert [skill.skill for skill in found] == ["E-Discovery", "Document Review", "PACER/CM-ECF", "iManage",
                                                "Adobe Acrobat Pro", "MS Office", "Research & Development"]


def test_a_project_named_before_a_colon_on_its_only_line() -> None:
    document = document_from_text(
        "Dana Kim\ndana@example.com\n\nProjects\n"
        "dbt-spend (May 2023 – Present): Open-source dbt package that models warehouse usage views into cost-per-\n"
        "model marts for finance teams and their analysts.\n• Used by 50+ companies\n")
    project = parse(document).result.projects[0]
    assert (project.name, project.start_date) == ("dbt-spend", "2023-05")
    assert project.description is not None and project.description.startswith("Open-source dbt package")
    assert project.highlights == ["Used by 50+ companies"]


def test_a_sidebar_skill_list_read_under_the_first_heading_is_found() -> None:
    document = document_from_text(
        "Daniel Nguyen\nSenior Data Engineer\n\nAbout\nSeattle WA\ndaniel@example.com\n\nProgramming\nPython\nSQL\n"
        "Apache Spark\nData Contracts\nDocker\n\nData engineer with nine years of experience building batch and "
        "streaming pipelines for real-estate and healthcare companies.\n\nExperience\n03/2022 – Present\n"
        "Senior Data Engineer, Zillow\n")
    skills = [skill.skill for skill in parse(document).result.skills]
    assert {"Python", "SQL", "Apache Spark", "Docker"} <= set(skills)
    assert not any("experience" in skill for skill in skills)


def _placed(name: str, placed: list[tuple[str, float]]) -> Document:
    """A one-page document of a large name above lines at the given indents, one 16 pt row each."""
    lines = [Line(text=text, font_size=14.0 if row == 0 else 10.0, bbox=(x, 60.0 + 16 * row, 500.0, 70.0 + 16 * row))
             for row, (text, x) in enumerate(placed)]
    head = [Line(text=name, font_size=24.0, bbox=(50.0, 20.0, 300.0, 44.0))]
    return Document(source_format="pdf", pages=[Page(number=1, blocks=[Block(lines=head + lines)], width=595,
                                                     height=842)])


def test_a_year_in_a_wrapped_bullet_does_not_start_an_entry() -> None:
    placed = [("Experience", 50.0), ("Staff Nurse, Royal Infirmary    2019 – present", 50.0),
              ("• Practice Assessor for pre-registration student nurses from the University of", 62.0),
              ("Manchester (12 students supported since 2022)", 70.0),
              ("• Led a pressure ulcer prevention audit across the unit", 62.0),
              ("Staff Nurse, Salford Royal Hospital    2016 – 2019", 50.0),
              ("• Cared for 8 patients per shift, including those on NIV", 62.0)]
    jobs = parse(_placed("Chloe Barnes", placed)).result.experience
    assert [(job.title, job.start_date) for job in jobs] == [("Staff Nurse", "2019"), ("Staff Nurse", "2016")]
    assert "Manchester (12 students supported since 2022)" in jobs[0].highlights[0]


def test_an_employer_a_hair_right_of_the_bullets_above_it_starts_the_next_entry() -> None:
    placed = [("Experience", 50.0), ("Midwest Provisions Group    Chicago, IL", 50.0),
              ("Vice President, Supply Chain Operations    Feb 2020 – Present", 50.0),
              ("• Presented network recommendations to the leadership team", 50.0),
              ("Kraft Heinz    Chicago, IL", 53.0),
              ("Senior Manager, Distribution Network Strategy    Mar 2013 – Apr 2016", 53.0),
              ("• Led distribution network design studies covering 14 plants", 50.0),
              ("and 22 distribution centers", 62.0)]
    jobs = parse(_placed("Robert Kowalczyk", placed)).result.experience
    assert [job.company for job in jobs] == ["Midwest Provisions Group", "Kraft Heinz"]
    assert jobs[1].highlights == ["Led distribution network design studies covering 14 plants and 22 distribution "
                                  "centers"]


def test_contact_details_read_after_the_main_column_still_give_the_city() -> None:
    body = "\n".join(f"• Delivered project number {row} on time and under budget" for row in range(36))
    document = document_from_text(f"Jonas Müller\nEntwicklungsingenieur\n\nExperience\nBosch    2019 – 2024\n"
                                  f"Engineer\n{body}\n\nAbout\nStuttgart, Germany\nj.mueller@mailbox.org\n")
    info = parse(document).result.personal_info
    assert info.location is not None and info.location.city == "Stuttgart"


FRAGMENTS = ["Experience", "Certifications", "Languages", "Education", "Projects", "Issued by", "(", ")", "((", "–",
             ",", ":", "since 2022", "2019 – present", "Jan 2020 - Mar 2021", "BNurs (Hons)", "Deutsch (Muttersprache",
             "Senior Engineer, Department of X", "Acme Co., Ltd.", "1450 N Dayton St", "Lyon", "Orange", "•", "e",
             "linkedin.com/in /x", "a@b", "Ministry of Y", "of", "\u200b", "Zoë"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map(" ".join), max_size=30))
def test_any_arrangement_of_header_and_entry_fragments_parses(lines: list[str]) -> None:
    """No mix of the pieces the entry rules look at makes the parser fail or return an empty name."""
    result = parse(document_from_text("Jane Doe\njane@example.com\n\n" + "\n".join(lines))).result
    assert all(c.name.strip() for c in result.certifications)
    assert all(language.language.strip() for language in result.languages)
    assert all(job.title or job.company for job in result.experience)


def test_no_line_of_a_resume_is_remembered_after_its_parse() -> None:
    outcome = parse(document_from_text("Ada Lovelace\nEXPERIENCE\nAnalyst, Babbage & Co\nJan 2020 - Present\n"))
    assert outcome.result.experience and outcome.result.experience[0].start_date == "2020-01"
    assert find_ranges.cache_info().currsize == 0


@pytest.mark.parametrize("order", ["school first", "degree first"])
def test_undated_schools_and_degrees_listed_line_by_line_make_one_entry_per_pair(order: str) -> None:
    pairs = [("EGADE Business School, Tecnológico de Monterrey", "MBA Business Administration"),
             ("Tecnológico de Monterrey", "Bachelor of Science Industrial and Systems Engineering")]
    lines = [line for school, degree in pairs for line in ((school, degree) if order == "school first"
                                                           else (degree, school))]
    document = document_from_text("Ana Ruiz\nana@example.com\n\nEducation\n" + "\n".join(lines) + "\n")
    schools = parse(document).result.education
    assert [(school.institution, school.degree) for school in schools] == [
        ("EGADE Business School, Tecnológico de Monterrey", "MBA"),
        ("Tecnológico de Monterrey", "Bachelor of Science")]


def _cells(name: str, cells: list[tuple[str, float, float, bool]]) -> Document:
    """A one-page document of a large name above text cells (text, left edge, top, bold) in reading order."""
    lines = [Line(text=text, font_size=14.0 if text == "Education" else 10.0, bold=bold,
                  bbox=(x, top, x + 6.0 * len(text), top + 10.0)) for text, x, top, bold in cells]
    head = [Line(text=name, font_size=24.0, bbox=(50.0, 20.0, 300.0, 44.0))]
    return Document(source_format="pdf", pages=[Page(number=1, blocks=[Block(lines=head + lines)], width=595,
                                                     height=842)])


def test_a_degree_wrapped_in_a_narrow_column_beside_the_school_is_read_whole() -> None:
    cells = [("Education", 57.0, 80.0, True),
             ("Sept 2012 – Apr 2017", 464.0, 100.0, False),
             ("Bachelor of Accounting and Financial", 62.0, 100.5, True),
             ("University of Waterloo, Accounting and Financial Management", 94.0, 100.5, False),
             ("Management (BAFM)", 62.0, 113.0, True),
             ("Sept 2008 – June 2012", 464.0, 140.0, False),
             ("Postgraduate", 62.0, 140.5, True),
             ("University of Toronto, Economics", 94.0, 140.5, False),
             ("Certificate", 62.0, 153.0, True)]
    schools = parse(_cells("Priya Raman", cells)).result.education
    assert [(school.degree, school.institution, school.graduation_date) for school in schools] == [
        ("Bachelor of Accounting and Financial Management (BAFM)", "University of Waterloo", "2017-04"),
        ("Postgraduate Certificate", "University of Toronto", "2012-06")]


def test_rows_of_one_column_under_each_other_are_not_joined() -> None:
    cells = [("Education", 57.0, 80.0, True), ("Bachelor of Science", 62.0, 100.0, True),
             ("University of Leeds", 62.0, 113.0, True), ("Master of Science", 62.0, 140.0, True),
             ("University of York", 62.0, 153.0, True)]
    schools = parse(_cells("Priya Raman", cells)).result.education
    assert [(school.degree, school.institution) for school in schools] == [
        ("Bachelor of Science", "University of Leeds"), ("Master of Science", "University of York")]


@pytest.mark.parametrize(("header", "degree", "institution", "field"), [
    ("BNurs (Hons) The University of Manchester, Adult Nursing", "BNurs (Hons)", "The University of Manchester",
     "Adult Nursing"),
    ("MEng Kyoto University, Civil and Earth Resources Engineering", "MEng", "Kyoto University",
     "Civil and Earth Resources Engineering"),
])
def test_a_degree_run_into_the_school_on_one_line_is_told_apart(header: str, degree: str, institution: str,
                                                                  field: str) -> None:
    school = education_from(Entry(header=[header, "Sept 2015 – July 2018"], body=[], dates=None))
    assert school is not None
    assert (school.degree, school.institution, school.field_of_study) == (degree, institution, field)


def test_a_degree_level_alone_goes_on_in_the_next_piece() -> None:
    school = education_from(Entry(header=["Bachelor’s Uniwersytet Ekonomiczny w Krakowie,", "Degree (Licencjat)",
                                          "Tourism and Recreation"], body=[], dates=None))
    assert school is not None
    assert (school.degree, school.field_of_study) == ("Bachelor’s Degree (Licencjat)", "Tourism and Recreation")
