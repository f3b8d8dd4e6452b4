"""The process's extractor over the database registry, rebuilt when the registry changes."""
from django.db import connection

from .pipeline import Extractor
from .registry import Registry
from .tables import EntityEntry

_built = {"fingerprint": None, "extractor": None}


def registry_fingerprint():
    """Cheap to ask on every call: any add, delete or edit of an entity, alias or stop form changes it.

    One query of scalar subqueries (plain SQL that every backend runs) rather than an ORM
    aggregate per table: it is asked once per ingested digest."""
    from digest.models import Alias, Entity, StopForm

    quote = connection.ops.quote_name
    columns = [
        f"(SELECT {function}({quote(model._meta.get_field(field).column)}) FROM {quote(model._meta.db_table)})"
        for model in (Entity, Alias, StopForm)
        for function, field in (("COUNT", "id"), ("MAX", "id"), ("MAX", "updated_at"))
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}")
        return cursor.fetchone()


def registry_from_db():
    from digest.models import Alias, Entity, StopForm

    entries = {
        entity.pk: EntityEntry(
            kind=entity.kind, name=entity.name, actor_type=entity.actor_type, geonameid=entity.geonameid,
            country=entity.country, latitude=entity.latitude, longitude=entity.longitude,
            discovered=entity.discovered,
        )
        for entity in Entity.objects.all()
    }
    for entity_id, name in Alias.objects.values_list("entity_id", "name"):
        entries[entity_id].aliases.append(name)
    return Registry(list(entries.values()), list(StopForm.objects.values_list("form", flat=True)))


def get_extractor() -> Extractor:
    fingerprint = registry_fingerprint()
    if _built["fingerprint"] != fingerprint:
        _built["extractor"] = Extractor(registry_from_db())
        _built["fingerprint"] = fingerprint
    return _built["extractor"]


def invalidate():
    """Forget the built extractor (curation calls this; the fingerprint also catches admin edits)."""
    _built["fingerprint"] = None
