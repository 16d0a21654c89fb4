"""Contact details: email, phone (with E.164 where the country is known), URLs, profiles and location."""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import parse_qs, urlsplit, urlunsplit

import phonenumbers

from schemas.result import Location, Profile

EMAIL: Final = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w])", re.IGNORECASE)
URL: Final = re.compile(
    r"(?<![@\w])(?:https?://)?(?:www\.)?(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|me|de|fr|es|pt|nl|uk|ca|co|ai|app|"
    r"design|info|eu|ch|at|be|us|tech|xyz|page|site|blog|online|br|mx|ar|cl|it|se|no|dk|fi|pl|in|au|nz|jp)"
    r"(?:/[\w\-./%#?=&~+]*)?(?![\w@])",
    re.IGNORECASE,
)

NETWORKS: Final = {
    "linkedin.com": "LinkedIn", "github.com": "GitHub", "gitlab.com": "GitLab", "twitter.com": "Twitter",
    "x.com": "X", "stackoverflow.com": "Stack Overflow", "behance.net": "Behance", "dribbble.com": "Dribbble",
    "medium.com": "Medium", "xing.com": "XING", "kaggle.com": "Kaggle", "orcid.org": "ORCID",
    "scholar.google.com": "Google Scholar", "researchgate.net": "ResearchGate", "bitbucket.org": "Bitbucket",
    "instagram.com": "Instagram", "facebook.com": "Facebook", "youtube.com": "YouTube",
}
NETWORK_WORDS: Final = {name.lower(): name for name in NETWORKS.values()}
# Where a network keeps a user's page, for a profile written as a bare handle ('LinkedIn' above 'jdoe').
_PROFILE_PAGES: Final = {
    "LinkedIn": "https://www.linkedin.com/in/{}", "XING": "https://www.xing.com/profile/{}",
    "Medium": "https://medium.com/@{}", "YouTube": "https://www.youtube.com/@{}",
    **{network: f"https://{domain}/{{}}" for domain, network in NETWORKS.items()
       if network in ("GitHub", "GitLab", "Twitter", "X", "Behance", "Dribbble", "Kaggle", "ORCID", "Bitbucket",
                      "Instagram", "Facebook")},
}


def profile_url(network: str, username: str) -> str | None:
    """The address of `username`'s page on `network`, where the network's pages follow one pattern."""
    page = _PROFILE_PAGES.get(network)
    return page.format(username) if page else None

COUNTRIES: Final = {
    "us": "US", "usa": "US", "united states": "US", "united states of america": "US", "uk": "GB",
    "united kingdom": "GB", "england": "GB", "scotland": "GB", "germany": "DE", "deutschland": "DE",
    "france": "FR", "spain": "ES", "españa": "ES", "portugal": "PT", "canada": "CA", "netherlands": "NL",
    "the netherlands": "NL", "nederland": "NL", "belgium": "BE", "switzerland": "CH", "schweiz": "CH",
    "austria": "AT", "österreich": "AT", "italy": "IT", "italia": "IT", "ireland": "IE", "sweden": "SE",
    "norway": "NO", "denmark": "DK", "finland": "FI", "poland": "PL", "polska": "PL", "india": "IN",
    "australia": "AU", "new zealand": "NZ", "brazil": "BR", "brasil": "BR", "mexico": "MX", "méxico": "MX",
    "argentina": "AR", "chile": "CL", "colombia": "CO", "japan": "JP", "china": "CN", "singapore": "SG",
    "south africa": "ZA", "nigeria": "NG", "kenya": "KE", "egypt": "EG", "israel": "IL", "turkey": "TR",
    "greece": "GR", "czech republic": "CZ", "czechia": "CZ", "hungary": "HU", "romania": "RO", "peru": "PE",
    "philippines": "PH", "vietnam": "VN", "korea": "KR", "south korea": "KR", "united arab emirates": "AE",
    "uae": "AE",
}
COUNTRY_CODES: Final = set(COUNTRIES.values())
US_STATES: Final = set(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC".split()
)
CA_PROVINCES: Final = set("AB BC MB NB NL NS NT NU ON PE QC SK YT".split())
AU_STATES: Final = set("NSW VIC QLD TAS ACT".split())
_LOCATION: Final = re.compile(
    r"(?P<city>[A-ZÀ-Ý][\w'’.-]*(?:[ -][A-ZÀ-Ý][\w'’.-]*){0,3})\s*,\s*"
    r"(?P<region>[A-ZÀ-Ý][\w'’.-]*(?:[ -][A-ZÀ-Ýa-zà-ÿ][\w'’.-]*){0,3})"
    r"(?:\s*,\s*(?P<country>[A-ZÀ-Ý][\w'’.-]*(?:\s[A-Z][\w'’.-]*){0,3}))?"
)


_WRAPPED_DOMAIN: Final = re.compile(r"(@[\w-]+(?:\.[\w-]+)*(?:\.\s*\n\s*|\s*\n\s*\.))([a-z]{2,6})\b")
_SPACED_LOCAL: Final = re.compile(r"(?<![\w.])([\w-]+)\.\s(?=[\w.+-]+@)")


_SPLIT_DOMAIN: Final = re.compile(r"(@[\w-]+)\n([\w-]+(?:\.[\w-]+)*\.[a-z]{2,})\b")


def find_emails(text: str) -> list[str]:
    """E-mail addresses, also when a narrow column wrapped the domain (at a dot or inside a word) or a scan put
    a space after a dot."""
    text = _WRAPPED_DOMAIN.sub(lambda m: re.sub(r"\s+", "", m.group(1)).rstrip(".") + "." + m.group(2), text)
    text = _SPLIT_DOMAIN.sub(r"\1\2", text)
    text = "\n".join(_SPACED_LOCAL.sub(r"\1.", line) if len(line) < 80 else line for line in text.split("\n"))
    return list(dict.fromkeys(match.group(0).strip(".") for match in EMAIL.finditer(text)))


def find_phones(text: str, region: str | None) -> list[tuple[str, str | None]]:
    """(phone as written, E.164 or None) for each phone number in the text."""
    found: list[tuple[str, str | None]] = []
    for match in phonenumbers.PhoneNumberMatcher(text, region or "US", leniency=phonenumbers.Leniency.POSSIBLE):
        raw = match.raw_string.strip()
        digits = re.sub(r"\D", "", raw)
        if len(digits) < 7 or re.fullmatch(r"(19|20)\d{2}\s*[-–]\s*(19|20)\d{2}", raw):
            continue
        number = match.number
        e164 = None
        known_country = raw.startswith("+") or region is not None
        if known_country and phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        found.append((raw, e164))
    return found


def normalise_url(url: str) -> str:
    url = url.strip().rstrip(".,;)")
    if url.lower().startswith("mailto:") or url.lower().startswith("tel:"):
        return url
    return url if url.lower().startswith(("http://", "https://")) else "https://" + url


_SPACED_PATH: Final = re.compile(r"(\.[a-z]{2,}/[\w-]+)\s+(?=/[\w-])")


def find_urls(text: str) -> list[str]:
    """URLs as written; a path a scan split at a slash ('linkedin.com/in /jane') is joined."""
    text = _SPACED_PATH.sub(r"\1", text)
    urls = []
    for match in URL.finditer(text):
        candidate = match.group(0)
        if "@" in text[max(0, match.start() - 1) : match.start()] or "." not in candidate:
            continue
        urls.append(normalise_url(candidate))
    return list(dict.fromkeys(urls))


def profile_for(url: str) -> Profile | None:
    """The social or code profile a URL points to, with the username from its path. A well-known domain that
    lost its first letter to an icon beside it in a scan ('inkedin.com') is that network's."""
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    for domain, network in NETWORKS.items():
        if len(domain) > 8 and host == domain[1:]:
            host, url = domain, urlunsplit((parts.scheme or "https", domain, parts.path, parts.query, ""))
        if host == domain or host.endswith("." + domain):
            segments = [s for s in parts.path.split("/") if s]
            prefixed = segments and segments[0] in ("in", "pub", "u", "user", "users", "profile", "company")
            username = segments[1] if prefixed and len(segments) > 1 else (segments[0] if segments else None)
            queried = parse_qs(parts.query).get("user")
            if queried:
                username = queried[0]
            return Profile(network=network, url=normalise_url(url), username=username)
    return None


# A street address: '1450 N Dayton St', '12 rue de la Paix,', 'Hauptstraße 12,', with the comma after it.
STREET_ADDRESS: Final = re.compile(
    r"\b\d+[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'.-]*\s+){0,3}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|"
    r"Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|Terrace|Crescent|Highway|Hwy)\b\.?(?:\s*,\s*)?"
    r"|(?i:\b\d+\s*,?\s*(?:rue|avenue|bd|calle|c/|avenida|av\.|rua|via|viale|piazza)\b[^,]*,\s*)"
    r"|(?i:[^,]*?(?:straße|strasse|str\.|weg|gasse|platz|allee|laan|straat|gracht)\s*\d+\w?\s*,\s*)")


_DIGIT: Final = re.compile(r"\d")


def parse_location(text: str) -> Location | None:
    """'Seattle, WA', 'Toronto, Ontario, CA', 'Berlin, Germany', 'Amsterdam, Noord-Holland, NL'; a street address
    before the city ('1450 N Dayton St, Chicago, IL') is passed over."""
    # Every form of street address has a house number; most lines have no digit to start one.
    for match in _LOCATION.finditer(STREET_ADDRESS.sub("", text) if _DIGIT.search(text) else text):
        city, region, country = match.group("city"), match.group("region"), match.group("country")
        region_key = region.strip().lower()
        if country is None and region_key in COUNTRIES:
            return Location(city=city, country=region.strip(), country_code=COUNTRIES[region_key])
        if country is None and region.strip() in COUNTRY_CODES:
            return Location(city=city, country_code=region.strip())
        if country is None and region.strip() in US_STATES:
            return Location(city=city, region=region.strip(), country_code="US")
        if country is None and region.strip() in CA_PROVINCES:
            return Location(city=city, region=region.strip(), country_code="CA")
        if country is None and region.strip() in AU_STATES:
            return Location(city=city, region=region.strip(), country_code="AU")
        if country is not None:
            key = country.strip().lower()
            code = COUNTRIES.get(key) or (country.strip() if country.strip() in COUNTRY_CODES else None)
            if code is not None:
                named = country.strip() if key in COUNTRIES else None
                return Location(city=city, region=region.strip(), country=named, country_code=code)
    return None
