"""Dates and ranges as resumes write them (property tests over generated dates and formats)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.parse.dates import find_ranges, is_mostly_date, parse_range

MONTH_NAMES = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "en_long": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
}
PRESENT = ["Present", "present", "Current", "Now", "heute", "aujourd'hui", "actualidad", "atual"]
SEPARATORS = [" - ", " – ", " — ", "–", " to ", " bis "]
months = st.integers(min_value=1, max_value=12)
years = st.integers(min_value=1975, max_value=2030)


def render(year: int, month: int, style: str) -> str:
    if style == "numeric":
        return f"{month:02d}/{year}"
    if style == "iso":
        return f"{year}-{month:02d}"
    return f"{MONTH_NAMES[style][month - 1]} {year}"


@given(years, months, years, months, st.sampled_from(["numeric", "iso", *MONTH_NAMES]), st.sampled_from(SEPARATORS))
def test_closed_ranges_round_trip(y1: int, m1: int, y2: int, m2: int, style: str, separator: str) -> None:
    text = render(y1, m1, style) + separator + render(y2, m2, style)
    found = parse_range(f"Engineer | {text}")
    assert found is not None
    assert (found.start, found.end, found.current) == (f"{y1}-{m1:02d}", f"{y2}-{m2:02d}", False)


@given(years, months, st.sampled_from(["numeric", "iso", "en", "de", "fr"]), st.sampled_from(PRESENT))
def test_open_ranges_are_current(year: int, month: int, style: str, present: str) -> None:
    found = parse_range(render(year, month, style) + " – " + present)
    assert found is not None
    assert (found.start, found.end, found.current) == (f"{year}-{month:02d}", None, True)


@given(years, years)
def test_year_ranges(start: int, end: int) -> None:
    found = parse_range(f"{start} - {end}")
    assert found is not None and (found.start, found.end) == (str(start), str(end))


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("2019–21", "2019", "2021", False),
        ("Summer 2018", "2018-06", None, False),
        ("seit 2021", "2021", None, True),
        ("depuis mars 2020", "2020-03", None, True),
        ("desde 2019", "2019", None, True),
        ("2020-03 —", "2020-03", None, True),
        ("Sept 2019 – Dec 2021", "2019-09", "2021-12", False),
        ("Mar, 2022 - Present", "2022-03", None, True),
        ("enero de 2019 - actualidad", "2019-01", None, True),
        ("Jan. 2015 to Feb. 2016", "2015-01", "2016-02", False),
    ],
)
def test_common_forms(text: str, start: str, end: str | None, current: bool) -> None:
    found = parse_range(text)
    assert found is not None
    assert (found.start, found.end, found.current) == (start, end, current)


def test_no_dates_in_plain_numbers() -> None:
    assert find_ranges("Managed 120 people and 3500 accounts") == ()
    assert is_mostly_date("01/2020 – 03/2022")
    assert not is_mostly_date("Senior Engineer at Acme 2020")
