"""Storing what extraction found: a story's mentions, and the entities they point to."""
from digest.models import Entity, Mention

from .loading import unique_slug


class _Rows:
    """The Entity rows for a story's finds, keyed like the finds: gazetteer places by geonameid
    (so a renamed place stays matched), everything else by kind and canonical name."""

    def __init__(self, found):
        geonameids = [f.geonameid for f in found if f.geonameid]
        names = {f.name for f in found if not f.geonameid}
        self.by_geonameid = {e.geonameid: e for e in Entity.objects.filter(geonameid__in=geonameids)}
        self.by_name = {(e.kind, e.name): e for e in Entity.objects.filter(name__in=names)}

    def get(self, f):
        return self.by_geonameid.get(f.geonameid) if f.geonameid else self.by_name.get((f.kind, f.name))

    def create(self, missing):
        """Create rows for finds the registry lacks, in one query."""
        taken_slugs, taken_names = {}, set()
        kinds = {f.kind for f in missing}
        for kind, name, slug in Entity.objects.filter(kind__in=kinds).values_list("kind", "name", "slug"):
            taken_slugs.setdefault(kind, set()).add(slug)
            taken_names.add((kind, name))
        new = []
        for f in missing:
            name = f.name
            if (f.kind, name) in taken_names:  # another gazetteer place of the same name
                name = f"{f.name} ({f.country or f.geonameid})"
            taken_names.add((f.kind, name))
            new.append(Entity(
                kind=f.kind, name=name, actor_type=f.actor_type, geonameid=f.geonameid, country=f.country,
                latitude=f.latitude, longitude=f.longitude, discovered=f.discovered,
                slug=unique_slug(taken_slugs.setdefault(f.kind, set()), name, str(f.geonameid or f.kind)),
            ))
        # bulk_create sets primary keys on SQLite and PostgreSQL.
        for f, entity in zip(missing, Entity.objects.bulk_create(new)):
            if f.geonameid:
                self.by_geonameid[f.geonameid] = entity
            else:
                self.by_name[(f.kind, f.name)] = entity


def save_mentions(story, found) -> None:
    """Replace the story's mentions with what extraction found, creating the entities the
    registry lacks (people and places found from the text flagged discovered). Runs inside the
    caller's transaction; a handful of queries per story whatever its length."""
    Mention.objects.filter(story=story).delete()
    if not found.entities:
        return
    rows = _Rows(found.entities)
    missing = [f for f in found.entities if rows.get(f) is None]
    if missing:
        rows.create(missing)
    Mention.objects.bulk_create([
        Mention(story=story, entity=rows.get(f), surface_forms=sorted(f.surface_forms), count=f.count)
        for f in found.entities
    ])
