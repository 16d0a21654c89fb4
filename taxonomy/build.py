"""Build the skills taxonomy from the open sources, reproducibly.

    python -m taxonomy.build --sources ../shared/data/skills --out taxonomy/data

Concepts come from ESCO (skills and knowledge, with their skill-group as category and transversal skills as
soft), O*NET technology examples (named tools, with their commodity title as category), GitHub Linguist
(programming languages and their aliases) and the project's curated list (short names, soft-skill nouns,
implications). Concepts with the same normalised name are merged. Stack Overflow tag synonyms, which are
CC BY-SA 4.0, are written to a separate alias file so that the rest keeps its own licences (see NOTICE).
The head nouns of O*NET and ESCO job titles (engineer, preparer, labourer) go to `title-heads.json.gz`, which
the parser uses to tell a job title from an employer.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w+#./ -]", " ", text.lower()).replace("-", " ").split())


def _slug_id(prefix: str, name: str) -> str:
    return f"{prefix}:{hashlib.sha1(normalise(name).encode()).hexdigest()[:12]}"


class Builder:
    def __init__(self) -> None:
        self.concepts: dict[str, dict[str, Any]] = {}
        self.by_name: dict[str, str] = {}

    def add(self, concept_id: str, name: str, aliases: list[str], category: str | None, skill_type: str,
            source: str, **extra: Any) -> str:
        key = normalise(name)
        if not key:
            return ""
        existing_id = self.by_name.get(key)
        if existing_id is not None:
            existing = self.concepts[existing_id]
            existing["aliases"] = sorted(set(existing["aliases"]) | {a for a in aliases if normalise(a) != key})
            existing["sources"] = sorted(set(existing["sources"]) | {source})
            if source == "curated":
                existing.update({k: v for k, v in extra.items() if v})
                existing["name"] = name
                existing["category"] = category or existing["category"]
                existing["type"] = skill_type
            return existing_id
        self.concepts[concept_id] = {
            "id": concept_id, "name": name, "aliases": sorted({a for a in aliases if a and normalise(a) != key}),
            "category": category, "type": skill_type, "sources": [source], "broader": [], "implies": [],
            **extra,
        }
        self.by_name[key] = concept_id
        return concept_id


def _esco(builder: Builder, folder: Path) -> None:
    labels: dict[str, str] = {}
    with (folder / "skillGroups_en.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            labels[row["conceptUri"]] = row["preferredLabel"]
    parents: dict[str, list[str]] = defaultdict(list)
    with (folder / "broaderRelationsSkillPillar.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            parents[row["conceptUri"]].append(row["broaderUri"])
    transversal: set[str] = set()
    with (folder / "transversalSkillsCollection_en.csv").open(encoding="utf-8") as handle:
        transversal = {row["conceptUri"] for row in csv.DictReader(handle)}
    uri_to_id: dict[str, str] = {}
    with (folder / "skills_en.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            uri = row["conceptUri"]
            group = next((labels[p] for p in parents.get(uri, []) if p in labels), None)
            soft = row["reuseLevel"] == "transversal" or uri in transversal
            aliases = [a.strip() for a in row["altLabels"].split("\n") if a.strip()]
            concept_id = builder.add("esco:" + uri.rsplit("/", 1)[-1], row["preferredLabel"], aliases, group,
                                     "soft" if soft else "hard", "esco")
            uri_to_id[uri] = concept_id
    for uri, broader_uris in parents.items():
        child_id = uri_to_id.get(uri)
        if child_id is None:
            continue
        broader = [uri_to_id[b] for b in broader_uris if b in uri_to_id]
        builder.concepts[child_id]["broader"] = sorted(set(broader))


def _onet(builder: Builder, folder: Path) -> None:
    with (folder / "db_30_2" / "technology_skills.txt").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            name = row["Example"].strip()
            aliases = []
            stripped = re.sub(r"^(Microsoft|Adobe|Apple|Google|Oracle|IBM|SAP|Amazon|Autodesk)\s+", "", name)
            if stripped != name and len(stripped) > 2:
                aliases.append(stripped)
            builder.add(_slug_id("onet", name), name, aliases, row["Commodity Title"], "hard", "onet",
                        hot=row["Hot Technology"] == "Y" or None)


def _linguist(builder: Builder, folder: Path) -> None:
    for language in json.loads((folder / "languages.json").read_text(encoding="utf-8")):
        if language.get("type") != "programming":
            continue
        name = language["name"]
        aliases = [a for a in language.get("aliases") or [] if len(a) > 1]
        builder.add(_slug_id("lang", name), name, aliases, "Programming languages", "hard", "linguist")


def _curated(builder: Builder) -> None:
    data = json.loads((HERE / "curated.json").read_text(encoding="utf-8"))
    for item in data["skills"]:
        builder.add(_slug_id("rp", item["name"]), item["name"], item.get("aliases", []), item.get("category"),
                    item.get("type", "hard"), "curated", ambiguous=item.get("ambiguous") or None)
    for item in data["skills"]:
        concept_id = builder.by_name[normalise(item["name"])]
        builder.concepts[concept_id]["implies"] = sorted(
            builder.by_name[normalise(target)] for target in item.get("implies", [])
        )


def _stackoverflow_aliases(builder: Builder, folder: Path) -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = defaultdict(list)
    with (folder / "TagSynonyms.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            target = builder.by_name.get(normalise(row["TargetTagName"].replace("-", " ")))
            source = row["SourceTagName"].replace("-", " ")
            if target is not None and len(source) > 1 and normalise(source) not in builder.by_name:
                aliases[target].append(source)
    return {key: sorted(set(values)) for key, values in sorted(aliases.items())}


_TITLE_CUT = re.compile(r"\s+(?:of|for|in|to|and|&|-|–|/)\s+|,")
MIN_TITLE_HEAD_COUNT = 10


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


def build(sources: Path, out: Path) -> dict[str, int]:
    builder = Builder()
    _curated(builder)
    _linguist(builder, sources / "linguist")
    _onet(builder, sources / "onet")
    _esco(builder, sources / "esco")
    _curated(builder)
    concepts = sorted(builder.concepts.values(), key=lambda c: c["id"])
    for concept in concepts:
        concept["sources"] = sorted(concept["sources"])
        for key in [k for k, v in concept.items() if v in (None, [], False)]:
            if key not in ("aliases", "broader", "implies", "category"):
                del concept[key]
    so_aliases = _stackoverflow_aliases(builder, sources / "stackoverflow")
    out.mkdir(parents=True, exist_ok=True)
    heads = _title_heads(sources)
    for name, payload in (("taxonomy.json.gz", {"concepts": concepts}),
                          ("aliases-stackoverflow.json.gz", {"aliases": so_aliases}),
                          ("title-heads.json.gz", {"heads": heads})):
        raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        (out / name).write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    return {"concepts": len(concepts), "aliases": sum(len(c["aliases"]) for c in concepts),
            "stackoverflow_aliases": sum(len(v) for v in so_aliases.values()), "title_heads": len(heads)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", type=Path, default=HERE.parent.parent / "shared" / "data" / "skills")
    parser.add_argument("--out", type=Path, default=HERE / "data")
    args = parser.parse_args()
    print(json.dumps(build(args.sources, args.out)))


if __name__ == "__main__":
    main()
