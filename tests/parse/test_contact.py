"""Contact details: phones in several countries (property tests), emails, profiles and locations."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import document_from_text
from pipeline.extract.text import markdown_document
from pipeline.parse import parse
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
        ("Chadstone, VIC", "Chadstone", "VIC", "AU"),
        ("1450 N Dayton St, Chicago, IL, US, 60642", "Chicago", "IL", "US"),
        ("Hauptstraße 12, Berlin, Germany", "Berlin", None, "DE"),
        ("12 rue de la Paix, Paris, France", "Paris", None, "FR"),
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


def test_a_scholar_profile_takes_its_user_from_the_query() -> None:
    profile = profile_for("https://scholar.google.com/citations?user=WLlim_sg")
    assert profile is not None and (profile.network, profile.username) == ("Google Scholar", "WLlim_sg")


def test_the_website_is_the_candidates_not_an_employer_named_in_the_summary() -> None:
    document = document_from_text(
        "Sanne de Vries\nSenior UX Designer\nUX designer with nine years of experience. Currently shaping the "
        "payments experience at Booking.com.\nsanne@example.com    sannedevries.design\n\nExperience\n"
        "2021 – present\nSenior UX Designer, Booking.com")
    assert parse(document).result.personal_info.url == "https://sannedevries.design"


def test_underscores_inside_markdown_links_are_not_emphasis() -> None:
    document = markdown_document("# Wei Ling Lim\nScholar: [scholar.google.com/citations?user=WL_lim_sg]"
                                 "(https://scholar.google.com/citations?user=WL_lim_sg) · _Singapore_")
    text = " ".join(line.text for page in document.pages for block in page.blocks for line in block.lines)
    assert "user=WL_lim_sg" in text and "· Singapore" in text and "_Singapore_" not in text


def test_what_a_scan_breaks_in_contact_details_is_mended() -> None:
    assert find_emails("Melbourne VIC AU\nzoe.papadopoulos@exa\nmple.net\n+61 491 570 156") == [
        "zoe.papadopoulos@example.net"]
    assert find_urls("in linkedin.com/in /robertkowalczyk") == ["https://linkedin.com/in/robertkowalczyk"]
    profile = profile_for("inkedin.com/in/thandiwe-mokoena-hr")
    assert profile is not None and profile.network == "LinkedIn"
    assert profile.url == "https://linkedin.com/in/thandiwe-mokoena-hr"


def test_a_sidebar_contact_block_under_a_heading_gives_the_city_but_a_street_does_not() -> None:
    sidebar = document_from_text("Chloe Barnes\nCritical Care Staff Nurse\n\nAbout\n\nManchester Greater\n"
                                 "Manchester M14 5RT\nGB\n\nchloe@example.com\n\nExperience\n"
                                 "2019 – present\nStaff Nurse, Royal Infirmary\n")
    location = parse(sidebar).result.personal_info.location
    assert location is not None and location.city == "Manchester"
    street = document_from_text("Robert Kowalczyk\n1450 N Dayton St - 60642 Chicago — IL\nrob@example.com\n\n"
                                "Experience\n2020 – present\nVice President, Midwest Provisions Group\n")
    location = parse(street).result.personal_info.location
    assert location is not None and location.city == "Chicago"


def test_profiles_listed_in_their_own_section_at_the_end_are_found() -> None:
    document = document_from_text(
        "Jonas Müller\nStuttgart, DE    j.mueller@mailbox.org\n\nExperience\nBosch    2019 – 2024\nEngineer\n\n"
        "Profiles\nXING: https://www.xing.com/profile/Jonas_Mueller42\nDribbble: https://dribbble.com/jmueller\n\n"
        "Interests\nCycling\n")
    profiles = {profile.network: profile.url for profile in parse(document).result.personal_info.profiles}
    assert profiles == {"XING": "https://www.xing.com/profile/Jonas_Mueller42",
                        "Dribbble": "https://dribbble.com/jmueller"}


def test_a_city_sharing_its_line_with_the_email_address_is_found() -> None:
    document = document_from_text("Lucía Fernández\nValencia, Comunidad    lucia.fernandez@example.com\n"
                                  "Valenciana, ES\n\nExperience\nCruz Roja    2021 – 2023\nVolunteer\n")
    location = parse(document).result.personal_info.location
    assert location is not None and (location.city, location.country_code) == ("Valencia", "ES")


def test_a_network_named_above_a_bare_handle_is_a_profile_with_its_address() -> None:
    document = document_from_text("Sanne van den Broek\nsanne@example.com\n\nExperience\nMirabeau    2019 – 2021\n"
                                  "Designer\n\nProfiles\nLinkedIn\nsannevandenbroek\nDribbble\nsannevdb\n")
    profiles = [(p.network, p.username, p.url) for p in parse(document).result.personal_info.profiles]
    assert profiles == [("LinkedIn", "sannevandenbroek", "https://www.linkedin.com/in/sannevandenbroek"),
                        ("Dribbble", "sannevdb", "https://dribbble.com/sannevdb")]
