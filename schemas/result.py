"""The structured resume (`result`) and the derived objects (`ai_features`, `matching`, `checks`)."""

from __future__ import annotations

from typing import Literal

import msgspec

from schemas.base import Base

ExperienceType = Literal[
    "full-time", "part-time", "contract", "freelance", "internship", "volunteer", "temporary", "apprenticeship",
    "self-employed", "other",
]
Proficiency = Literal["expert", "advanced", "intermediate", "basic"]
LanguageLevel = Literal["native", "fluent", "professional", "intermediate", "basic"]
MatchMethod = Literal["exact", "alias", "fuzzy", "implied"]
SkillType = Literal["hard", "soft"]
Seniority = Literal["intern", "junior", "mid", "senior", "lead", "manager", "director", "executive"]
DegreeLevel = Literal["secondary", "associate", "bachelor", "master", "doctorate"]
WorkMode = Literal["remote", "hybrid", "on-site"]
ScoreComponentName = Literal["skills", "occupation", "experience", "education", "title", "languages", "location"]


class Location(Base, omit_defaults=True):
    city: str | None = None
    region: str | None = None
    country: str | None = None
    country_code: str | None = None


class Profile(Base):
    network: str
    url: str | None = None
    username: str | None = None


class PersonalInfo(Base):
    name: str | None = None
    label: str | None = None
    email: str | None = None
    phone: str | None = None
    phone_e164: str | None = None
    url: str | None = None
    location: Location | None = None
    profiles: list[Profile] = []


class Experience(Base):
    type: ExperienceType = "full-time"
    company: str | None = None
    title: str | None = None
    location: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    current: bool = False
    description: str | None = None
    highlights: list[str] = []


class Education(Base):
    institution: str | None = None
    degree: str | None = None
    field_of_study: str | None = None
    start_date: str | None = None
    graduation_date: str | None = None
    gpa: str | None = None
    location: str | None = None
    courses: list[str] = []


class Skill(Base):
    skill: str
    skill_id: str | None = None
    category: str | None = None
    skill_type: SkillType | None = None
    match_method: MatchMethod | None = None
    confidence: float | None = None
    proficiency: Proficiency | None = None
    proficiency_score: float | None = None
    years_experience: float | None = None
    last_used: str | None = None
    synonyms: list[str] = []
    implied_by: list[str] = []
    source: str | None = None


class Certification(Base):
    name: str
    issuer: str | None = None
    date: str | None = None


class Language(Base):
    """`proficiency` as the resume words it ('Verhandlungssicher (C1)'); `level` the same on one scale."""

    language: str
    proficiency: str | None = None
    level: LanguageLevel | None = None


class Project(Base):
    name: str
    description: str | None = None
    url: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    highlights: list[str] = []
    keywords: list[str] = []


class Award(Base):
    title: str
    awarder: str | None = None
    date: str | None = None
    summary: str | None = None


class Publication(Base):
    name: str
    publisher: str | None = None
    date: str | None = None
    url: str | None = None


class Reference(Base):
    name: str | None = None
    reference: str | None = None


class ResumeResult(Base):
    personal_info: PersonalInfo = msgspec.field(default_factory=PersonalInfo)
    summary: str | None = None
    experience: list[Experience] = []
    education: list[Education] = []
    skills: list[Skill] = []
    certifications: list[Certification] = []
    languages: list[Language] = []
    projects: list[Project] = []
    awards: list[Award] = []
    publications: list[Publication] = []
    interests: list[str] = []
    references: list[Reference] = []


class SkillsAggregation(Base):
    total_skills: int
    by_proficiency: dict[str, int]
    by_type: dict[str, int]


class ExperienceSummary(Base):
    total_years: float
    total_positions: int
    companies: list[str]
    current_title: str | None = None


class AiFeatures(Base):
    skills_aggregation: SkillsAggregation
    experience_summary: ExperienceSummary
    summary: str


class MatchedSkill(Base):
    skill: str
    requirement: str
    reason: str


class MissingSkill(Base):
    requirement: str
    criticality: float
    transferable_skills: list[str] = []


class JobRequirements(Base):
    """What the job description asks for, as the matcher read it."""

    title: str | None = None
    seniority: Seniority | None = None
    years_required: int | None = None
    required_skills: list[str] = []
    nice_to_have_skills: list[str] = []
    degree: DegreeLevel | None = None
    field_of_study: str | None = None
    languages: list[str] = []
    nice_to_have_languages: list[str] = []
    certifications: list[str] = []
    location: str | None = None
    work_mode: WorkMode | None = None


class ScoreComponent(Base):
    """One part of the score: its share of the total (`weight`), how well the candidate meets it (0-1), the
    points it adds to the 0-100 score (`contribution`; the parts outside the candidate's field count only as
    far as skills or title show the field), and why."""

    name: ScoreComponentName
    weight: float
    score: float
    contribution: float
    detail: str


class Matching(Base):
    score: int
    summary: str
    matched_skills: list[MatchedSkill]
    missing_skills: list[MissingSkill]
    breakdown: list[ScoreComponent] = []
    requirements: JobRequirements | None = None


class TextValidation(Base):
    passed: bool
    reasons: list[str] = []
    char_count: int = 0
    word_count: int = 0


class PromptDetection(Base):
    phrase: str
    position: int
    line: int
    context: str


class PromptCheck(Base):
    passed: bool
    level: str
    detections: list[PromptDetection] = []


class HiddenTextFinding(Base):
    reason: str
    page: int
    text: str
    bbox: tuple[float, float, float, float] | None = None


class Checks(Base):
    text_validation: TextValidation | None = None
    prompt: PromptCheck | None = None
    hidden_text: list[HiddenTextFinding] = []
