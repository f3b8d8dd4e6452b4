"""The curated data files in data/: actor and outlet alias tables, the place supplement,
demonyms, titles, state-force nouns, organisation words and the stoplist. Curators edit these
files; the registry loads them (data migration, `load_entities`) and the file-only extractor reads
them directly."""
import re
from dataclasses import dataclass
from pathlib import Path

from . import gazetteer
from .records import EntityRecord

DATA_DIR = Path(__file__).parent / "data"


@dataclass
class Demonym:
    demonym: str
    plural: str
    country: str
    government: str
    government_aliases: list[str]


def _rows(file_name):
    """Tab-separated rows of a data file, without comments and blank lines, padded to equal width."""
    rows = []
    for line in (DATA_DIR / file_name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    width = max(len(row) for row in rows)
    return [row + [""] * (width - len(row)) for row in rows]


def _aliases(cell):
    return tuple(alias.strip() for alias in cell.split("|") if alias.strip())


def words(file_name):
    """A one-phrase-per-line data file (stoplist, titles, state-force nouns, kunyas)."""
    return [row[0] for row in _rows(file_name)]


def actor_entries():
    return [
        EntityRecord("actor", name, actor_type, _aliases(aliases)) for name, actor_type, aliases in _rows("actors.tsv")
    ]


def outlet_entries():
    return [EntityRecord("source", name, aliases=_aliases(aliases)) for name, aliases in _rows("outlets.tsv")]


def place_entries():
    """The supplement: English news names for gazetteer places, and places the gazetteer lacks."""
    entries = []
    for name, geonameid, country, latitude, longitude, aliases in _rows("places.tsv"):
        place = gazetteer.load().by_id.get(int(geonameid)) if geonameid else None
        entries.append(EntityRecord(
            "place", name, aliases=_aliases(aliases), geonameid=int(geonameid) if geonameid else None,
            country=country or (place.country if place else ""),
            latitude=float(latitude) if latitude else (place.latitude if place else None),
            longitude=float(longitude) if latitude else (place.longitude if place else None),
        ))
    return entries


ARTICLE = re.compile(r"^(?:Al|al|El|el)[- ](?=[A-Z])")
LONG_VOWELS = [("ee", "i"), ("i", "ee"), ("ou", "u"), ("u", "ou"), ("oo", "u"), ("o", "ou")]
CONSONANT = "B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z"


def article_variants(form):
    """An outlet's name with an Arabic article, as news text writes it: 'Al-Manar' -> 'Al Manar',
    'al-Manar'."""
    match = ARTICLE.match(form)
    if not match:
        return set()
    rest = form[match.end():]
    return {f"Al-{rest}", f"Al {rest}", f"al-{rest}"} - {form}


def vowel_variants(form):
    """An Arabic place name with its long vowels written the other English way: 'Mayadin' ->
    'Mayadeen', 'Qusair' -> 'Qousair', 'Deir el-Zor' -> 'Deir el-Zour'; a vowel after a consonant,
    never a word's first letter."""
    variants = set()
    for written, other in LONG_VOWELS:
        changed = re.sub(rf"(?<=[{CONSONANT}]){written}(?=[a-z])", other, form)
        if changed != form:
            variants.add(changed)
    return variants


def spelling_variants(entry):
    """Other spellings of a curated entity's names that news text uses: an outlet's Arabic article
    written every way, and an Arab country's place with its article, ending and long vowels
    transliterated differently ("al-Mayadin", "Mayadeen"). The registry matches them as the entity's
    own names, so curators write one spelling and an entity added in the admin gets the others."""
    forms = [entry.name, *entry.aliases]
    if entry.kind == "source":
        # "Hawar news agency" for the Hawar News Agency.
        spelled = {*forms, *(re.sub(r" (News )?Agency$", lambda m: m.group().lower(), form) for form in forms)}
        return {variant for form in spelled for variant in (form, *article_variants(form))} - set(forms)
    if entry.kind == "place" and entry.country in gazetteer.variant_countries():
        spelled = {v for form in forms for v in (form, *gazetteer.transliteration_variants(form))}
        variants = spelled | {v for form in spelled for v in vowel_variants(form)}
        return variants - set(forms)
    return set()


def demonyms():
    return [
        Demonym(demonym, plural, country, government or f"{demonym} government", _aliases(aliases))
        for demonym, plural, country, government, aliases in _rows("demonyms.tsv")
    ]


def government_entries():
    """One government actor per demonym with a country; state-force phrases are its aliases."""
    nouns = words("state_forces.txt")
    aliases = {}
    for d in demonyms():
        if not d.country:
            continue
        phrases = aliases.setdefault(d.government, {})
        for phrase in [*(f"{d.demonym} {noun}" for noun in nouns), *d.government_aliases]:
            if phrase != d.government:
                phrases.setdefault(phrase)
    return [EntityRecord("actor", name, "government", tuple(phrases)) for name, phrases in aliases.items()]


def registry_entries():
    """Every entity the data files define, as loaded into the registry."""
    return actor_entries() + government_entries() + outlet_entries() + place_entries()


def generic_references():
    """(noun, actor name) pairs: a common noun that stands for one actor ("coalition")."""
    return [(noun, actor) for noun, actor in _rows("generic_references.tsv")]


def organization_words():
    """{word: (actor type, 'noun' or 'adjective')} of the words that mark an organisation."""
    return {word: (actor_type, use) for word, actor_type, use in _rows("organization_words.tsv")}
