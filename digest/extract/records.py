"""One entity as extraction sees it, whichever step holds it.

A data file row or a stored Entity (with its aliases) is read into an EntityRecord; the registry
keeps the record, completed from the gazetteer, for every form that names it; a story's found
entity is that record with the forms the story used. Steps derive one from another with
`dataclasses.replace`, so no step copies the fields by hand.
"""
from dataclasses import dataclass, field

# The fields an Entity row and a record share, in the order stored values are read.
STORED_FIELDS = ("kind", "name", "actor_type", "geonameid", "country", "latitude", "longitude", "discovered")


@dataclass(frozen=True)
class EntityRecord:
    kind: str
    name: str
    actor_type: str = ""
    aliases: tuple[str, ...] = ()
    geonameid: int | None = None
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    population: int = 0  # the gazetteer's, to choose between places of one name
    discovered: bool = False
    # Found in a story: each form the story names it by, and how often.
    surface_forms: dict[str, int] = field(default_factory=dict, compare=False)

    @classmethod
    def from_stored(cls, values, aliases=()):
        """A record from an Entity row's STORED_FIELDS values (a model instance or a values_list row)."""
        if not isinstance(values, (tuple, list)):
            values = [getattr(values, name) for name in STORED_FIELDS]
        return cls(**dict(zip(STORED_FIELDS, values)), aliases=tuple(aliases))

    def stored_values(self):
        """The values an Entity row of this record holds."""
        return {name: getattr(self, name) for name in STORED_FIELDS}

    def with_forms(self, surface_forms):
        """`replace(self, surface_forms=...)`, made without running the checks of __init__ again: collecting
        a story makes one for every entity it names, and dataclasses.replace costs several times more."""
        record = object.__new__(EntityRecord)
        record.__dict__.update(self.__dict__, surface_forms=surface_forms)
        return record

    @property
    def key(self):
        """Gazetteer places are one place whatever they are called; the rest go by name."""
        return ("geonameid", self.geonameid) if self.geonameid else (self.kind, self.name)

    @property
    def count(self):
        return sum(self.surface_forms.values())
