"""Matching: monotonic in required skills, capped lists, criticality order, no reward for stuffing."""

from __future__ import annotations

import datetime

import msgspec
import pymupdf
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.job import read_job
from pipeline.matching import match
from pipeline.run import PipelineInput, run_pipeline
from pipeline.skills import normalise_skills
from schemas.request import MatchingConfig, ParseRequestConfig, resolve_config
from schemas.result import Education, Experience, Language, Location, PersonalInfo, ResumeResult, Skill
from taxonomy import load, posting_words
from tests import samples

TODAY = datetime.date(2026, 11, 1)
JD = (
    "Senior Data Engineer\n"
    "Requirements:\n- 5+ years of experience\n- Python and SQL\n- Apache Kafka\n- Kubernetes\n- Terraform\n"
    "Nice to have:\n- Rust\n- Tableau\n"
)
POOL = ["Python", "SQL", "Kafka", "Kubernetes", "Terraform", "Rust", "Tableau", "Excel", "Figma", "Docker"]


def candidate(skills: list[str], years: int = 6) -> ResumeResult:
    raw = ResumeResult(
        skills=[Skill(skill=name, source="skills_section") for name in skills],
        experience=[Experience(title="Data Engineer", company="Acme", start_date=f"{2026 - years}-01", current=True,
                               highlights=["Built pipelines in " + ", ".join(skills)])],
    )
    return ResumeResult(skills=normalise_skills(raw, "", TODAY), experience=raw.experience)


def test_job_description_is_read_into_required_and_nice() -> None:
    profile = read_job(JD)
    required = {r.concept.name for r in profile.requirements if r.required}
    nice = {r.concept.name for r in profile.requirements if not r.required}
    assert {"Python", "SQL", "Apache Kafka", "Kubernetes", "Terraform"} <= required
    assert {"Rust", "Tableau"} <= nice
    assert profile.years_required == 5


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(POOL), unique=True, max_size=6), st.sampled_from(POOL[:5]))
def test_adding_a_required_skill_never_lowers_the_score(skills: list[str], extra: str) -> None:
    before = match(candidate(skills), JD, 10, TODAY).score
    after = match(candidate([*skills, extra] if extra not in skills else skills), JD, 10, TODAY).score
    assert after >= before


def test_scores_order_candidates_and_cap_the_unqualified() -> None:
    full = match(candidate(POOL[:7]), JD, 3, TODAY)
    partial = match(candidate(["Python", "SQL"]), JD, 3, TODAY)
    none = match(candidate(["Excel", "Figma", "Rust", "Tableau"]), JD, 3, TODAY)
    assert full.score > partial.score > none.score
    assert full.score >= 90
    assert none.score <= 25


def test_keyword_stuffing_is_not_rewarded() -> None:
    honest = match(candidate(["Python", "SQL"]), JD, 3, TODAY)
    stuffed = ResumeResult(
        skills=candidate(["Python", "SQL"]).skills * 20,
        experience=candidate(["Python", "SQL"]).experience,
        summary="Python " * 200,
    )
    assert match(stuffed, JD, 3, TODAY).score == honest.score


def test_top_skills_caps_both_lists_and_missing_is_ordered_by_criticality() -> None:
    result = match(candidate(["Python"]), JD, 2, TODAY)
    assert len(result.matched_skills) <= 2 and len(result.missing_skills) == 2
    everything = match(candidate(["Python"]), JD, 10, TODAY)
    criticality = [m.criticality for m in everything.missing_skills]
    assert criticality == sorted(criticality, reverse=True)
    required_missing = [m for m in everything.missing_skills if "Kafka" in m.requirement]
    nice_missing = [m for m in everything.missing_skills if "Rust" in m.requirement]
    assert required_missing[0].criticality > nice_missing[0].criticality
    assert everything.matched_skills[0].reason
    assert everything.summary


POSTING = """Senior Backend Engineer (m/w/d)
Location: Berlin, Germany (hybrid)

Requirements
- 5+ years of experience in backend development
- Strong Python and PostgreSQL; 3+ years with Kubernetes
- Master's degree in Computer Science or a related field
- Fluent English; German (B2)

Nice to have
- Rust
"""


def test_a_posting_is_read_into_title_degree_languages_place_and_years_per_skill() -> None:
    asks = read_job(POSTING).asks
    assert (asks.title, asks.seniority, asks.years_required) == ("Senior Backend Engineer", "senior", 5)
    assert (asks.degree, asks.field_of_study) == ("master", "Computer Science or a related field")
    assert asks.languages == ["English", "German"]
    assert (asks.location, asks.work_mode) == ("Berlin, Germany (hybrid)", "hybrid")
    assert set(asks.required_skills) == {"Back-End Development", "Python", "PostgreSQL", "Kubernetes"}
    assert asks.nice_to_have_skills == ["Rust"]
    years = {r.concept.name: r.years for r in read_job(POSTING).requirements}
    assert years["Kubernetes"] == 3 and years["Python"] is None


def _engineer(**changes: object) -> ResumeResult:
    raw = ResumeResult(
        personal_info=PersonalInfo(name="Jonas Weber", location=Location(city="Berlin", country_code="DE")),
        skills=[Skill(skill=name, source="skills_section") for name in ("Python", "PostgreSQL", "Kubernetes")],
        experience=[Experience(title="Backend Engineer", company="Acme", start_date="2019-01", current=True,
                               highlights=["Built Python services on PostgreSQL and Kubernetes",
                                           "Led back-end development of the billing platform"])],
        education=[Education(institution="TU Berlin", degree="Master of Science", field_of_study="Informatics")],
        languages=[Language(language="Deutsch", proficiency="Muttersprache"),
                   Language(language="English", proficiency="C1")],
    )
    raw = msgspec.structs.replace(raw, **changes)
    return msgspec.structs.replace(raw, skills=normalise_skills(raw, "", TODAY))


def test_the_score_is_the_weighted_mean_of_its_components() -> None:
    result = match(_engineer(), POSTING, 5, TODAY)
    parts = {part.name: part for part in result.breakdown}
    assert set(parts) == {"skills", "occupation", "experience", "title", "education", "languages", "location"}
    assert abs(sum(part.weight for part in parts.values()) - 1) < 0.01
    assert abs(result.score - sum(part.contribution for part in parts.values())) <= 1
    assert all(abs(part.contribution - 100 * part.weight * part.score) < 0.2 for part in parts.values())
    assert parts["education"].score == 1.0 and parts["languages"].score == 1.0 and parts["location"].score == 1.0
    assert result.requirements is not None and result.requirements.degree == "master"
    assert result.score >= 85


def test_each_component_answers_to_its_own_evidence() -> None:
    strong = match(_engineer(), POSTING, 5, TODAY).score
    no_degree = match(_engineer(education=[]), POSTING, 5, TODAY)
    assert next(p.score for p in no_degree.breakdown if p.name == "education") == 0.0 and no_degree.score < strong
    no_german = match(_engineer(languages=[Language(language="English")]), POSTING, 5, TODAY)
    assert next(p.score for p in no_german.breakdown if p.name == "languages") == 0.5
    far = match(_engineer(personal_info=PersonalInfo(location=Location(city="Lima", country_code="PE"))),
                POSTING, 5, TODAY)
    assert next(p.score for p in far.breakdown if p.name == "location") < 0.5
    junior = match(_engineer(experience=[Experience(title="Junior Backend Engineer", start_date="2025-06",
                                                     current=True)]), POSTING, 5, TODAY)
    assert junior.score < strong
    remote = match(_engineer(personal_info=PersonalInfo(location=Location(city="Lima"))),
                   POSTING.replace("(hybrid)", "or fully remote"), 5, TODAY)
    assert next(p.score for p in remote.breakdown if p.name == "location") == 1.0


def test_a_skill_shown_in_a_role_counts_more_than_one_only_listed() -> None:
    shown = match(_engineer(), POSTING, 5, TODAY)
    listed = match(_engineer(experience=[Experience(title="Backend Engineer", company="Acme", start_date="2019-01",
                                                     current=True, highlights=["Ran the on-call rota"])]),
                   POSTING, 5, TODAY)
    skills = {result.score: next(p.score for p in result.breakdown if p.name == "skills") for result in (shown, listed)}
    assert skills[shown.score] > skills[listed.score] and shown.score > listed.score


def test_white_text_stuffed_with_the_postings_words_earns_nothing() -> None:
    posting = samples.JOB_DESCRIPTION + "- Rust, Scala, Kafka and Snowflake\n"
    def with_line(colour: tuple[float, float, float]) -> bytes:
        """The sample resume with one more line under its skills, in the given colour."""
        document = pymupdf.open(stream=samples.resume_pdf(), filetype="pdf")
        document[0].insert_text((56, 362), "Rust, Scala, Kafka, Snowflake", fontsize=10, fontname="helv",
                                color=colour)
        data: bytes = document.tobytes()
        return data

    config = resolve_config(ParseRequestConfig(matching=MatchingConfig(skip=False, top_skills=10)), True)

    def score(pdf: bytes) -> int:
        output = run_pipeline(PipelineInput(kind="file", file_bytes=pdf, file_name="resume.pdf",
                                            job_description=posting), config)
        assert output.matching is not None
        return output.matching.score

    assert score(with_line((1, 1, 1))) == score(samples.resume_pdf()) < score(with_line((0, 0, 0)))


def test_a_spanish_posting_has_its_nice_to_have_section_and_lower_case_languages() -> None:
    posting = ("Técnico/a de Medio Ambiente\n\nRequisitos\n- Manejo de QGIS y ArcGIS\n\nSe valorará\n"
               "- Programación en R o Python para análisis de datos\n- Nivel B2 o superior de inglés\n")
    asks = read_job(posting).asks
    assert asks.required_skills == ["QGIS", "ArcGIS"]
    assert asks.nice_to_have_skills == ["R", "Python", "Data Analysis"]
    assert (asks.languages, asks.nice_to_have_languages) == ([], ["English"])


def test_postings_in_other_languages_are_read_into_the_taxonomy_s_skills() -> None:
    spanish = read_job("Técnico/a de Medio Ambiente\n\nRequisitos\n- Manejo de herramientas SIG\n"
                       "- Teledeteccion y cartografía\n- Carné de conducir B\n").asks
    assert spanish.required_skills == ["Geographic Information Systems", "remote sensing techniques",
                                       "cartography", "Driver's License"]
    french = read_job("Responsable Service Client\n\nVotre profil\n- 3 ans en management d'équipe\n"
                      "Les plus\n- Expérience dans la conduite du changement\n").asks
    assert french.required_skills == ["Customer Service", "People Management"]
    assert french.nice_to_have_skills == ["Change Management"]
    # A word in capitals only as written: 'sig' is no acronym.
    assert read_job("Analyste\n\nRequisitos\n- sig y más\n").asks.required_skills == []


def test_a_resume_s_skills_in_another_language_meet_the_posting() -> None:
    posting = ("Responsable Service Client\n\nVotre profil\n- Conduite du changement et gestion des réclamations\n"
               "- Zendesk\n")
    french = ResumeResult(skills=[Skill(skill="Conduite du changement", source="skills_section"),
                                  Skill(skill="Zendesk", source="skills_section")],
                          experience=[Experience(title="Superviseure", company="Acme", start_date="2019-01",
                                                 current=True, highlights=["Gestion des réclamations clients"])])
    raw = ResumeResult(skills=[Skill(skill="Zendesk", source="skills_section")], experience=french.experience)
    with_french = match(ResumeResult(skills=normalise_skills(french, "", TODAY), experience=french.experience),
                        posting, 5, TODAY)
    without = match(ResumeResult(skills=normalise_skills(raw, "", TODAY), experience=raw.experience), posting, 5,
                    TODAY)
    matched = {item.skill for item in with_french.matched_skills}
    assert {"Conduite du changement", "Complaint Handling"} <= matched
    assert with_french.score > without.score


def test_a_kind_of_a_kind_of_the_skill_asked_for_counts_and_so_does_the_degree_s_field() -> None:
    posting = ("Supply Chain Director\n\nRequirements\n- Experience with an ERP\n"
               "Nice to have\n- A background in industrial engineering\n")
    raw = ResumeResult(skills=[Skill(skill="SAP PS", source="skills_section")],
                       education=[Education(institution="Universidad de Lima", degree="Bachelor of Science",
                                            field_of_study="Industrial and Systems Engineering")])
    result = match(ResumeResult(skills=normalise_skills(raw, "", TODAY), education=raw.education), posting, 5, TODAY)
    reasons = {item.requirement: item.reason for item in result.matched_skills}
    assert "a kind of Enterprise Resource Planning" in reasons["Experience with an ERP"]
    assert "A background in industrial engineering" in reasons


def test_a_plural_acronym_is_not_the_acronym_ending_in_s() -> None:
    required = read_job("Director of Operations\n\nRequirements\n- Run our DCs and their DCS upgrades\n"
                        ).asks.required_skills
    assert required.count("Distributed control system DCS") == 1
    assert read_job("Director\n\nRequirements\n- Lean programmes in our DCs\n").asks.required_skills == []


def test_a_degree_written_as_two_letters_meets_the_posting_but_ms_office_asks_for_none() -> None:
    short = match(_engineer(education=[Education(institution="University of Washington", degree="BS")]),
                  POSTING.replace("Master's", "Bachelor's"), 5, TODAY)
    assert next(p.score for p in short.breakdown if p.name == "education") == 1.0
    assert read_job("Office Administrator\nRequirements\n- MS Office and MS Teams\n").asks.degree is None


def test_a_kind_of_the_skill_asked_for_counts_with_its_reason() -> None:
    posting = "Customer Success Manager\nRequirements\n- CRM\n- Zendesk\n"
    with_kind = match(candidate(["HubSpot"]), posting, 5, TODAY)
    without = match(candidate(["Figma"]), posting, 5, TODAY)
    assert with_kind.score > without.score
    assert any("a kind of Customer Relationship Management" in m.reason for m in with_kind.matched_skills)


def test_title_words_match_as_words_and_the_specialty_weighs_little() -> None:
    frontend = "Frontend Developer (React)\nRequirements\n- React\n"
    office = match(ResumeResult(experience=[Experience(title="Front Office Manager")]), frontend, 5, TODAY)
    assert next(p.score for p in office.breakdown if p.name == "title") == 0.0
    nursing = "Nursing Lead, Intensive Care\nRequirements\n- Critical care\n"
    nurse = match(ResumeResult(experience=[Experience(title="Staff Nurse")]), nursing, 5, TODAY)
    designer = match(ResumeResult(experience=[Experience(title="UX Designer")]),
                     "Structural Engineer, Seismic Design\nRequirements\n- ETABS\n", 5, TODAY)
    assert next(p.score for p in nurse.breakdown if p.name == "title") > 0.5
    assert next(p.score for p in designer.breakdown if p.name == "title") <= 0.2


def test_leading_people_is_shown_by_a_managers_title_but_not_by_a_volunteers() -> None:
    posting = "Operations Manager\nRequirements\n- Lead a team of twelve planners\n- SAP\n"
    manager = ResumeResult(experience=[Experience(title="Warehouse Manager", start_date="2019-01", current=True)])
    volunteer = ResumeResult(experience=[Experience(title="Team Lead", type="volunteer", start_date="2019-01")])
    led = match(manager, posting, 5, TODAY)
    assert [m.reason for m in led.matched_skills] == ["led people as Warehouse Manager"]
    assert not match(volunteer, posting, 5, TODAY).matched_skills


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(POOL), unique=True, min_size=1, max_size=6), st.data())
def test_asking_for_a_skill_the_candidate_has_never_lowers_the_score(skills: list[str], data: st.DataObject) -> None:
    extra = data.draw(st.sampled_from(skills))
    posting = "Data Engineer\nRequirements\n- Apache Kafka\n- Terraform\n"
    before = match(candidate(skills), posting, 10, TODAY).score
    after = match(candidate(skills), posting + f"- {extra}\n", 10, TODAY).score
    assert after >= before


def test_a_tool_of_many_occupations_weighs_less_than_a_tool_of_the_trade() -> None:
    posting = "GIS Technician\nRequirements\n- QGIS\n- Python\n"
    trade = match(candidate(["QGIS"]), posting, 5, TODAY)
    generic = match(candidate(["Python"]), posting, 5, TODAY)
    skills = {result.score: next(p.score for p in result.breakdown if p.name == "skills")
              for result in (trade, generic)}
    assert skills[trade.score] > 0.5 > skills[generic.score]
    assert trade.score > generic.score


def test_leading_people_alone_does_not_show_the_postings_field() -> None:
    posting = "Project Manager, Capital Projects\nRequirements\n- Primavera P6\n- Lead a team of planners\n"
    manager = ResumeResult(experience=[Experience(title="Marketing Manager", start_date="2015-01", current=True)])
    result = match(manager, posting, 5, TODAY)
    assert [m.reason for m in result.matched_skills] == ["led people as Marketing Manager"]
    occupation = next(p for p in result.breakdown if p.name == "occupation")
    assert "as the skills asked for show" not in occupation.detail
    assert result.score <= 25


def test_a_markdown_heading_word_is_not_read_as_an_acronym() -> None:
    posting = ("# Responsable Service Client\n\n## Votre profil\n- Maîtrise de Zendesk\n\n## Les plus\n"
               "- Anglais professionnel\n")
    asks = read_job(posting).asks
    # The title's 'Service Client' is read as an English 'Customer Service Manager' title's would be.
    assert asks.required_skills == ["Customer Service", "Zendesk"]
    assert asks.nice_to_have_skills == []


def test_a_missing_skill_names_the_candidates_skills_of_the_same_kind() -> None:
    posting = "Backend Engineer\nRequirements\n- Rust\n- Oracle Database\n- Kubernetes\n"
    missing = {m.requirement: m.transferable_skills
               for m in match(candidate(["Python", "Go", "PostgreSQL", "MySQL"]), posting, 5, TODAY).missing_skills}
    assert {"Python", "Go"} <= set(missing["Rust"]) and "PostgreSQL" not in missing["Rust"]
    assert {"PostgreSQL", "MySQL"} <= set(missing["Oracle Database"]) and "Python" not in missing["Oracle Database"]
    assert missing["Kubernetes"] == []


def test_every_posting_word_names_a_skill_of_the_taxonomy() -> None:
    taxonomy = load()
    unknown = [english for english in posting_words().values() if taxonomy.lookup(english) is None]
    assert unknown == []


def test_a_bare_tool_name_as_a_list_item_is_read_and_a_great_if_section_is_nice_to_have() -> None:
    posting = ("Data Engineer\nRequirements\n- Kafka\n- Airflow or Dagster\n- Postgres\n"
               "## It would be great if you have\n- Revit\n")
    profile = read_job(posting)
    assert profile.asks.required_skills == ["Apache Kafka", "Apache Airflow", "Dagster", "PostgreSQL"]
    assert profile.asks.nice_to_have_skills == ["Autodesk Revit"]


def test_a_title_o_net_knows_as_the_postings_occupation_is_a_close_title() -> None:
    posting = "Customer Service Manager\nRequirements\n- Zendesk\n"
    hotel = ResumeResult(experience=[Experience(title="Front Office Manager", start_date="2018-01", current=True)])
    chef = ResumeResult(experience=[Experience(title="Head Chef", start_date="2018-01", current=True)])
    titles = {name: next(p for p in match(result, posting, 5, TODAY).breakdown if p.name == "title")
              for name, result in (("hotel", hotel), ("chef", chef))}
    assert titles["hotel"].score == 0.5 and titles["chef"].score == 0.0


def test_a_volunteer_role_does_not_say_what_the_candidate_does_for_a_living() -> None:
    posting = "Park Ranger\nRequirements\n- Wildland firefighting\n"
    volunteer = Experience(title="Park Ranger", type="volunteer", start_date="2019-01", current=True)
    job = Experience(title="Accountant", start_date="2015-01", current=True)
    occupation = next(p for p in match(ResumeResult(experience=[volunteer, job]), posting, 5, TODAY).breakdown
                      if p.name == "occupation")
    assert occupation.score < 0.1


def test_a_language_named_twice_on_a_line_is_asked_for_once() -> None:
    assert read_job("UX Designer\nRequirements\n- Fluent English; our teams work in English\n").asks.languages == [
        "English"]


def test_a_bracket_preferring_something_else_leaves_the_line_required() -> None:
    posting = ("Sous Chef\nRequirements\n- Level 2 Food Hygiene certificate (Level 3 preferred)\n"
               "- Python (preferred)\n- HACCP (highly desirable)\n")
    profile = read_job(posting)
    assert profile.asks.required_skills == ["Chef", "Food Safety"]
    assert profile.asks.nice_to_have_skills == ["Python", "HACCP"]


def test_postings_for_drivers_and_german_nurses_are_read() -> None:
    driver = read_job("Delivery Driver (HGV Class 1)\nRequirements:\n- Full UK Category C+E licence and Driver CPC "
                      "card\n- Digital tachograph card\n")
    assert driver.asks.required_skills == ["Commercial Driver's License", "Driver CPC", "Tachograph"]
    nurse = read_job("# Pflegefachkraft (m/w/d) Intensivstation\n\n## Ihr Profil\n- Erfahrung in der Beatmung\n"
                     "- Gute Deutschkenntnisse (mindestens B2)\n")
    assert nurse.asks.required_skills == ["Nursing", "Critical Care", "Ventilator Management"]
    assert nurse.asks.languages == ["German"]


def test_postings_in_spanish_french_and_german_are_read_into_skills_degrees_and_languages() -> None:
    accountant = read_job("# Contable Senior\n\n## Requisitos\n- Mínimo 5 años de experiencia en contabilidad general\n"
                          "- Conciliaciones bancarias y cierre mensual\n- Nivel alto de inglés\n")
    assert accountant.asks.required_skills == ["Accounting", "Bank Reconciliation", "Month-End Close"]
    assert accountant.asks.languages == ["English"]
    developer = read_job("# Développeur Java (H/F)\n\n## Votre profil\n- Bac+5 en informatique\n"
                         "- Écrire des tests unitaires\n- Anglais technique\n")
    assert (developer.asks.degree, developer.asks.languages) == ("master", ["English"])
    assert developer.asks.required_skills == ["Java", "Unit Testing"]
    seller = read_job("# Key Account Manager (m/w/d)\n\n## Ihr Profil\n- Abgeschlossenes Studium der "
                      "Betriebswirtschaft\n- Erfahrung in Neukundengewinnung und Vertragsverhandlungen\n")
    assert seller.asks.degree == "bachelor"
    assert seller.asks.required_skills[-2:] == ["Lead Generation", "Contract Negotiation"]


def test_the_title_names_no_degree_asked_for() -> None:
    posting = "High School Math Teacher\nQualifications\n- Bachelor's degree in Mathematics\n"
    assert read_job(posting).asks.degree == "bachelor"
    assert read_job("High School Math Teacher\nQualifications\n- Classroom management\n").asks.degree is None


def test_each_sentence_of_a_line_says_for_itself_whether_it_is_nice_to_have() -> None:
    nurse = read_job("Staff Nurse\nRequirements\n- BLS and ACLS certification required; PALS and TNCC preferred\n")
    assert nurse.asks.required_skills == ["Basic Life Support", "Advanced Cardiovascular Life Support"]
    assert nurse.asks.nice_to_have_skills == ["Pediatric Advanced Life Support", "Trauma Nursing Core Course"]
    prose = read_job("ML Engineer\nYou should have 4 years of production Python and know Docker. Experience with "
                     "MLflow is a plus. Familiarity with Kafka would be nice but is not required.\n")
    assert prose.asks.required_skills == ["Python", "Docker"] and prose.years_required == 4
    assert prose.asks.nice_to_have_skills == ["Mlflow", "Apache Kafka"]
    labelled = read_job("Payroll Specialist\nMust have: ADP Workforce Now\nNice to have: Tableau; SQL\n")
    assert (labelled.asks.required_skills, labelled.asks.nice_to_have_skills) == (
        ["ADP Workforce Now"], ["Tableau", "SQL"])


def test_an_about_you_section_is_required_and_like_gives_examples() -> None:
    posting = ("Security Engineer\n\nAbout you\n- 4+ years in security engineering\n- Experience with SIEM tools "
               "like Splunk or Sentinel\n\nNice to have\n- CISSP\n")
    profile = read_job(posting)
    assert profile.years_required == 4
    assert [([c.name for c in r.concepts], r.required) for r in profile.requirements] == [
        (["SIEM", "Splunk"], True), (["Certified Information Systems Security Professional"], False)]


def test_a_portuguese_hr_posting_is_read_with_its_differentials_as_nice_to_have() -> None:
    posting = ("# Analista de Recursos Humanos\n\n## Requisitos\n- Recrutamento e seleção e folha de pagamento\n"
               "- Conhecimento em legislação trabalhista\n- Inglês intermediário\n\n## Diferenciais\n- Power BI\n")
    asks = read_job(posting).asks
    assert asks.required_skills == ["Human Resources Management", "Recruiting", "Payroll", "labour legislation"]
    assert (asks.nice_to_have_skills, asks.languages) == (["Microsoft Power BI"], ["English"])


def test_a_us_degree_abbreviation_and_a_product_opening_a_clause_are_read() -> None:
    civil = read_job("Civil Engineer II\nMinimum Qualifications:\n- B.S. in Civil or Environmental Engineering\n")
    assert (civil.asks.degree, civil.asks.field_of_study) == ("bachelor", "Civil or Environmental Engineering")
    accountant = read_job("Senior Accountant\nRequirements: CPA or CPA candidate; NetSuite experience preferred.\n")
    assert accountant.asks.nice_to_have_skills == ["Oracle NetSuite"]


def test_summary_names_gaps_whole_and_says_when_no_required_skill_is_met() -> None:
    posting = ("GIS Technician\nRequirements:\n- GIS (QGIS, ArcGIS), for mapping and spatial analysis\n- AutoCAD\n"
               "Nice to have:\n- Python\n")
    summary = match(candidate(["Python"]), posting, 5, TODAY).summary
    assert "covers none of the 2 required skills; shows Python" in summary
    assert "GIS (QGIS, ArcGIS)" in summary
    assert summary.count("(") == summary.count(")")


def test_a_skill_meeting_two_requirements_is_named_once_in_the_summary() -> None:
    posting = ("Técnico de Laboratorio\nRequisitos:\n- Toma de muestras de agua en ríos y pozos\n"
               "- Al menos 1 año de experiencia en toma de muestras\n- LIMS\n")
    assert read_job(posting).asks.years_required == 1
    summary = match(candidate(["Water Quality Sampling"]), posting, 5, TODAY).summary
    assert summary.count("Water Quality Sampling") == 1


def test_languages_asked_for_as_a_plus_are_nice_to_have_not_required() -> None:
    posting = ("Capital Projects Manager\nRequirements\n- Fluent Spanish and English, written and spoken\n"
               "- French an asset; Irish language ability is not a requirement\nPreferred\n"
               "- German or Italian language skills\n")
    asks = read_job(posting).asks
    assert asks.languages == ["Spanish", "English"]
    assert asks.nice_to_have_languages == ["French", "Irish", "German", "Italian"]


def test_pay_contact_and_equal_opportunity_sections_ask_for_nothing() -> None:
    posting = ("Litigation Paralegal\nRequirements:\n- Relativity and e-discovery review\n\n"
               "Compensation and Benefits:\nSalary of $70,000 with medical benefits.\n\nKontakt:\n"
               "Ihre Ansprechpartnerin ist Frau Obermaier, Talent Acquisition.\n\nEMPLOYMENT EQUITY\n"
               "We follow our Employment Equity Plan and the bank's EE plan.\n")
    asks = read_job(posting).asks
    assert "E-Discovery" in asks.required_skills
    named = {*asks.required_skills, *asks.nice_to_have_skills}
    assert not named & {"Compensation and Benefits", "Talent Acquisition", "Oracle Java Enterprise Edition EE"}
    assert read_job("Application Support Analyst\nRequirements:\n- SQL\n").asks.required_skills == ["SQL"]
    unheaded = read_job("Staff Nurse\nRequirements:\n- Critical care nursing\n\nWe are committed to equality, "
                        "diversity and inclusion and welcome applications from all sections of the community.\n")
    assert "Diversity, Equity and Inclusion" not in {*unheaded.asks.required_skills, *unheaded.asks.nice_to_have_skills}


def test_a_german_drives_posting_names_its_engineering_skills() -> None:
    posting = ("Entwicklungsingenieur (m/w/d) Elektrische Antriebe\n\nIhr Profil:\n"
               "• Fundierte Kenntnisse in Elektromaschinen und Leistungselektronik\n"
               "• Mitwirkung an Anforderungsmanagement und funktionaler Sicherheit nach ISO 26262\n")
    assert read_job(posting).asks.required_skills == [
        "Electric Machines", "Power Electronics", "Requirements Management", "Functional Safety", "ISO 26262"]
