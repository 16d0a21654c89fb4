"""Build the skills taxonomy from the open sources, reproducibly.

    python -m taxonomy.build --sources ../shared/data/skills --out taxonomy/data

Concepts come from the project's curated list (the short names resumes use, certifications, implications),
GitHub Linguist (programming languages and the markup and data languages people list), O*NET (technology
examples with their commodity title as category; the content model's skills, knowledge, abilities and work
styles; the tools and equipment used at work) and ESCO (skills and knowledge, with their skill group as
category, transversal skills as soft and the skill hierarchy as broader relations).

Sources name one skill in different words, so a concept absorbs another source's entry when
- their normalised names agree, or the entry's name is a curated alias (a curated alias says two names are
  one skill);
- an O*NET name agrees once its vendor or its spelled-out acronym is dropped ('Atlassian JIRA' is Jira,
  'Structured query language SQL' is SQL), or a tool's name in the singular does;
- an ESCO concept's synonym is the name of exactly one concept from another source, no other ESCO concept
  has that synonym, and the two names share a word, ESCO's being at most one word longer ('alter management'
  is 'Change Management'; 'portfolio management in textile manufacturing' is more than portfolio management):
  the plainer name wins and ESCO's label stays as an alias.
Then every surface form names one concept: its own name if some concept has that name, else the alias from
the most trusted source (`SOURCE_RANK`), so lookups never depend on the order concepts happen to load in.

Stack Overflow tag synonyms, which are CC BY-SA 4.0, are written to a separate alias file so that the rest
keeps its own licences (see NOTICE). The head nouns of O*NET and ESCO job titles (engineer, preparer,
labourer) go to `title-heads.json.gz`, which the parser uses to tell a job title from an employer.

`occupations.json.gz` holds what O*NET says about occupations (O*NET-SOC 2019 codes without the '.01'
specialty suffix): the job titles each is known by (alternate, short and reported titles and its own name)
and the skills of the taxonomy that its technology and tool examples name; and, from `title-words.json`, the
project's English for the title words of German, French, Spanish and Portuguese. Matching uses it to tell a related
occupation from an unrelated one when the skills asked for and the candidate's barely overlap.

`surface-index.json.gz` is every normalised name and alias of `taxonomy.json.gz` with the concept it names,
ready for loading (see `taxonomy.SurfaceIndex`); `--index-only` rebuilds it alone from the shipped concepts.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

import msgspec

from taxonomy import INDEX_FILE, Concept, build_index, normalise, surface_index

HERE = Path(__file__).resolve().parent

SOURCE_RANK: Final = {"curated": 0, "linguist": 1, "onet": 2, "onet-content": 2, "esco": 3, "onet-tools": 4}
"""Whose alias wins when two concepts claim one surface form: the project's own choices first, then named
technologies, then ESCO's synonyms, then tools (plain nouns such as 'Levels' or 'Jacks')."""

_VENDOR: Final = re.compile(
    r"^(?:Microsoft|Adobe|Apple|Google|Oracle|IBM|SAP|Amazon|Autodesk|Atlassian|Intuit|Dassault Systemes|"
    r"Bentley|ESRI|Trimble|Corel|Cisco|Siemens|PTC|JetBrains|Salesforce|Red Hat|VMware|Apache|Thomson Reuters|"
    r"LexisNexis|Epic Systems|Cerner|Informatica|Hyland|Infor|ServiceNow|Kronos)\s+")
_ABBREVIATION: Final = re.compile(r"^(?=.*[A-Z])[A-Z0-9&/+.-]{2,8}$")
_ACRONYM: Final = re.compile(r"^\(?([A-Z][A-Z0-9&/-]*[A-Z0-9])(s?)\)?$")
_LINKING_WORDS: Final = frozenset({"of", "and", "or", "the", "for", "to", "in", "on", "&", "a"})
_MARKUP_AND_DATA_LANGUAGES: Final = frozenset({
    "HTML", "CSS", "Sass", "SCSS", "TeX", "Markdown", "Jupyter Notebook", "Handlebars", "Jinja", "Pug", "Haml",
    "Mustache", "Twig", "Svelte", "Vue", "MDX", "Mermaid", "PostCSS", "Stylus", "PostScript", "JSON", "YAML",
    "XML", "GraphQL", "SQL", "SPARQL", "Protocol Buffer", "TOML", "PlantUML", "Regular Expression", "Gradle",
    "Nginx", "HAProxy", "OpenAPI Specification v3",
})
"""The non-programming Linguist languages resumes list; the rest are file formats ('Ignore List', 'INI')."""

_CONTENT_MODEL_TYPES: Final = {
    "1.A.1": "soft", "1.A.2.a": "hard", "1.C": "soft", "2.A.1": "soft", "2.A.1.e": "hard", "2.A.1.f": "hard",
    "2.A.2": "soft", "2.B.1": "soft", "2.B.2": "soft", "2.B.3": "hard", "2.B.4": "hard", "2.B.4.e": "soft",
    "2.B.5": "hard", "2.B.5.a": "soft", "2.C": "hard",
}
"""The O*NET content-model branches a resume can name (longest prefix wins): cognitive and manipulative
abilities, work styles, basic and cross-functional skills, knowledge. Perceptual, physical and sensory
abilities ('Glare Sensitivity', 'Trunk Strength') are left out: nobody lists them."""
_CONTENT_MODEL_LEFT_OUT: Final = ("1.A.1.e", "1.A.2.b", "1.A.2.c", "1.A.3", "1.A.4")

_EVERYDAY_SEGMENTS: Final = frozenset({"10", "11", "14", "15", "49", "51", "52", "53", "55", "56", "60"})
"""UNSPSC segments of O*NET tools that are household, personal, paper, furniture, sports, toy or printed goods:
'Domestic forks', 'Building blocks', 'Basketballs' are not what anyone's skills are."""
_EVERYDAY_TOOL: Final = re.compile("|".join((
    r"(?:personal|desktop|laptop|notebook|tablet|field personal|rugged laptop|handheld) computers?\b.*",
    r"computer (?:mouse|mice|keyboards?)|(?:computer )?(?:laser|inkjet|dot matrix|multi function) printers?",
    r".*\b(?:telephones?|phones?|headsets?|fax machines?|facsimile machines?|photocopiers?|photocopying equipment)",
    r".*\b(?:calculators?|pens|pencils|pencil sharpeners?|staplers?|rulers?|personal digital assistants?.*)",
    r".*\b(?:gloves|glasses|goggles|boots|shoes|footwear|hard hats|helmets|coveralls|aprons|ear ?plugs|ear muffs)",
    r".*\b(?:vests|gowns|masks|clothing|apparel)",
    r".*\b(?:usb|universal serial bus) flash drives?.*|.*\b(?:cd|dvd|mp3) players.*|televisions?",
)), re.IGNORECASE)
"""Office basics and protective clothing in the kept segments ('Desktop computers', 'Safety glasses')."""
_PLURAL_ONLY: Final = frozenset({
    "pliers", "tweezers", "scissors", "shears", "tongs", "snips", "forceps", "nippers", "pincers", "clippers",
    "loppers", "binoculars", "series", "species", "calipers", "trousers", "headphones", "earphones"})

MIN_TITLE_HEAD_COUNT: Final = 10
_TITLE_CUT: Final = re.compile(r"\s+(?:of|for|in|to|and|&|-|–|/)\s+|,")


def _slug_id(prefix: str, name: str) -> str:
    return f"{prefix}:{hashlib.sha1(normalise(name).encode()).hexdigest()[:12]}"


def _words(text: str) -> set[str]:
    return set(normalise(text).split())


# The legal forms a company's name ends with ('Prairie Hearth Foods, Inc.'): no source's alias of a skill
# (Linguist gives 'inc' for PHP's include files) may be one.
_COMPANY_FORMS: Final = frozenset({"inc", "ltd", "llc", "llp", "corp", "co", "plc", "gmbh", "ag", "sa", "bv", "nv",
                                   "pty", "srl", "sas", "kk", "oy", "ab", "as", "spa"})


class Builder:
    """Concepts being merged, indexed by every name they absorbed and by their curated aliases."""

    def __init__(self) -> None:
        self.concepts: dict[str, dict[str, Any]] = {}
        self.by_name: dict[str, str] = {}
        self.by_curated_alias: dict[str, str] = {}
        self.alias_ranks: dict[str, dict[str, int]] = {}
        self.merges: set[tuple[str, str, str]] = set()

    def find(self, names: Iterable[str], curated_aliases: bool = True) -> str | None:
        """The concept one of the names names, trying concept names before curated aliases."""
        keys = [key for key in map(normalise, names) if key]
        found = next((self.by_name[key] for key in keys if key in self.by_name), None)
        if found is None and curated_aliases:
            found = next((self.by_curated_alias[key] for key in keys if key in self.by_curated_alias), None)
        return found

    def add(self, concept_id: str, name: str, aliases: Iterable[str], category: str | None, skill_type: str,
            source: str, into: str | None = None, **extra: Any) -> str:
        """The id of the concept `name` now belongs to: `into`, the concept its name names, or a new one."""
        key = normalise(name)
        if not key:
            return ""
        aliases = list(aliases)
        existing_id = into or self.find([name])
        if existing_id is None:
            self.concepts[concept_id] = {
                "id": concept_id, "name": name, "category": category, "type": skill_type, "sources": {source},
                "broader": set(), "implies": set(),
            }
            self.alias_ranks[concept_id] = {}
        else:
            concept_id = existing_id
            existing = self.concepts[concept_id]
            if normalise(existing["name"]) != key:
                self.merges.add((source, name, existing["name"]))
            existing["sources"].add(source)
            existing["category"] = existing["category"] or category
            aliases.append(name)
        concept = self.concepts[concept_id]
        for flag, value in extra.items():
            if value:
                concept[flag] = value
        rank = SOURCE_RANK[source]
        ranks = self.alias_ranks[concept_id]
        for alias in aliases:
            alias = alias.strip()
            if normalise(alias) in _COMPANY_FORMS:
                continue
            if alias and rank < ranks.get(alias, len(SOURCE_RANK)):
                ranks[alias] = rank
            if source == "curated" and normalise(alias):
                self.by_curated_alias.setdefault(normalise(alias), concept_id)
        self.by_name.setdefault(key, concept_id)
        return concept_id

    def finish(self) -> list[dict[str, Any]]:
        """The concepts in id order, each alias kept only on the concept it names (ties between equally trusted
        sources go to O*NET's hot technologies), in its most trusted and most capitalised spelling."""
        names = {normalise(c["name"]): concept_id for concept_id, c in self.concepts.items()}
        owner: dict[str, tuple[int, bool, str]] = {}
        for concept_id, ranks in self.alias_ranks.items():
            popular = bool(self.concepts[concept_id].get("hot"))
            for alias, rank in ranks.items():
                key = normalise(alias)
                claim = (rank, not popular, concept_id)
                if key and key not in names and claim < owner.get(key, (len(SOURCE_RANK), True, "~")):
                    owner[key] = claim
        concepts = []
        for concept_id in sorted(self.concepts):
            concept = self.concepts[concept_id]
            spellings: dict[str, tuple[int, int, str]] = {}
            for alias, rank in self.alias_ranks[concept_id].items():
                key = normalise(alias)
                if key in owner and owner[key][2] == concept_id:
                    spelling = (rank, -sum(ch.isupper() for ch in alias), alias)
                    spellings[key] = min(spellings.get(key, spelling), spelling)
            concept["aliases"] = sorted(spelling[2] for spelling in spellings.values())
            concept["sources"] = sorted(concept["sources"])
            concept["broader"] = sorted(concept["broader"] - {concept_id})
            concept["implies"] = sorted(concept["implies"] - {concept_id})
            concepts.append({k: v for k, v in concept.items()
                             if v not in (None, [], False) or k in ("aliases", "broader", "implies", "category")})
        return concepts


def _singular(name: str) -> str:
    """The name with its last word in the singular ('Forklifts' → 'Forklift'); unchanged when it is not a
    regular plural."""
    head, _, last = name.rpartition(" ")
    lower = last.lower()
    if (len(lower) <= 3 or not lower.endswith("s") or lower in _PLURAL_ONLY
            or lower.endswith(("ss", "us", "is", "ics", "ous", "'s"))):
        return name
    if lower.endswith("ies"):
        singular = last[:-3] + "y"
    elif lower.endswith(("ches", "shes", "xes", "zes", "sses")):
        singular = last[:-2]
    else:
        singular = last[:-1]
    return f"{head} {singular}" if head else singular


def _spells_out(words: list[str], acronym: str) -> bool:
    """Whether the words are what the acronym abbreviates: its first letter starts them, each of their initials
    is in it in order, and all its letters are in them in order ('Database management system' → DBMS)."""
    content = [w for w in words if w.lower() not in _LINKING_WORDS]
    letters = acronym.lower().replace("-", "").replace("/", "").replace("&", "")
    if not content or len(content) > len(letters) or content[0][0].lower() != letters[0]:
        return False
    joined, position = "".join(content).lower(), 0
    for letter in letters:
        position = joined.find(letter, position)
        if position < 0:
            return False
        position += 1
    initials = iter(letters)
    return all(any(letter == word[0].lower() for letter in initials) for word in content)


def _acronym_forms(name: str) -> tuple[list[str], list[str]]:
    """O*NET writes an acronym after the words it stands for ('Learning management system LMS', 'Computer
    numerical control CNC lathes'). Gives the name without the acronym (a merge key as well as an alias), and
    as aliases the name with the acronym in place of its words and, when the acronym ends the name, the acronym
    alone. Acronyms are never merge keys: 'REACT' abbreviates a real-estate system, not React."""
    tokens = name.split()
    for index, token in enumerate(tokens):
        found = _ACRONYM.match(token)
        if index == 0 or found is None or len(found.group(1)) < 2:
            continue
        acronym = found.group(1) + found.group(2)
        for start in range(index - 1, max(-1, index - 9), -1):
            if _spells_out(tokens[start:index], found.group(1)):
                rest = tokens[index + 1:]
                long_form = " ".join(tokens[:index] + rest)
                forms = [" ".join([*tokens[:start], acronym, *rest])]
                if not rest or rest == ["software"]:
                    forms.append(acronym)
                    long_form = " ".join(tokens[:index])
                return [long_form, *forms], [long_form]
    return [], []


def _ordinary_words(esco: Path) -> frozenset[str]:
    """Words ESCO's descriptions write in lower case: plain English ('project', 'network', 'level'), as opposed
    to product names ('Photoshop', 'Kubernetes'), which prose capitalises."""
    words: set[str] = set()
    for name in ("skills_en.csv", "occupations_en.csv"):
        with (esco / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                words.update(re.findall(r"\b[a-z]+\b", row["description"]))
    return frozenset(words)


def _distinctive(alias: str, ordinary: frozenset[str]) -> bool:
    """Whether an alias a source did not write itself (a vendor's product without the vendor, a tool in the
    singular, a tag synonym) can stand for a skill on its own: one plain word ('Project', 'Level') cannot."""
    return " " in alias.strip() or alias.lower() not in ordinary


def _vendorless(name: str, ordinary: frozenset[str]) -> str | None:
    """'Atlassian JIRA' → 'JIRA', 'ESRI ArcGIS software' → 'ArcGIS', 'Shopify software' → 'Shopify': the product
    as people write it, when what is left is a name of its own ('Accounting software' and 'Remote sensing
    software' name kinds of software, not products)."""
    without_vendor = _VENDOR.sub("", name)
    stripped = re.sub(r"\s+software$", "", without_vendor)
    if without_vendor == name and (" " in stripped or not _distinctive(stripped, ordinary)):
        stripped = without_vendor
    if stripped == name or len(stripped) <= 2 or not re.search(r"[A-Za-z]", stripped):
        return None
    return stripped


def _names_a_product(concept: dict[str, Any]) -> bool:
    """Whether a concept is a named technology a vendor's product can be: 'Jira', 'Fusion 360', 'SolidWorks',
    but not 'Persuasion' (Adobe Persuasion is no soft skill) or 'Risk Management' (nor is Thomson Reuters')."""
    name = concept["name"]
    if concept["type"] != "hard":
        return False
    return " " not in name or any(ch.isdigit() for ch in name) or any(
        ch.isupper() for word in name.split() for ch in word[1:])


def _onet_technology(builder: Builder, folder: Path, ordinary: frozenset[str]) -> None:
    """O*NET's technology examples; one named by a single plain word ('Route', 'Square', 'Loom') and not already
    known is ambiguous, a skill in prose only beside other tools or in a technical sentence, and a two-letter
    abbreviation a name ends with ('Oracle Java Enterprise Edition EE') is no name of it on its own."""
    with (folder / "db_30_2" / "technology_skills.txt").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            name = row["Example"].strip()
            aliases, long_forms = _acronym_forms(name)
            vendorless = _vendorless(name, ordinary)
            into = builder.find([name, *long_forms, *(form + "s" for form in long_forms)])
            if vendorless is not None:
                aliases.append(vendorless)
                product = builder.find([vendorless], curated_aliases=False)
                if into is None and product is not None and _names_a_product(builder.concepts[product]):
                    into = product
            aliases = [alias for alias in aliases if _distinctive(alias, ordinary) and len(alias) > 2]
            plain_word = into is None and not _distinctive(name.rstrip("!?."), ordinary)
            builder.add(_slug_id("onet", name), name, aliases, row["Commodity Title"], "hard", "onet", into=into,
                        hot=row["Hot Technology"] == "Y", ambiguous=plain_word)


def _onet_content_model(builder: Builder, folder: Path) -> None:
    """Leaf elements of the chosen content-model branches, with their group as category (basic skills as one
    group: its halves are called 'Content' and 'Process'); 'Adaptability/Flexibility' also gives its parts."""
    with (folder / "db_27_0" / "content_model_reference.txt").open(encoding="utf-8") as handle:
        elements = {row["Element ID"]: row["Element Name"] for row in csv.DictReader(handle, delimiter="\t")}
    for element_id, name in elements.items():
        branch = max((p for p in _CONTENT_MODEL_TYPES if element_id.startswith(p + ".") or element_id == p),
                     key=len, default=None)
        is_leaf = not any(other.startswith(element_id + ".") for other in elements)
        if branch is None or not is_leaf or element_id.startswith(_CONTENT_MODEL_LEFT_OUT):
            continue
        parts = [part.strip() for part in name.split("/")] if "/" in name else []
        group = "2.A" if element_id.startswith("2.A.") else element_id.rsplit(".", 1)[0]
        builder.add("onet:" + element_id, name, parts, elements[group], _CONTENT_MODEL_TYPES[branch],
                    "onet-content", into=builder.find([name, *parts]))


def _onet_tools(builder: Builder, folder: Path, ordinary: frozenset[str]) -> None:
    """Tools and equipment ('Forklifts', 'Oscilloscopes'), with their singular as an alias; everyday goods are
    left out. A tool merges by its singular only with another tool or an ESCO concept: 'Flasks' are not Flask,
    the Python framework."""
    with (folder / "db_27_0" / "tools_used.txt").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        name = row["Example"].strip()
        if row["Commodity Code"][:2] in _EVERYDAY_SEGMENTS or _EVERYDAY_TOOL.fullmatch(name):
            continue
        aliases, long_forms = _acronym_forms(name)
        aliases = [alias for alias in aliases if _distinctive(alias, ordinary)]
        singulars = sorted(s for s in {_singular(form) for form in (name, *long_forms)} - {name, *long_forms}
                           if _distinctive(s, ordinary))
        into = builder.find([name, *long_forms])
        alike = builder.find(singulars, curated_aliases=False)
        if into is None and alike is not None and builder.concepts[alike]["sources"] <= {"onet-tools", "esco"}:
            into = alike
        builder.add(_slug_id("tool", name), name, [*aliases, *singulars], row["Commodity Title"], "hard",
                    "onet-tools", into=into)


def _linguist(builder: Builder, folder: Path, ordinary: frozenset[str]) -> None:
    """Languages, except those whose name the curated list gives another entry as an alias: that entry already
    names the language ('TSQL' is Microsoft SQL Server) or the skill a resume means by it ('ASL' is American Sign
    Language, 'Lean' is lean manufacturing). A language named by one plain word ('Fluent', 'Shell', 'Charity')
    is ambiguous, so that 'Fluent in Spanish' opening a sentence names no language, unless the curated list
    already says how to read it."""
    for language in json.loads((folder / "languages.json").read_text(encoding="utf-8")):
        name = language["name"]
        if language.get("type") != "programming" and name not in _MARKUP_AND_DATA_LANGUAGES:
            continue
        if builder.find([name], curated_aliases=False) is None and builder.find([name]) is not None:
            continue
        aliases = [a for a in language.get("aliases") or [] if len(a) > 1]
        category = "Programming languages" if language["type"] == "programming" else "Markup and data languages"
        plain_word = " " not in name and name.lower() in ordinary and builder.find([name]) is None
        builder.add(_slug_id("lang", name), name, aliases, category, "hard", "linguist", ambiguous=plain_word)


def _unqualified(label: str) -> str:
    """'Python (computer programming)' → 'Python': ESCO's qualifier is not part of the name."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", label)


def _esco_same_skill(builder: Builder, label: str, synonyms: list[str], owners: Counter[str]) -> str | None:
    """The concept from another source that this ESCO concept is, by one of the rules in the module docstring."""
    direct = builder.find([label])
    if direct is not None:
        return direct
    bare = _unqualified(label)
    qualified = builder.find([bare]) if bare != label else None
    if qualified is not None and builder.concepts[qualified]["name"] == bare:
        return qualified
    hits = set()
    for synonym in synonyms:
        key = normalise(synonym)
        target = builder.find([synonym]) if owners[key] == 1 else None
        if target is not None and "esco" not in builder.concepts[target]["sources"]:
            hits.add(target)
    if len(hits) != 1:
        return None
    target = hits.pop()
    label_words, name_words = _words(label) - _LINKING_WORDS, _words(builder.concepts[target]["name"]) - _LINKING_WORDS
    shared = label_words & name_words - {"software", "tools", "tool", "system", "systems", "equipment"}
    return target if shared and len(label_words) <= len(name_words) + 1 else None


def _esco(builder: Builder, folder: Path) -> None:
    """ESCO's skills and knowledge, those named like an existing concept first, so that a synonym match never
    takes a concept another ESCO concept is named after."""
    labels: dict[str, str] = {}
    with (folder / "skillGroups_en.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            labels[row["conceptUri"]] = row["preferredLabel"]
    parents: dict[str, list[str]] = defaultdict(list)
    with (folder / "broaderRelationsSkillPillar.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            parents[row["conceptUri"]].append(row["broaderUri"])
    with (folder / "transversalSkillsCollection_en.csv").open(encoding="utf-8") as handle:
        transversal = {row["conceptUri"] for row in csv.DictReader(handle)}
    with (folder / "skills_en.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    owners: Counter[str] = Counter()
    for row in rows:
        owners.update({normalise(a) for a in [row["preferredLabel"], *row["altLabels"].split("\n")] if a.strip()})
    named_alike = {row["conceptUri"] for row in rows if builder.find([row["preferredLabel"]])}
    uri_to_id: dict[str, str] = {}
    for row in sorted(rows, key=lambda row: row["conceptUri"] not in named_alike):
        uri, label = row["conceptUri"], row["preferredLabel"]
        synonyms = [a.strip() for a in row["altLabels"].split("\n") if a.strip()]
        group = next((labels[p] for p in parents.get(uri, []) if p in labels), None)
        soft = row["reuseLevel"] == "transversal" or uri in transversal
        uri_to_id[uri] = builder.add("esco:" + uri.rsplit("/", 1)[-1], label, synonyms, group,
                                     "soft" if soft else "hard", "esco",
                                     into=_esco_same_skill(builder, label, synonyms, owners))
    for uri, broader_uris in parents.items():
        if uri in uri_to_id:
            builder.concepts[uri_to_id[uri]]["broader"].update(uri_to_id[b] for b in broader_uris if b in uri_to_id)


def _with_abbreviations(name: str, aliases: list[str]) -> list[str]:
    """The aliases and the name followed by each abbreviation in brackets, as resumes write it: 'Search Engine
    Optimization (SEO)', 'Blue Yonder (JDA)'."""
    abbreviations = [a for a in aliases if _ABBREVIATION.match(a)] if " " in name else []
    return [*aliases, *(f"{name} ({abbreviation})" for abbreviation in abbreviations)]


def _curated(builder: Builder) -> list[dict[str, Any]]:
    data = json.loads((HERE / "curated.json").read_text(encoding="utf-8"))
    for item in data["skills"]:
        concept_id = _slug_id("rp", item["name"])
        aliases = _with_abbreviations(item["name"], item.get("aliases", []))
        if builder.add(concept_id, item["name"], aliases, item["category"],
                       item.get("type", "hard"), "curated", ambiguous=item.get("ambiguous", False)) != concept_id:
            raise ValueError(f"curated {item['name']!r} is already the name or an alias of another curated entry")
    skills: list[dict[str, Any]] = data["skills"]
    return skills


def _curated_relations(builder: Builder, items: list[dict[str, Any]]) -> None:
    """Implications and broader concepts of curated entries, by the target's name in any source; settled after
    every source is in, and the curated name, category and type restored over any merge."""
    for item in items:
        concept = builder.concepts[builder.by_name[normalise(item["name"])]]
        concept.update(name=item["name"], category=item["category"], type=item.get("type", "hard"))
        for relation in ("implies", "broader"):
            for target in item.get(relation, []):
                target_id = builder.find([target])
                if target_id is None:
                    raise ValueError(f"curated {item['name']!r} {relation} unknown skill {target!r}")
                concept[relation].add(target_id)


def _stackoverflow_aliases(folder: Path, concepts: list[Concept], surfaces: dict[str, tuple[str, str]],
                           ordinary: frozenset[str]) -> dict[str, list[str]]:
    """Tag synonyms of the tags that are the name of a technology (from the curated list, Linguist or O*NET
    technology), each a surface form no concept has yet, of three characters or more and not a plain word: on a
    resume 'cv' is no computer vision and 'network' no skill by itself."""
    tech = {normalise(c.name): c.id for c in concepts if {"curated", "linguist", "onet"}.intersection(c.sources)}
    aliases: dict[str, set[str]] = defaultdict(set)
    claimed: set[str] = set()
    with (folder / "TagSynonyms.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            target = tech.get(normalise(row["TargetTagName"].replace("-", " ")))
            source = row["SourceTagName"].replace("-", " ")
            key = normalise(source)
            if (target is not None and len(source) > 2 and key not in surfaces and key not in claimed
                    and _distinctive(source, ordinary)):
                aliases[target].add(source)
                claimed.add(key)
    return {key: sorted(values) for key, values in sorted(aliases.items())}


def _title_head(title: str) -> str | None:
    """The head noun of a job title: its last word before 'of', 'for', a comma... ('Tax Preparer' → preparer)."""
    text = _TITLE_CUT.split(re.sub(r"\([^)]*\)", "", title).lower())[0]
    words = re.findall(r"[a-z][a-z'-]*", text)
    return words[-1] if words else None


def _title_heads(sources: Path) -> list[str]:
    """Head nouns of the job titles in O*NET (alternate titles) and ESCO (occupation labels), the frequent ones."""
    counts: dict[str, int] = {}
    titles: list[str] = []
    with (sources / "onet" / "db_27_0" / "alternate_titles.txt").open(encoding="utf-8") as handle:
        titles += [row["Alternate Title"] for row in csv.DictReader(handle, delimiter="\t")]
    with (sources / "esco" / "occupations_en.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            titles += [row["preferredLabel"], *row["altLabels"].split("\n")]
    for title in titles:
        head = _title_head(title)
        if head:
            counts[head] = counts.get(head, 0) + 1
    return sorted(head for head, count in counts.items() if count >= MIN_TITLE_HEAD_COUNT)


def _soc(code: str, catch_all: frozenset[str]) -> str | None:
    """An O*NET-SOC code without its '.01' specialty suffix, which the rest of its occupation shares, except
    under a catch-all ('Managers, All Other'), whose specialties are distinct occupations and which itself is
    left out: sharing it says nothing about two jobs."""
    base = code.split(".", 1)[0]
    if base not in catch_all:
        return base
    return None if code.endswith(".00") else code


def _occupations(folder: Path, surfaces: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """O*NET occupations by title and by the skills their technology and tool examples name, with the
    project's list of title words in other languages (title-words.json)."""
    with (folder / "db_30_2" / "occupation_data.txt").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    catch_all = frozenset(row["O*NET-SOC Code"].split(".", 1)[0] for row in rows
                          if row["Title"].endswith(", All Other"))
    names: dict[str, str] = {}
    titles: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if (code := _soc(row["O*NET-SOC Code"], catch_all)) is not None:
            names.setdefault(code, row["Title"])
            titles[normalise(row["Title"])].add(code)
            titles[normalise(re.sub(r"s$", "", row["Title"].split(",")[0]))].add(code)
    for name, column in (("alternate_titles.txt", "Alternate Title"), ("alternate_titles.txt", "Short Title"),
                         ("sample_of_reported_titles.txt", "Reported Job Title")):
        with (folder / "db_27_0" / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if row[column] != "n/a" and (code := _soc(row["O*NET-SOC Code"], catch_all)) is not None:
                    titles[normalise(row[column])].add(code)
    skills: dict[str, set[str]] = defaultdict(set)
    for name in ("db_30_2/technology_skills.txt", "db_27_0/tools_used.txt"):
        with (folder / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                found = surfaces.get(normalise(row["Example"]))
                if found is not None and (code := _soc(row["O*NET-SOC Code"], catch_all)) is not None:
                    skills[found[0]].add(code)
    words = json.loads((HERE / "title-words.json").read_text(encoding="utf-8"))
    return {"names": names, "titles": {key: sorted(codes) for key, codes in sorted(titles.items()) if key},
            "translations": {part: words[part] for part in ("phrases", "words", "compound_heads",
                                                             "compound_modifiers")},
            "skills": {key: sorted(codes) for key, codes in sorted(skills.items())}}


def build(sources: Path, out: Path, merges: Path | None = None) -> dict[str, int]:
    """Writes the data files and the surface index to `out` and returns their counts; `merges` gets every name
    merged into a differently named concept, one a line, to review what the merge rules did."""
    builder = Builder()
    ordinary = _ordinary_words(sources / "esco")
    curated = _curated(builder)
    _linguist(builder, sources / "linguist", ordinary)
    _onet_technology(builder, sources / "onet", ordinary)
    _onet_content_model(builder, sources / "onet")
    _esco(builder, sources / "esco")
    _onet_tools(builder, sources / "onet", ordinary)
    _curated_relations(builder, curated)
    concepts = builder.finish()
    typed = msgspec.convert(concepts, list[Concept])
    surfaces = surface_index(typed)
    so_aliases = _stackoverflow_aliases(sources / "stackoverflow", typed, surfaces, ordinary)
    heads = _title_heads(sources)
    occupations = _occupations(sources / "onet", surfaces)
    out.mkdir(parents=True, exist_ok=True)
    for name, payload in (("taxonomy.json.gz", {"concepts": concepts}),
                          ("aliases-stackoverflow.json.gz", {"aliases": so_aliases}),
                          ("title-heads.json.gz", {"heads": heads}),
                          ("occupations.json.gz", occupations)):
        _write(out / name, payload)
    write_index(out)
    if merges is not None:
        merges.write_text("".join(f"{source}\t{name}\t→ {kept}\n" for source, name, kept in sorted(builder.merges)),
                          encoding="utf-8")
    return {"concepts": len(concepts), "aliases": sum(len(c["aliases"]) for c in concepts),
            "merged_names": len(builder.merges), "stackoverflow_aliases": sum(len(v) for v in so_aliases.values()),
            "title_heads": len(heads), "occupation_titles": len(occupations["titles"]),
            "skills_with_occupations": len(occupations["skills"])}


def _write(path: Path, payload: Any) -> None:
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    path.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))


def write_index(folder: Path) -> int:
    """Writes the surface index of `folder`'s `taxonomy.json.gz` beside it, so that loading the taxonomy does
    not normalise every name and alias again; returns the number of surface forms."""
    source = (folder / "taxonomy.json.gz").read_bytes()
    concepts = msgspec.json.decode(gzip.decompress(source), type=dict[str, list[Concept]])["concepts"]
    index = build_index(concepts, source)
    _write(folder / INDEX_FILE, msgspec.to_builtins(index))
    return len(index.surfaces)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=Path, default=HERE.parent.parent / "shared" / "data" / "skills")
    parser.add_argument("--out", type=Path, default=HERE / "data")
    parser.add_argument("--merges", type=Path, help="write every name merged into a differently named concept here")
    parser.add_argument("--index-only", action="store_true",
                        help=f"only rebuild {INDEX_FILE} from the taxonomy.json.gz in --out (no sources needed)")
    args = parser.parse_args()
    if args.index_only:
        print(json.dumps({"surface_forms": write_index(args.out)}))
        return
    print(json.dumps(build(args.sources, args.out, args.merges)))


if __name__ == "__main__":
    main()
