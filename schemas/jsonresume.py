"""A resume in the JSON Resume v1.0.0 shape (https://jsonresume.org/schema), as `?format=jsonresume` answers it.

Field names follow the standard (camelCase); empty fields are left out. `schemas/jsonresume.schema.json`
describes the subset emitted here, with no extra properties allowed, so a document valid against it is also
valid against the public schema.
"""

from __future__ import annotations

import msgspec

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"


class _Part(msgspec.Struct, kw_only=True, omit_defaults=True, rename="camel"):
    """Keyword-only, camelCase on the wire, empty fields omitted."""


class JrLocation(_Part):
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country_code: str | None = None
    region: str | None = None


class JrProfile(_Part):
    network: str | None = None
    username: str | None = None
    url: str | None = None


class JrBasics(_Part):
    name: str | None = None
    label: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    summary: str | None = None
    location: JrLocation | None = None
    profiles: list[JrProfile] = []


class JrWork(_Part):
    name: str | None = None
    location: str | None = None
    position: str | None = None
    url: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    summary: str | None = None
    highlights: list[str] = []


class JrVolunteer(_Part):
    organization: str | None = None
    position: str | None = None
    url: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    summary: str | None = None
    highlights: list[str] = []


class JrEducation(_Part):
    institution: str | None = None
    url: str | None = None
    area: str | None = None
    study_type: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    score: str | None = None
    courses: list[str] = []


class JrAward(_Part):
    title: str | None = None
    date: str | None = None
    awarder: str | None = None
    summary: str | None = None


class JrCertificate(_Part):
    name: str | None = None
    date: str | None = None
    url: str | None = None
    issuer: str | None = None


class JrPublication(_Part):
    name: str | None = None
    publisher: str | None = None
    release_date: str | None = None
    url: str | None = None
    summary: str | None = None


class JrSkill(_Part):
    name: str | None = None
    level: str | None = None
    keywords: list[str] = []


class JrLanguage(_Part):
    language: str | None = None
    fluency: str | None = None


class JrInterest(_Part):
    name: str | None = None
    keywords: list[str] = []


class JrReference(_Part):
    name: str | None = None
    reference: str | None = None


class JrProject(_Part):
    name: str | None = None
    description: str | None = None
    highlights: list[str] = []
    keywords: list[str] = []
    start_date: str | None = None
    end_date: str | None = None
    url: str | None = None


class JsonResume(_Part):
    schema: str = msgspec.field(name="$schema")
    basics: JrBasics = msgspec.field(default_factory=JrBasics)
    work: list[JrWork] = []
    volunteer: list[JrVolunteer] = []
    education: list[JrEducation] = []
    awards: list[JrAward] = []
    certificates: list[JrCertificate] = []
    publications: list[JrPublication] = []
    skills: list[JrSkill] = []
    languages: list[JrLanguage] = []
    interests: list[JrInterest] = []
    references: list[JrReference] = []
    projects: list[JrProject] = []
