"""The skills taxonomy: concepts with ids, names, aliases, categories, types and relations, loaded once.

`find_in_text` scans text for known surface forms with a token n-gram dictionary, so its cost grows with the
text, not with the size of the taxonomy.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from importlib import resources
from typing import Final

import msgspec

MAX_NGRAM: Final = 5
_TOKEN: Final = re.compile(r"[A-Za-zÀ-ÿ0-9][\w+#./-]*[\w+#]|[A-Za-zÀ-ÿ0-9#]")


def normalise(text: str) -> str:
    """The key a surface form is indexed under: lower case, punctuation folded to spaces."""
    return " ".join(re.sub(r"[^\w+#./ -]", " ", text.lower()).replace("-", " ").split())


class Concept(msgspec.Struct, frozen=True):
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    category: str | None = None
    type: str = "hard"
    sources: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    implies: tuple[str, ...] = ()
    ambiguous: bool = False
    hot: bool = False


class Match(msgspec.Struct, frozen=True):
    concept: Concept
    surface: str
    method: str
    start: int
    end: int


class Taxonomy:
    """Concepts by id and by every normalised surface form (names, aliases, Stack Overflow synonyms)."""

    def __init__(self, concepts: list[Concept], extra_aliases: dict[str, list[str]]) -> None:
        self.by_id: dict[str, Concept] = {concept.id: concept for concept in concepts}
        self.surfaces: dict[str, tuple[str, str]] = {}
        for concept in concepts:
            for alias in (*concept.aliases, *extra_aliases.get(concept.id, ())):
                self.surfaces.setdefault(normalise(alias), (concept.id, "alias"))
        for concept in concepts:
            self.surfaces[normalise(concept.name)] = (concept.id, "exact")
        self._by_shape: dict[tuple[str, int], list[str]] = {}
        for surface in self.surfaces:
            if len(surface) >= 4:
                self._by_shape.setdefault((surface[0], len(surface)), []).append(surface)
        self.narrower: dict[str, list[str]] = {}
        for concept in concepts:
            for parent in concept.broader:
                self.narrower.setdefault(parent, []).append(concept.id)

    def lookup(self, surface: str) -> tuple[Concept, str] | None:
        """The concept a whole phrase names, with 'exact' or 'alias'."""
        found = self.surfaces.get(normalise(surface))
        if found is None:
            return None
        return self.by_id[found[0]], found[1]

    def near_spellings(self, key: str, spread: int = 2) -> list[str]:
        """Surface forms that start with the same letter and differ in length by at most `spread`: the only
        candidates a misspelling of `key` can be, so fuzzy matching never scans the whole taxonomy."""
        if not key:
            return []
        return [s for size in range(len(key) - spread, len(key) + spread + 1)
                for s in self._by_shape.get((key[0], size), ())]

    def find_in_text(self, text: str) -> list[Match]:
        """Longest known phrases in the text, left to right, never overlapping (multi-word skills win)."""
        tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        matches: list[Match] = []
        index = 0
        while index < len(tokens):
            found: Match | None = None
            for size in range(min(MAX_NGRAM, len(tokens) - index), 0, -1):
                start, end = tokens[index][1], tokens[index + size - 1][2]
                hit = self.surfaces.get(normalise(text[start:end]))
                if hit is not None:
                    found = Match(concept=self.by_id[hit[0]], surface=text[start:end], method=hit[1], start=start,
                                  end=end)
                    index += size
                    break
            if found is None:
                index += 1
            else:
                matches.append(found)
        return matches

    def stats(self) -> dict[str, object]:
        by_type: dict[str, int] = {}
        categories: set[str] = set()
        for concept in self.by_id.values():
            by_type[concept.type] = by_type.get(concept.type, 0) + 1
            if concept.category:
                categories.add(concept.category)
        return {
            "skills": len(self.by_id),
            "surface_forms": len(self.surfaces),
            "aliases": sum(len(c.aliases) for c in self.by_id.values()),
            "categories": len(categories),
            "broader_relations": sum(len(c.broader) for c in self.by_id.values()),
            "implications": sum(len(c.implies) for c in self.by_id.values()),
            "by_type": by_type,
        }


def _read(name: str) -> object:
    data = resources.files("taxonomy").joinpath("data", name).read_bytes()
    return json.loads(gzip.decompress(data))


@functools.cache
def load() -> Taxonomy:
    """The shipped taxonomy, loaded once per process."""
    main = _read("taxonomy.json.gz")
    extra = _read("aliases-stackoverflow.json.gz")
    assert isinstance(main, dict) and isinstance(extra, dict)
    concepts = msgspec.convert(main["concepts"], list[Concept])
    return Taxonomy(concepts, extra["aliases"])


@functools.cache
def title_heads() -> frozenset[str]:
    """Head nouns of job titles (engineer, preparer, labourer), from O*NET and ESCO; built with the taxonomy."""
    data = _read("title-heads.json.gz")
    assert isinstance(data, dict)
    return frozenset(data["heads"])
