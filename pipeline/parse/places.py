"""Cities of the world (GeoNames, 15,000+ inhabitants), to tell a location from a company or a name.

Built by `scripts/build_places.py`; loaded once per process (about 140,000 names, primary and exonyms).
"""

from __future__ import annotations

import functools
import gzip
import re
from importlib import resources
from typing import NamedTuple

import msgspec


class City(NamedTuple):
    name: str
    country_code: str
    population: int


@functools.cache
def cities() -> dict[str, tuple[str, str, int]]:
    """Every city name, lower case, with the city's name, country code and population; loaded on first use."""
    raw = resources.files("pipeline.parse").joinpath("data/places.json.gz").read_bytes()
    return msgspec.json.decode(gzip.decompress(raw), type=dict[str, tuple[str, str, int]])


def city(text: str) -> City | None:
    """The city that `text` names exactly ('Bengaluru', 'Munich', 'New York'), else None."""
    key = re.sub(r"\s+", " ", text.strip(" .,;")).lower()
    found = cities().get(key)
    return City(*found) if found is not None else None
