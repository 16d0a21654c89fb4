"""The skills taxonomy: concepts with ids, names, aliases, categories, types and relations, loaded once.

Every surface form names one concept (the builder settles which, see taxonomy/build.py), so a lookup is one
dictionary access. `find_in_text` scans text for known surface forms with a token n-gram dictionary, so its
cost grows with the text, not with the size of the taxonomy.

The index of surface forms ships pre-built (`surface-index.json.gz`, written by the build from the concepts):
normalising some 146,000 names took most of the taxonomy's loading time, and every worker paid it at start-up.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import itertools
import re
from collections.abc import Iterable
from importlib import resources
from typing import Final

import msgspec

MAX_NGRAM: Final = 5
INDEX_FILE: Final = "surface-index.json.gz"
EXACT: Final = 1
"""The low bit of a surface form's code: set when it is its concept's own name, clear for an alias. The other
bits are the concept's position in `taxonomy.json.gz`."""
_METHODS: Final = ("alias", "exact")
_TOKEN: Final = re.compile(r"[A-Za-zÀ-ÿ0-9][\w+#./-]*[\w+#]|[A-Za-zÀ-ÿ0-9#]")
_PLAIN: Final = re.compile(r"[^\W_]+(?: [^\W_]+)*")
_FOLDED: Final = re.compile(r"[^\w+#./ -]")
_BRACKET: Final = re.compile(r"[()\[\]{}]")


def normalise(text: str) -> str:
    """The key a surface form is indexed under: lower case, punctuation folded to spaces. Most names are plain
    words already, which the first test returns as they are: loading normalises some 150,000 of them."""
    lowered = text.lower()
    if _PLAIN.fullmatch(lowered):
        return lowered
    return " ".join(_FOLDED.sub(" ", lowered).replace("-", " ").split())


class Concept(msgspec.Struct, frozen=True, gc=False):
    """A skill. Untracked by the garbage collector (`gc=False`): it holds only strings, so it cannot be part of a
    cycle, and scanning the taxonomy's 40,000 concepts made the collector a fifth of the loading time."""

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


class _Concepts(msgspec.Struct, frozen=True):
    concepts: list[Concept]


class _Aliases(msgspec.Struct, frozen=True):
    aliases: dict[str, list[str]]


class _TitleHeads(msgspec.Struct, frozen=True):
    heads: list[str]


class TitleWords(msgspec.Struct, frozen=True):
    """English for job-title words of other languages: whole phrases, single words, and the parts of German
    compounds (the head 'ingenieur', the modifier 'entwicklungs')."""

    phrases: dict[str, str]
    words: dict[str, str]
    compound_heads: dict[str, str]
    compound_modifiers: dict[str, str]


class Occupations(msgspec.Struct, frozen=True):
    """O*NET occupations (SOC codes): their names, the titles each is known by and the skills of the taxonomy
    that name its technology and tools."""

    names: dict[str, str]
    titles: dict[str, list[str]]
    skills: dict[str, list[str]]
    translations: TitleWords


class Match(msgspec.Struct, frozen=True):
    concept: Concept
    surface: str
    method: str
    start: int
    end: int


class SurfaceIndex(msgspec.Struct, frozen=True):
    """The surface forms of the concepts of one `taxonomy.json.gz` (named by the SHA-256 of its bytes): each
    with its code (see `EXACT`), and the most words a surface form starting with each first word has."""

    source_sha256: str
    surfaces: dict[str, int]
    leads: dict[str, int]


def surface_index(concepts: list[Concept]) -> dict[str, tuple[str, str]]:
    """Every normalised name and alias with the id of the concept it names and 'exact' or 'alias'; a name wins
    over another concept's alias."""
    surfaces = {normalise(alias): (concept.id, "alias") for concept in concepts for alias in concept.aliases}
    surfaces.update({normalise(concept.name): (concept.id, "exact") for concept in concepts})
    return surfaces


def build_index(concepts: list[Concept], source: bytes) -> SurfaceIndex:
    """The index of the concepts decoded from `source` (the bytes of `taxonomy.json.gz`)."""
    position = {concept.id: place for place, concept in enumerate(concepts)}
    surfaces = {surface: position[concept_id] << 1 | (method == "exact")
                for surface, (concept_id, method) in surface_index(concepts).items()}
    leads: dict[str, int] = {}
    _count_leads(surfaces, leads)
    return SurfaceIndex(source_sha256=hashlib.sha256(source).hexdigest(), surfaces=surfaces, leads=leads)


def _count_leads(surfaces: Iterable[str], leads: dict[str, int]) -> None:
    for surface in surfaces:
        lead, words = _lead(surface), surface.count(" ") + 1
        if words > leads.get(lead, 0):
            leads[lead] = words


def _lead(key: str) -> str:
    """The first word of a normalised phrase, without the dots and slashes a phrase's first word can carry past
    its first token ('u.s. gaap' from the tokens 'U.S' and 'GAAP'): what `find_in_text` can tell from one token."""
    return key.split(" ", 1)[0].rstrip("./")


class Taxonomy:
    """Concepts by id and by every normalised surface form (names, aliases, Stack Overflow synonyms), and the
    narrower concepts of each concept: the inverse of `Concept.broader`. Surface forms are also counted by
    first word, so that `find_in_text` tries only phrases as long as some surface form starting that way.

    `index` is the index of `concepts` (it is taken over and extended with the Stack Overflow synonyms)."""

    def __init__(self, concepts: list[Concept], extra_aliases: dict[str, list[str]], index: SurfaceIndex) -> None:
        self.concepts = concepts
        self.by_id: dict[str, Concept] = {concept.id: concept for concept in concepts}
        self.surfaces: dict[str, int] = index.surfaces
        self._longest: dict[str, int] = index.leads
        position = {concept.id: place for place, concept in enumerate(concepts)}
        added = []
        for concept_id, aliases in extra_aliases.items():
            for alias in aliases:
                key = normalise(alias)
                if key not in self.surfaces:
                    self.surfaces[key] = position[concept_id] << 1
                    added.append(key)
        _count_leads(added, self._longest)
        self.narrower: dict[str, list[str]] = {}
        for concept in concepts:
            for parent in concept.broader:
                self.narrower.setdefault(parent, []).append(concept.id)

    @functools.cached_property
    def _by_shape(self) -> dict[tuple[str, int], list[str]]:
        """Surface forms of four characters or more by first character and length; built on the first fuzzy
        lookup rather than at load, since only a listed skill the taxonomy does not know needs it."""
        shapes: dict[tuple[str, int], list[str]] = {}
        for surface in self.surfaces:
            if len(surface) >= 4:
                shapes.setdefault((surface[0], len(surface)), []).append(surface)
        return shapes

    def lookup(self, surface: str) -> tuple[Concept, str] | None:
        """The concept a whole phrase names, with 'exact' or 'alias'."""
        return self.by_surface(normalise(surface))

    def by_surface(self, key: str) -> tuple[Concept, str] | None:
        """The concept a normalised surface form names, with 'exact' or 'alias'."""
        code = self.surfaces.get(key)
        if code is None:
            return None
        return self.concepts[code >> 1], _METHODS[code & EXACT]

    def near_spellings(self, key: str, min_ratio: int, spread: int = 2) -> list[str]:
        """Surface forms that start with the same letter, differ in length by at most `spread`, and whose length
        leaves room for a `fuzz.ratio` of `min_ratio` (0-100) against `key`: the only candidates a misspelling
        of `key` can be, so fuzzy matching never scans the whole taxonomy. The ratio is 100 × (1 - the InDel
        distance / the two lengths together), and that distance is at least the difference in length, and at
        least 2 between different strings of one length: a key under 13 letters can only be one letter longer
        or shorter than what it misspells."""
        if not key:
            return []
        shapes = self._by_shape
        size = len(key)
        return list(itertools.chain.from_iterable(
            shapes.get((key[0], other), ()) for other in range(size - spread, size + spread + 1)
            if 100 * (abs(other - size) or 2) <= (100 - min_ratio) * (size + other)))

    def find_in_text(self, text: str) -> list[Match]:
        """Longest known phrases in the text, left to right, never overlapping (multi-word skills win) and never
        across a bracket: in 'AWS (S3, EC2)' the skills are AWS and S3, not 'AWS S3'."""
        tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        matches: list[Match] = []
        index = 0
        while index < len(tokens):
            found: Match | None = None
            longest = self._longest.get(_lead(normalise(tokens[index][0])), 0)
            for size in range(min(MAX_NGRAM, len(tokens) - index, longest), 0, -1):
                start, end = tokens[index][1], tokens[index + size - 1][2]
                if _BRACKET.search(text, start, end):
                    continue
                hit = self.surfaces.get(normalise(text[start:end]))
                if hit is not None:
                    found = Match(concept=self.concepts[hit >> 1], surface=text[start:end],
                                  method=_METHODS[hit & EXACT], start=start, end=end)
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


def _data(name: str) -> bytes:
    return resources.files("taxonomy").joinpath("data", name).read_bytes()


def _read(name: str) -> bytes:
    return gzip.decompress(_data(name))


@functools.cache
def load() -> Taxonomy:
    """The shipped taxonomy, loaded once per process; decoded straight into typed structs, which is the fast
    path."""
    return from_data(_data("taxonomy.json.gz"), _data("aliases-stackoverflow.json.gz"), _data(INDEX_FILE))


def from_data(concepts: bytes, aliases: bytes, index: bytes) -> Taxonomy:
    """The taxonomy from the bytes of its three files. An index built from other concepts than these (the
    concepts rebuilt without it) is not used: the index is built here instead, which is slower but right."""
    main = msgspec.json.decode(gzip.decompress(concepts), type=_Concepts)
    extra = msgspec.json.decode(gzip.decompress(aliases), type=_Aliases)
    shipped = msgspec.json.decode(gzip.decompress(index), type=SurfaceIndex)
    if shipped.source_sha256 != hashlib.sha256(concepts).hexdigest():
        shipped = build_index(main.concepts, concepts)
    return Taxonomy(main.concepts, extra.aliases, shipped)


@functools.cache
def title_heads() -> frozenset[str]:
    """Head nouns of job titles (engineer, preparer, labourer), from O*NET and ESCO; built with the taxonomy."""
    return frozenset(msgspec.json.decode(_read("title-heads.json.gz"), type=_TitleHeads).heads)


@functools.cache
def occupations() -> Occupations:
    """The O*NET occupations, built with the taxonomy; loaded on first use by matching."""
    return msgspec.json.decode(_read("occupations.json.gz"), type=Occupations)


@functools.cache
def posting_words() -> dict[str, str]:
    """Skill phrases of German, French, Spanish and Portuguese postings with the English name of their skill
    (the project's list, `posting-words.json`), for reading postings in those languages."""
    listed = msgspec.json.decode(resources.files("taxonomy").joinpath("posting-words.json").read_bytes(),
                                 type=dict[str, str | dict[str, str]])
    return {foreign: english for words in listed.values() if isinstance(words, dict)
            for foreign, english in words.items()}
