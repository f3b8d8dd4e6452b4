"""What the extractor knows: every name form it matches and what the form stands for.

Built from registry entries (the database, or the data files alone), the gazetteer, the
stoplist, titles and demonyms. Curated entries win over the gazetteer; a never-an-entity form
wins over everything."""
from dataclasses import replace
from functools import lru_cache
from operator import attrgetter

from . import gazetteer, tables
from .matcher import NameMatcher, fold
from .records import EntityRecord

# Forms that are matched but are no entity: they block shorter matches inside them and tell
# the discovery steps what they are.
STOP, TITLE, DEMONYM = "stop", "title", "demonym"


def _known(entry, place=None):
    """The entry with what the gazetteer knows of its place where the entry does not say."""
    if place is None:
        return entry
    return replace(
        entry,
        country=entry.country or place.country,
        latitude=place.latitude if entry.latitude is None else entry.latitude,
        longitude=place.longitude if entry.longitude is None else entry.longitude,
        population=place.population,
    )


@lru_cache(maxsize=1)
def _gazetteer_table():
    """Gazetteer name forms -> matched places as EntityRecord, made once: registries are rebuilt often."""
    gaz = gazetteer.load()
    places = {}
    for ids in gaz.names.values():
        for gid in ids:
            p = gaz.by_id[gid]
            places[gid] = EntityRecord("place", p.name, geonameid=gid, country=p.country, latitude=p.latitude,
                                       longitude=p.longitude, population=p.population)
    return {form: tuple(places[gid] for gid in ids) for form, ids in gaz.names.items()}


def _stored_gazetteer_place(entry, gaz):
    """A registry row that only records a gazetteer place a story named (the store adds one per place
    found, as 'Madaya' or 'Madaya (SY)'): its name is no curator's choice and stays guarded."""
    place = gaz.by_id.get(entry.geonameid) if entry.geonameid else None
    return bool(place and not entry.aliases and entry.name.split(" (")[0] == place.name)


@lru_cache(maxsize=1)
def _gazetteer_forms_of_place():
    """Gazetteer place id -> the forms that may name it."""
    forms = {}
    for form, places in _gazetteer_table().items():
        for place in places:
            forms.setdefault(place.geonameid, []).append(form)
    return forms


class Registry:
    """Name forms -> a tuple of EntityRecord candidates, or one of the markers STOP, TITLE, DEMONYM.

    A registry learns entities and never-an-entity forms added after it was built (`learn`) and
    then gives every form the value a registry built afresh with them gives; an edit or a delete
    needs a new registry."""

    def __init__(self, entries, stop_forms):
        # Gazetteer forms that name a place only where the text introduces one (gazetteer.py), unless a
        # curator chose the name.
        self.guarded = {fold(form) for form in gazetteer.load().guarded}
        # News text writes titles in lower case too ("deputy foreign minister Faisal Mekdad"), and
        # capitalises a lower-case one at the start of a sentence ("Analyst Aron Lund"). A title of
        # several words also all in lower case ("the army's chief of staff"); one word ("Major",
        # "General") would then be an ordinary adjective.
        self._titles = {
            form
            for title in tables.words("titles.txt")
            for form in (title, title[0].lower() + title[1:], title[0].upper() + title[1:],
                         *((title.lower(),) if " " in title else ()))
        }
        self._demonyms = {form for d in tables.demonyms() for form in (d.demonym, d.plural) if form}
        self._renamed, self._curated, self._spelled, self._stop = {}, {}, {}, set()
        for entry in entries:
            self._add_entry(entry)
        self._stop.update(stop_forms)
        forms = dict.fromkeys([*_gazetteer_table(), *self._curated, *self._spelled, *self._titles,
                               *self._demonyms, *self._stop])
        self.forms = {form: self._value(form) for form in forms}
        self.matcher = NameMatcher(self.forms)
        # For "Russia’s Defence Ministry": a country's demonym, and the nouns that name its state.
        self.demonym_of = {}
        for d in tables.demonyms():
            self.demonym_of.setdefault(d.country, d.demonym)
        self.state_forces = sorted(tables.words("state_forces.txt"), key=len, reverse=True)
        self.state_force_set = {noun.lower() for noun in self.state_forces}
        self.organization_words = tables.organization_words()

    def learn(self, entries=(), stop_forms=()):
        """Add entities (or new aliases of known ones, as entries holding those aliases) and
        never-an-entity forms; the matcher finds their forms from now on."""
        changed = set(stop_forms)
        self._stop.update(stop_forms)
        for entry in entries:
            changed |= self._add_entry(entry)
        new = [form for form in changed if form not in self.forms]
        for form in changed:
            self.forms[form] = self._value(form)
        self.matcher.add(new)

    def _add_entry(self, entry):
        """Take in one entry; returns the forms whose value it may change."""
        gaz = gazetteer.load()
        known = _known(entry, gaz.by_id.get(entry.geonameid))
        names = (entry.name, *entry.aliases)
        # Other spellings of curated names ("Mayadeen", "al-Manar"), where no curated name is spelled so.
        variants = tables.spelling_variants(entry)
        changed = {*names, *variants}
        if known.geonameid:
            # Curated entities win over the gazetteer's record of the same place under every name.
            self._renamed[known.geonameid] = known
            changed.update(_gazetteer_forms_of_place().get(known.geonameid, ()))
        for form in names:
            self._curated.setdefault(form, {})[known.key] = known
        for form in variants:
            self._spelled.setdefault(form, {})[known.key] = known
        if not _stored_gazetteer_place(entry, gaz):
            chosen = {fold(form) for form in (*names, *variants)} & self.guarded
            if chosen:
                self.guarded -= chosen
                # A title or a demonym wins over a guarded form only: those forms may change too.
                changed.update(form for form in (*self._titles, *self._demonyms) if fold(form) in chosen)
        return changed

    def _value(self, form):
        """What a form stands for: a never-an-entity form nothing; curated entities (else the spelling
        variants of curated names) before gazetteer places of the name; then titles and demonyms, which
        also win over a guarded gazetteer form ("Emir" is also a village)."""
        if form in self._stop:
            return STOP
        places = tuple(self._renamed.get(place.geonameid, place) for place in _gazetteer_table().get(form, ()))
        curated = self._curated.get(form) or self._spelled.get(form)
        value = None
        if curated:
            candidates = {known.key: known for known in sorted(curated.values(), key=attrgetter("kind", "name"))}
            if all(known.kind == "place" for known in candidates.values()):
                # A gazetteer place of the same name in another country stays a candidate ('Tripoli' in
                # Lebanon and Libya); in the same country, the curated place is the one the name means.
                countries = {known.country for known in candidates.values()}
                for known in places:
                    if known.country not in countries:
                        candidates.setdefault(known.key, known)
            value = tuple(candidates.values())
        elif places:
            value = places
        guarded = fold(form) in self.guarded
        if form in self._titles and (value is None or guarded):
            value = TITLE
        if form in self._demonyms and (value is None or guarded):
            value = DEMONYM
        return value

    def marker(self, form):
        """STOP, TITLE or DEMONYM when the form is one, else None."""
        value = self.forms.get(form)
        return value if isinstance(value, str) else None


def registry_from_files():
    """The registry as the shipped data files define it, with no database (bench, tests)."""
    return Registry(tables.registry_entries(), tables.words("stoplist.txt"))
