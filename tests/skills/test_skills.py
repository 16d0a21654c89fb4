"""Skills normalisation and the taxonomy behind it: aliases, false friends, implications, evidence from dated
jobs, preferred names, relations, and shipped data that is what the build makes."""

from __future__ import annotations

import datetime
import gzip
import json
from pathlib import Path

import msgspec
import pytest

from pipeline.skills import named_skills, normalise_skills
from schemas.result import Experience, ResumeResult, Skill
from taxonomy import INDEX_FILE, Concept, SurfaceIndex, build_index, from_data, load
from taxonomy.build import build, write_index

TODAY = datetime.date(2026, 11, 1)
REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO.parent / "shared" / "data" / "skills"
DATA = REPO / "taxonomy" / "data"


def names(result: ResumeResult) -> dict[str, Skill]:
    return {skill.skill: skill for skill in normalise_skills(result, "", TODAY)}


@pytest.mark.parametrize(
    ("written", "canonical", "method"),
    [("JS", "JavaScript", "alias"), ("K8s", "Kubernetes", "alias"), ("MS Excel", "Microsoft Excel", "alias"),
     ("Postgres", "PostgreSQL", "alias"), ("Python", "Python", "exact"), ("AWS", "Amazon Web Services", "alias")],
)
def test_listed_skills_are_normalised(written: str, canonical: str, method: str) -> None:
    skill = names(ResumeResult(skills=[Skill(skill=written, source="skills_section")]))[written]
    assert skill.match_method == method
    assert skill.skill_id == load().lookup(canonical)[0].id  # type: ignore[index]
    assert canonical in skill.synonyms or canonical == written


def test_java_is_never_javascript_and_unknown_skills_are_kept() -> None:
    found = names(ResumeResult(skills=[Skill(skill="Java", source="skills_section"),
                                       Skill(skill="Quantum Basket Weaving", source="skills_section")]))
    assert found["Java"].skill_id != load().lookup("JavaScript")[0].id  # type: ignore[index]
    assert found["Quantum Basket Weaving"].match_method is None
    assert found["Quantum Basket Weaving"].confidence is not None and found["Quantum Basket Weaving"].confidence < 0.7


@pytest.mark.parametrize(
    ("sentence", "present", "absent"),
    [
        ("Led our Go to market strategy for the new region.", [], ["Go"]),
        ("Wrote backend services in Go and Rust for the payments stack.", ["Go", "Rust"], []),
        ("Gave the team access to the spreadsheet archive.", [], ["Access"]),
        ("Built Spark Structured Streaming jobs and Kafka consumers.", ["Kafka"], []),
        ("Deployed JS front ends on K8s clusters.", ["JS", "K8s"], []),
        ("Helped spark interest in local events.", [], ["spark", "Spark"]),
        ("Ran the pipelines on AWS Batch with Docker.", ["AWS", "Docker"], ["Batch"]),
        ("Scheduled reports in Microsoft Excel and Python.", ["Microsoft Excel", "Python"], []),
        ("Fluent in Spanish, Valencian and English.", [], ["Fluent"]),
        ("Charity fundraising and Shell retail partnerships.", [], ["Charity", "Shell"]),
        ("Ran qPCR and Western blots on hepatitis B virus samples.", ["qPCR"], ["B"]),
        ("Plan B for the launch, with analysis in R and Python.", ["R", "Python"], ["B"]),
    ],
)
def test_false_friends_in_free_text(sentence: str, present: list[str], absent: list[str]) -> None:
    found = names(ResumeResult(summary=sentence))
    for name in present:
        assert name in found, f"{name} missing from {sorted(found)}"
    for name in absent:
        assert name not in found, f"{name} wrongly found in {sentence!r}"


@pytest.mark.parametrize(
    ("sentence", "present", "absent"),
    [
        ("Report adverse drug reactions through the national pharmacovigilance system", ["Pharmacovigilance"], []),
        ("Support aseptic compounding and welding of the frames", ["Compounding", "Welding"], []),
        ("Deploy containers and write selenium checks", [], ["Containers", "Selenium"]),
        ("Referrals increase your chances of interviewing at our company", [], ["Interviewing"]),
        ("Under the patronage of Kildare and Wicklow Education and Training Board", [], ["Education and Training"]),
        ("Lead the Customer Service Department of the hotel", ["Customer Service"], []),
        ("Registered under Route 2 (Post-Primary) with the Teaching Council", [], ["Route"]),
    ],
)
def test_a_posting_names_a_practice_in_lowercase_but_not_a_product(sentence: str, present: list[str],
                                                                   absent: list[str]) -> None:
    found = {match.concept.name for match in named_skills(sentence, load(), phrases=True)}
    assert set(present) <= found and not set(absent) & found, sorted(found)


def test_years_last_used_and_implied_skills() -> None:
    result = ResumeResult(
        skills=[Skill(skill="React", source="skills_section"), Skill(skill="Python (expert)", source="skills_section")],
        experience=[
            Experience(title="Engineer", start_date="2018-01", end_date="2020-12",
                       highlights=["Built React dashboards"]),
            Experience(title="Senior Engineer", start_date="2021-01", current=True,
                       highlights=["Led React and Python services"]),
        ],
    )
    found = names(result)
    react = found["React"]
    assert react.years_experience is not None and react.years_experience >= 8.5
    assert react.last_used == "2026-11"
    assert react.proficiency in ("advanced", "expert")
    assert found["Python"].proficiency == "expert"
    implied = found["JavaScript"]
    assert implied.match_method == "implied" and implied.implied_by == ["React"]


def test_taxonomy_is_large_and_attributed() -> None:
    stats = load().stats()
    by_type = stats["by_type"]
    assert isinstance(stats["skills"], int) and stats["skills"] >= 30_000
    assert isinstance(stats["aliases"], int) and stats["aliases"] >= 100_000
    assert isinstance(stats["implications"], int) and stats["implications"] >= 200
    assert isinstance(stats["broader_relations"], int) and stats["broader_relations"] >= 6_500
    assert isinstance(by_type, dict) and by_type["soft"] > 500 and by_type["hard"] > 30_000
    notice = (REPO / "taxonomy" / "NOTICE").read_text()
    assert "ESCO" in notice and "O*NET" in notice and "CC BY-SA 4.0" in notice and "Linguist" in notice
    assert "Tools Used" in notice and "Content Model Reference" in notice


def _name(written: str) -> str | None:
    found = load().lookup(written)
    return found[0].name if found else None


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("FMEA", "FMEA"), ("GD&T", "GD&T"), ("MS Office", "Microsoft Office"), ("MS Project", "Microsoft Project"),
     ("Primavera P6", "Primavera P6"), ("Six Sigma Green Belt", "Six Sigma Green Belt"),
     ("MATLAB/Simulink", "Simulink"), ("CATIA V5", "CATIA"), ("Blueprint Reading", "Blueprint Reading"),
     ("Classroom Management", "Classroom Management"), ("Workforce Planning", "Workforce Planning"),
     ("Succession Planning", "Succession Planning"), ("Cost Control", "Cost Control"),
     ("Sepsis Management", "Sepsis Management"), ("Patient Assessment", "Patient Assessment"),
     ("Conduit Bending", "Conduit Bending"), ("Motor Controls", "Motor Controls"),
     ("IV Cannulation", "IV Cannulation"), ("Medication Administration", "Medication Administration"),
     ("Infection Control", "Infection Prevention and Control"), ("Kaizen", "Kaizen"),
     ("S&OP", "Sales and Operations Planning"), ("Demand Planning", "Demand Planning"), ("Westlaw", "Westlaw"),
     ("eDiscovery", "E-Discovery"), ("Workday", "Workday"), ("PMP", "Project Management Professional"),
     ("CPA", "Certified Public Accountant"), ("CFA", "Chartered Financial Analyst"),
     ("CISSP", "Certified Information Systems Security Professional"),
     ("CCNA", "Cisco Certified Network Associate"), ("PRINCE2", "PRINCE2"), ("ITIL 4 Foundation", "ITIL"),
     ("Certified Scrum Master", "Certified ScrumMaster"), ("ACLS", "Advanced Cardiovascular Life Support"),
     ("BLS", "Basic Life Support"), ("AWS Certified Solutions Architect", "AWS Certified Solutions Architect"),
     ("Forklift", "Forklift Operation"), ("CDL Class A", "Commercial Driver's License"), ("HACCP", "HACCP"),
     ("Search Engine Optimization (SEO)", "Search Engine Optimization")],
)
def test_short_names_resumes_use_resolve(written: str, canonical: str) -> None:
    assert _name(written) == canonical


@pytest.mark.parametrize(
    ("skill", "implied"),
    [("Django", "Python"), ("Spring", "Java"), ("Rails", "Ruby"), ("React", "JavaScript"), ("Vue", "JavaScript"),
     ("Angular", "JavaScript"), ("pandas", "Python"), ("Kubernetes", "Containers"),
     ("Terraform", "Infrastructure as Code"), ("PMP", "Project Management"), ("ServSafe", "Food Safety"),
     ("Snakemake", "Python")],
)
def test_implications(skill: str, implied: str) -> None:
    taxonomy = load()
    concept = taxonomy.lookup(skill)[0]  # type: ignore[index]
    assert implied in [taxonomy.by_id[target].name for target in concept.implies]


def test_a_name_resolves_to_the_concept_it_names_and_every_alias_to_its_own_concept() -> None:
    taxonomy = load()
    for concept in taxonomy.by_id.values():
        assert taxonomy.lookup(concept.name) == (concept, "exact")
        for alias in concept.aliases:
            assert taxonomy.lookup(alias) == (concept, "alias"), (alias, concept.name)


def test_plain_names_win_over_odd_esco_labels_of_the_same_skill() -> None:
    taxonomy = load()
    change = taxonomy.lookup("Change Management")
    assert change is not None and change[0].name == "Change Management" and change[1] == "exact"
    assert "esco" in change[0].sources
    assert _name("alter management") == "Change Management"
    assert _name("IT") == "Information Technology"
    assert _name("Python (computer programming)") == "Python"
    assert _name("Structured query language SQL") == "SQL" and _name("Atlassian JIRA") == "Jira"
    # A product O*NET names with its vendor and the word 'software' is the product; a kind of work is not one.
    assert _name("ESRI ArcGIS software") == "ArcGIS" and _name("Shopify software") == "Shopify"
    assert _name("Geographic information system GIS software") == "Geographic Information Systems"
    assert _name("Accounting software") != _name("Accounting")
    assert _name("remote sensing") == "remote sensing techniques"
    # Competing products are two skills of one kind, not one skill.
    assert _name("Salesloft") == "Salesloft" and _name("Outreach.io") == "Outreach.io"


@pytest.mark.parametrize("word", ["Go", "R", "C", "Swift", "Excel", "Spark", "Lead", "Access", "Route", "Square",
                                  "Loom"])
def test_short_ambiguous_words_keep_their_flag(word: str) -> None:
    found = load().lookup(word)
    assert found is not None and found[0].ambiguous


@pytest.mark.parametrize("form", ["Inc", "Ltd", "LLC", "GmbH"])
def test_a_company_s_legal_form_names_no_skill(form: str) -> None:
    assert load().lookup(form) is None


def test_narrower_is_the_inverse_of_broader() -> None:
    taxonomy = load()
    for concept in taxonomy.by_id.values():
        for parent in concept.broader:
            assert concept.id in taxonomy.narrower[parent]
    for parent, children in taxonomy.narrower.items():
        assert all(parent in taxonomy.by_id[child].broader for child in children)
    welding, tig = taxonomy.lookup("Welding"), taxonomy.lookup("TIG")
    assert welding is not None and tig is not None and tig[0].id in taxonomy.narrower[welding[0].id]


def test_tools_are_in_and_everyday_goods_are_not() -> None:
    taxonomy = load()
    oscilloscope = taxonomy.lookup("Oscilloscope")
    assert oscilloscope is not None and oscilloscope[0].sources == ("onet-tools",)
    assert taxonomy.lookup("Desktop computers") is None and taxonomy.lookup("Domestic forks") is None


def test_stack_overflow_aliases_stay_in_their_own_file() -> None:
    taxonomy = load()
    extra = json.loads(gzip.decompress((REPO / "taxonomy" / "data" / "aliases-stackoverflow.json.gz").read_bytes()))
    assert extra["aliases"]
    for concept_id, aliases in extra["aliases"].items():
        assert not set(aliases) & set(taxonomy.by_id[concept_id].aliases)


@pytest.mark.skipif(not SOURCES.exists(), reason="the open sources are not checked out next to the repository")
def test_the_shipped_data_is_what_the_build_makes(tmp_path: Path) -> None:
    build(SOURCES, tmp_path)
    for name in ("taxonomy.json.gz", "aliases-stackoverflow.json.gz", "title-heads.json.gz", "occupations.json.gz",
                 INDEX_FILE):
        assert (tmp_path / name).read_bytes() == (REPO / "taxonomy" / "data" / name).read_bytes(), name


def _shipped_index() -> SurfaceIndex:
    return msgspec.json.decode(gzip.decompress((DATA / INDEX_FILE).read_bytes()), type=SurfaceIndex)


def test_the_shipped_surface_index_is_the_index_of_the_shipped_concepts() -> None:
    source = (DATA / "taxonomy.json.gz").read_bytes()
    concepts = msgspec.json.decode(gzip.decompress(source), type=dict[str, list[Concept]])["concepts"]
    assert _shipped_index() == build_index(concepts, source), "run `python -m taxonomy.build --index-only`"


def test_the_index_only_build_writes_the_shipped_index(tmp_path: Path) -> None:
    (tmp_path / "taxonomy.json.gz").write_bytes((DATA / "taxonomy.json.gz").read_bytes())
    write_index(tmp_path)
    assert (tmp_path / INDEX_FILE).read_bytes() == (DATA / INDEX_FILE).read_bytes()


def test_an_index_of_other_concepts_is_not_used() -> None:
    shipped = _shipped_index()
    stale = SurfaceIndex(source_sha256="0" * 64, surfaces={"python": 0, "java": 0}, leads={"python": 1, "java": 1})
    aliases = (DATA / "aliases-stackoverflow.json.gz").read_bytes()
    taxonomy = from_data((DATA / "taxonomy.json.gz").read_bytes(), aliases, gzip.compress(msgspec.json.encode(stale)))
    assert taxonomy.surfaces == load().surfaces and len(taxonomy.surfaces) > len(shipped.surfaces)
    assert taxonomy.lookup("Java") == load().lookup("Java") and taxonomy.lookup("Java")[0].name == "Java"  # type: ignore[index]
    assert [match.concept.name for match in taxonomy.find_in_text("Python and machine learning")] == [
        "Python", "Machine Learning"]
