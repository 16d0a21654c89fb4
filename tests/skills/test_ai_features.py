"""ai_features from parsed facts (skill counts, professional years with overlaps merged, a written profile),
and the switch that leaves the skills as the parser found them."""

from __future__ import annotations

import datetime
import re

from pipeline.profile import build_ai_features, total_years
from pipeline.run import PipelineInput, PipelineOutput, run_pipeline
from schemas.request import ParseConfig, ParseRequestConfig, SkillsConfig, resolve_config
from schemas.result import Education, Experience, Language, PersonalInfo, ResumeResult, Skill
from tests import samples

TODAY = datetime.date(2026, 11, 1)


def _resume() -> ResumeResult:
    return ResumeResult(
        personal_info=PersonalInfo(name="Amara Osei", label="Data Engineer"),
        experience=[
            Experience(company="Northwind", title="Senior Data Engineer", start_date="2022-03", current=True),
            Experience(company="Contoso", title="Data Engineer", start_date="2018-01", end_date="2022-06"),
            Experience(company="Contoso", title="Evening tutor", type="part-time", start_date="2019-01",
                       end_date="2019-12"),
            Experience(company="Fabrikam", title="Data Intern", type="internship", start_date="2017-06",
                       end_date="2017-09"),
            Experience(company="Food Bank", title="Driver", type="volunteer", start_date="2015-01",
                       end_date="2016-12"),
        ],
        education=[Education(institution="University of Ghana", degree="BSc", field_of_study="Statistics")],
        skills=[Skill(skill="Python", skill_type="hard", proficiency="expert"),
                Skill(skill="SQL", skill_type="hard", proficiency="advanced"),
                Skill(skill="Mentoring", skill_type="soft"),
                Skill(skill="JavaScript", skill_type="hard", match_method="implied")],
        languages=[Language(language="English"), Language(language="Twi")],
    )


def test_total_years_merge_overlaps_and_leave_out_internships_and_volunteering() -> None:
    # 2018-01 to 2026-11 without a gap: the part-time job and the overlap of the two full-time ones add nothing
    assert total_years(_resume().experience, TODAY) == round(107 / 12, 1)
    assert total_years([Experience(start_date="2020-01", end_date="2020-12"),
                        Experience(start_date="2023-01", end_date="2023-06")], TODAY) == 1.5
    assert total_years([Experience(title="undated")], TODAY) == 0.0


def test_the_aggregation_and_the_experience_summary() -> None:
    features = build_ai_features(_resume(), TODAY)
    assert features.skills_aggregation.total_skills == 4
    assert features.skills_aggregation.by_proficiency == {"expert": 1, "advanced": 1}
    assert features.skills_aggregation.by_type == {"hard": 3, "soft": 1}
    summary = features.experience_summary
    assert summary.total_positions == 5
    assert summary.companies == ["Northwind", "Contoso", "Fabrikam", "Food Bank"]
    assert summary.current_title == "Senior Data Engineer"


def test_the_profile_is_two_to_five_sentences_of_facts_not_the_candidates_own_words() -> None:
    features = build_ai_features(_resume(), TODAY)
    sentences = re.split(r"(?<=\.)\s+", features.summary)
    assert 2 <= len(sentences) <= 5
    assert features.summary.startswith("Amara Osei is a Senior Data Engineer with 8.9 years")
    assert "Northwind" in features.summary and "Python" in features.summary
    assert "JavaScript" not in features.summary
    empty = build_ai_features(ResumeResult(), TODAY)
    assert empty.experience_summary.total_positions == 0
    assert empty.summary == "The candidate lists no work experience."


def test_the_skills_step_can_be_turned_off() -> None:
    def run(skip: bool) -> PipelineOutput:
        config = resolve_config(ParseRequestConfig(parse=ParseConfig(skills=SkillsConfig(skip=skip))), False)
        return run_pipeline(PipelineInput(kind="text", raw_text=samples.resume_text()), config)

    normalised, raw = run(False), run(True)
    assert normalised.result is not None and raw.result is not None
    assert all(skill.skill_id for skill in normalised.result.skills if skill.skill == "Python")
    assert raw.parse.skills_skipped is True and normalised.parse.skills_skipped is None
    assert [skill.skill for skill in raw.result.skills][:3] == ["Python", "Go", "PostgreSQL"]
    assert all(skill.skill_id is None and skill.match_method is None for skill in raw.result.skills)
