"""Contact details: phones in several countries (property tests), emails, profiles and locations."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.parse.contact import find_emails, find_phones, find_urls, parse_location, profile_for

REGIONS = ["US", "GB", "DE", "FR", "ES", "IN", "BR", "CA", "AU", "NL"]


@st.composite
def phone_numbers(draw: st.DrawFn) -> tuple[str, str]:
    region = draw(st.sampled_from(REGIONS))
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    assert example is not None
    style = draw(st.sampled_from([phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                                  phonenumbers.PhoneNumberFormat.E164]))
    return phonenumbers.format_number(example, style), phonenumbers.format_number(
        example, phonenumbers.PhoneNumberFormat.E164)


@settings(max_examples=60)
@given(phone_numbers(), st.sampled_from(["Phone: {}", "{} | jane@example.com", "Mobile {} · Berlin"]))
def test_international_numbers_are_found_with_e164(number: tuple[str, str], template: str) -> None:
    written, e164 = number
    found = find_phones(template.format(written), None)
    assert found and found[0][1] == e164


def test_national_number_uses_the_known_country() -> None:
    assert find_phones("(206) 555-0147", "US")[0] == ("(206) 555-0147", "+12065550147")
    assert find_phones("Worked 2019 - 2021", "US") == []


def test_emails_urls_and_profiles() -> None:
    text = "jane.doe+cv@example.co.uk | linkedin.com/in/jane-doe | https://github.com/janedoe | janedoe.dev"
    assert find_emails(text) == ["jane.doe+cv@example.co.uk"]
    urls = find_urls(text)
    assert "https://linkedin.com/in/jane-doe" in urls and "https://janedoe.dev" in urls
    profile = profile_for("https://www.linkedin.com/in/jane-doe/")
    assert profile is not None and (profile.network, profile.username) == ("LinkedIn", "jane-doe")
    github = profile_for("github.com/janedoe")
    assert github is not None and github.network == "GitHub" and github.username == "janedoe"
    assert profile_for("https://janedoe.dev") is None


@pytest.mark.parametrize(
    ("text", "city", "region", "code"),
    [
        ("Seattle, WA", "Seattle", "WA", "US"),
        ("Toronto, Ontario, CA", "Toronto", "Ontario", "CA"),
        ("Berlin, Germany", "Berlin", None, "DE"),
        ("Amsterdam, Noord-Holland, NL", "Amsterdam", "Noord-Holland", "NL"),
    ],
)
def test_locations(text: str, city: str, region: str | None, code: str) -> None:
    location = parse_location(text)
    assert location is not None
    assert (location.city, location.region, location.country_code) == (city, region, code)


def test_emails_broken_by_narrow_columns_or_scans_are_rejoined() -> None:
    assert find_emails("Calgary AB\ntyler.beaulieu@example.\ncom\n(403) 555-0128") == ["tyler.beaulieu@example.com"]
    assert find_emails("M camille. lefevre@example.com") == ["camille.lefevre@example.com"]
    assert find_emails("Managed budgets. Contact: jane@example.com") == ["jane@example.com"]
