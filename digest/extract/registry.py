"""What the extractor knows: every name form it matches and what the form stands for.

Built from registry entries (the database, or the data files alone), the gazetteer, the
stoplist, titles and demonyms. Curated entries win over the gazetteer; a never-an-entity form
wins over everything."""
from dataclasses import dataclass
from functools import lru_cache

from . import gazetteer, tables
from .matcher import NameMatcher, fold

# Forms that are matched but are no entity: they block shorter matches inside them and tell
# the discovery steps what they are.
STOP, TITLE, DEMONYM = "stop", "title", "demonym"


@dataclass(frozen=True)
class KnownEntity:
    kind: str
    name: str
    actor_type: str = ""
    geonameid: int | None = None
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    population: int = 0
    discovered: bool = False

    @property
    def key(self):
        """Gazetteer places are one place whatever they are called; the rest go by name."""
        return ("geonameid", self.geonameid) if self.geonameid else (self.kind, self.name)


def _known(entry, place=None):
    return KnownEntity(
        kind=entry.kind,
        name=entry.name,
        actor_type=entry.actor_type,
        geonameid=entry.geonameid,
        country=entry.country or (place.country if place else ""),
        latitude=entry.latitude if entry.latitude is not None else (place.latitude if place else None),
        longitude=entry.longitude if entry.longitude is not None else (place.longitude if place else None),
        population=place.population if place else 0,
        discovered=entry.discovered,
    )


@lru_cache(maxsize=1)
def _gazetteer_table():
    """Gazetteer name forms -> matched places as KnownEntity, made once: registries are rebuilt often."""
    gaz = gazetteer.load()
    places = {}
    for ids in gaz.names.values():
        for gid in ids:
            p = gaz.by_id[gid]
            places[gid] = KnownEntity("place", p.name, geonameid=gid, country=p.country, latitude=p.latitude,
                                      longitude=p.longitude, population=p.population)
    return {form: tuple(places[gid] for gid in ids) for form, ids in gaz.names.items()}


def _stored_gazetteer_place(entry, gaz):
    """A registry row that only records a gazetteer place a story named (the store adds one per place
    found, as 'Madaya' or 'Madaya (SY)'): its name is no curator's choice and stays guarded."""
    place = gaz.by_id.get(entry.geonameid) if entry.geonameid else None
    return bool(place and not entry.aliases and entry.name.split(" (")[0] == place.name)


class Registry:
    """Name forms -> a tuple of KnownEntity candidates, or one of the markers STOP, TITLE, DEMONYM."""

    def __init__(self, entries, stop_forms):
        gaz = gazetteer.load()
        renamed, curated, chosen = {}, {}, set()
        for entry in entries:
            known = _known(entry, gaz.by_id.get(entry.geonameid))
            if known.geonameid:
                renamed[known.geonameid] = known
            for form in (entry.name, *entry.aliases):
                curated.setdefault(form, {})[known.key] = known
            if not _stored_gazetteer_place(entry, gaz):
                chosen.update((entry.name, *entry.aliases))
        # Other spellings of curated names, where no curated name is spelled so ("Mayadeen", "al-Manar").
        spelled = {}
        for entry in entries:
            for form in tables.spelling_variants(entry):
                if form not in curated:
                    known = _known(entry, gaz.by_id.get(entry.geonameid))
                    spelled.setdefault(form, {})[known.key] = known
                    if not _stored_gazetteer_place(entry, gaz):
                        chosen.add(form)
        curated.update(spelled)
        table = {
            form: tuple(renamed.get(place.geonameid, place) for place in places)
            for form, places in _gazetteer_table().items()
        }
        for form, candidates in curated.items():
            if all(known.kind == "place" for known in candidates.values()):
                # A gazetteer place of the same name in another country stays a candidate ('Tripoli' in
                # Lebanon and Libya); in the same country, the curated place is the one the name means.
                countries = {known.country for known in candidates.values()}
                for known in table.get(form, ()):
                    if known.country not in countries:
                        candidates.setdefault(known.key, known)
            table[form] = tuple(candidates.values())
        # Gazetteer forms that name a place only where the text introduces one (gazetteer.py), unless a
        # curator chose the name; a title or a demonym wins over one ("Emir" is also a village).
        self.guarded = {fold(form) for form in gaz.guarded} - {fold(form) for form in chosen}
        for title in tables.words("titles.txt"):
            # News text writes titles in lower case too ("deputy foreign minister Faisal Mekdad"), and
            # capitalises a lower-case one at the start of a sentence ("Analyst Aron Lund").
            # A title of several words also all in lower case ("the army's chief of staff"); one word
            # ("Major", "General") would then be an ordinary adjective.
            lower = (title.lower(),) if " " in title else ()
            for form in (title, title[0].lower() + title[1:], title[0].upper() + title[1:], *lower):
                if form not in table or fold(form) in self.guarded:
                    table[form] = TITLE
        for d in tables.demonyms():
            for form in filter(None, (d.demonym, d.plural)):
                if form not in table or fold(form) in self.guarded:
                    table[form] = DEMONYM
        for form in stop_forms:
            table[form] = STOP
        self.forms = table
        self.matcher = NameMatcher(table)
        # For "Russia’s Defence Ministry": a country's demonym, and the nouns that name its state.
        self.demonym_of = {}
        for d in tables.demonyms():
            self.demonym_of.setdefault(d.country, d.demonym)
        self.state_forces = sorted(tables.words("state_forces.txt"), key=len, reverse=True)
        self.state_force_set = {noun.lower() for noun in self.state_forces}
        self.organization_words = tables.organization_words()

    def marker(self, form):
        """STOP, TITLE or DEMONYM when the form is one, else None."""
        value = self.forms.get(form)
        return value if isinstance(value, str) else None


def registry_from_files():
    """The registry as the shipped data files define it, with no database (bench, tests)."""
    return Registry(tables.registry_entries(), tables.words("stoplist.txt"))
