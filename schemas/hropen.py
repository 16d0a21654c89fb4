"""A candidate in the style of the HR Open Standards Candidate 4.x (HR-JSON), as `?format=hropen` answers it.

The subset a parsed resume fills: the person's name and communication, employment and education history,
competencies (the normalised skills), certifications and languages. Names are HR Open's camelCase ones; empty
fields are left out. `schemas/hropen.schema.json` describes exactly this subset.
"""

from __future__ import annotations

import msgspec


class _Part(msgspec.Struct, kw_only=True, omit_defaults=True, rename="camel"):
    """Keyword-only, camelCase on the wire, empty fields omitted."""


class HrName(_Part):
    formatted_name: str | None = None
    given: str | None = None
    family: str | None = None


class HrAddress(_Part):
    city: str | None = None
    country_sub_divisions: list[str] = []
    country_code: str | None = None


class HrPhone(_Part):
    formatted_number: str
    dial_number: str | None = None


class HrEmail(_Part):
    address: str


class HrWeb(_Part):
    url: str
    name: str | None = None


class HrCommunication(_Part):
    address: list[HrAddress] = []
    phone: list[HrPhone] = []
    email: list[HrEmail] = []
    web: list[HrWeb] = []


class HrPerson(_Part):
    name: HrName = msgspec.field(default_factory=HrName)
    communication: HrCommunication = msgspec.field(default_factory=HrCommunication)


class HrOrganization(_Part):
    name: str


class HrPosition(_Part):
    title: str | None = None
    start: str | None = None
    end: str | None = None
    current: bool = False
    employment_type: str | None = None
    description: str | None = None


class HrEmployment(_Part):
    organization: HrOrganization | None = None
    location: str | None = None
    start: str | None = None
    end: str | None = None
    current: bool = False
    position_histories: list[HrPosition] = []


class HrDegree(_Part):
    name: str | None = None
    major_program_names: list[str] = []
    date: str | None = None


class HrEducation(_Part):
    institution: HrOrganization | None = None
    start: str | None = None
    end: str | None = None
    education_score: str | None = None
    education_degrees: list[HrDegree] = []


class HrCompetency(_Part):
    competency_name: str
    competency_id: str | None = None
    category: str | None = None
    proficiency_level: str | None = None
    years_of_experience: float | None = None
    last_used_date: str | None = None


class HrCertification(_Part):
    name: str
    issuing_authority: HrOrganization | None = None
    first_issued_date: str | None = None


class HrLanguage(_Part):
    name: str
    proficiency: str | None = None
    level: str | None = None


class HrCandidate(_Part):
    person: HrPerson = msgspec.field(default_factory=HrPerson)
    executive_summary: str | None = None
    employment_history: list[HrEmployment] = []
    education_history: list[HrEducation] = []
    qualifications: list[HrCompetency] = []
    certifications: list[HrCertification] = []
    languages: list[HrLanguage] = []
