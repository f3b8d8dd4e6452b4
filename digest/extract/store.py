"""Storing what extraction found: stories' mentions, and the entities they point to.

Stories are stored together (a digest's, or a batch of a re-extraction) in a handful of
queries whatever their number, and a story whose mentions did not change is not touched."""
from django.db import connection, transaction
from django.db.models import Q

from digest.bulk_insert import insert_rows, prepared
from digest.models import Entity, Mention

from .current import learn_stored
from .loading import slug_base, unique_slug
from .records import EntityRecord

# Rounds of inserting new entities: a round only fails to create a row when a concurrent
# transaction took its name or slug in the meantime, and the next round sees that row.
CREATE_ROUNDS = 3
# A new entity's slug is its name's, else the first free numbered one ('raqqa-2'); this many are
# looked up exactly.
NUMBERED_SLUGS = 20
# Parameters of one lookup query: within every backend's limit (SQLite's 999 of old).
LOOKUPS_PER_QUERY = 500


def save_mentions(story, found) -> None:
    """Replace one story's mentions with what extraction found."""
    save_digest_mentions([story], [found])


def save_digest_mentions(stories, founds, *, new_stories=False) -> list[int]:
    """Make each story's mentions what extraction found for it (`founds[i]` for `stories[i]`),
    creating the entities the registry lacks (people and places found from the text flagged
    discovered); returns the ids of the stories whose mentions changed, which the search index
    must follow. Runs inside the caller's transaction, in three queries however many stories,
    plus deleting the old mentions of changed stories and three when new entities are needed.
    `new_stories`: the stories were created in this transaction (an ingestion's), so they have no
    mentions to read: one query fewer."""
    stories, founds = list(stories), list(founds)
    entity_ids = _entity_ids([f for found in founds for f in found.entities])
    wanted = {
        story.pk: {entity_ids[_key(f)]: (sorted(f.surface_forms), f.count) for f in found.entities}
        for story, found in zip(stories, founds)
    }
    stored = {pk: {} for pk in wanted}
    if not new_stories:
        for story_id, entity_id, forms, count in _stored_mentions(list(wanted)):
            stored[story_id][entity_id] = (forms, count)
    changed = [pk for pk in wanted if wanted[pk] != stored[pk]]
    replaced = [pk for pk in changed if stored[pk]]
    if replaced:
        Mention.objects.filter(story_id__in=replaced).delete()
    _insert_mentions([
        (pk, entity_id, surface_forms, count)
        for pk in changed
        for entity_id, (surface_forms, count) in wanted[pk].items()
    ])
    return changed


def _stored_mentions(story_ids):
    """(story id, entity id, surface forms, count) of these stories' mentions, LOOKUPS_PER_QUERY stories a query.

    Plain SQL, decoding only the one JSON column: the ORM's per-row work cost more than the read."""
    forms_field = Mention._meta.get_field("surface_forms")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Mention._meta.get_field(name).column) for name in ("story", "entity", "surface_forms", "count"))
    rows = []
    with connection.cursor() as cursor:
        for start in range(0, len(story_ids), LOOKUPS_PER_QUERY):
            chunk = story_ids[start:start + LOOKUPS_PER_QUERY]
            cursor.execute(f"SELECT {columns} FROM {quote(Mention._meta.db_table)} "
                           f"WHERE {quote('story_id')} IN ({', '.join(['%s'] * len(chunk))})", chunk)
            rows += [(story_id, entity_id, forms_field.from_db_value(forms, None, connection), count)
                     for story_id, entity_id, forms, count in cursor.fetchall()]
    return rows


def _insert_mentions(rows):
    """Insert (story id, entity id, surface forms, count) rows. The same few surface-form lists
    recur in every digest ('Aleppo', 'ISIS'): each is encoded once, as the JSON field would."""
    forms_field = Mention._meta.get_field("surface_forms")
    encoded = {}
    for _, _, forms, _ in rows:
        if tuple(forms) not in encoded:
            encoded[tuple(forms)] = connection.ops.adapt_json_value(forms, forms_field.encoder)
    insert_rows(Mention, ("story", "entity", "surface_forms", "count"),
                [(story_id, entity_id, encoded[tuple(forms)], count) for story_id, entity_id, forms, count in rows])


def _key(found):
    """Gazetteer places by geonameid (so a renamed place stays matched), the rest by kind and name."""
    return ("geonameid", found.geonameid) if found.geonameid else (found.kind, found.name)


def _entity_ids(finds):
    """Entity ids of the finds by `_key`, creating the rows the registry lacks."""
    by_key = {_key(f): f for f in finds}
    ids = _stored_ids(set(by_key))
    missing = [f for key, f in by_key.items() if key not in ids]
    created = []
    for _ in range(CREATE_ROUNDS):
        if not missing:
            break
        rows = _new_rows(missing)
        ids.update(_inserted_ids(rows))
        unknown = {_key(f) for f in missing} - ids.keys()
        if unknown:  # taken by a concurrent transaction's rows meanwhile
            ids.update(_stored_ids(unknown))
        created += [row for row in rows if _key(row) in ids]
        missing = [f for f in missing if _key(f) not in ids]
    if missing:
        raise RuntimeError(f"could not store the entities {', '.join(f.name for f in missing)}")
    if created:
        # The process's extractor knows them from the commit on, without reading them back. (A row
        # a concurrent transaction stored instead differs from ours: the extractor then rebuilds.)
        stored = [(ids[_key(row)], row.updated_at, EntityRecord.from_stored(row)) for row in created]
        transaction.on_commit(lambda: learn_stored(stored))
    return ids


def _inserted_ids(rows):
    """Insert these Entity rows, leaving out any whose name, slug or geonameid is taken by now;
    the ids of those inserted by `_key`, which spares reading them back."""
    fields = [field.name for field in Entity._meta.concrete_fields if not field.primary_key]
    inserted = insert_rows(Entity, fields, [prepared(row, fields) for row in rows],
                           returning=("id", "kind", "name"), ignore_conflicts=True)
    by_name = {(row.kind, row.name): row for row in rows}  # unique per kind, as stored
    return {_key(by_name[kind, name]): pk for pk, kind, name in inserted}


def _stored_ids(keys):
    """The ids of the stored entities with these keys, over the unique indexes."""
    geonameids = [value for kind, value in keys if kind == "geonameid"]
    names = {}
    for kind, value in keys:
        if kind != "geonameid":
            names.setdefault(kind, []).append(value)
    lookups = [({}, "geonameid", geonameids)] if geonameids else []
    lookups += [({"kind": kind}, "name", kind_names) for kind, kind_names in names.items()]
    ids = {}
    for pk, kind, name, geonameid in _select_entities(("pk", "kind", "name", "geonameid"), lookups):
        if ("geonameid", geonameid) in keys:
            ids["geonameid", geonameid] = pk
        if (kind, name) in keys:
            ids[kind, name] = pk
    return ids


def _select_entities(columns, lookups):
    """The rows (of these columns) of the entities any lookup matches: `(equal, field, values)` for
    the rows whose columns in `equal` have those values and whose `field` is one of `values`.

    Written as SQL: for the few rows a file needs, the ORM took several times longer to build a
    query of OR'ed lookups than the database to answer it. Long lists take several queries."""
    quote = connection.ops.quote_name
    column = {field.name: quote(field.column) for field in Entity._meta.concrete_fields}
    column["pk"] = quote(Entity._meta.pk.column)
    parts = []  # (condition, params), each within LOOKUPS_PER_QUERY values
    for equal, field, values in lookups:
        values = list(values)
        size = LOOKUPS_PER_QUERY - len(equal)
        for start in range(0, len(values), size):
            listed = values[start:start + size]
            condition = " AND ".join(
                [f"{column[name]} = %s" for name in equal] + [f"{column[field]} IN ({', '.join(['%s'] * len(listed))})"]
            )
            parts.append((condition, [*equal.values(), *listed]))
    rows, sql = [], f"SELECT {', '.join(column[name] for name in columns)} FROM {quote(Entity._meta.db_table)} WHERE "
    with connection.cursor() as cursor:
        while parts:
            query, params = [], []
            while parts and (not query or len(params) + len(parts[0][1]) <= LOOKUPS_PER_QUERY):
                condition, values = parts.pop(0)
                query.append(f"({condition})")
                params += values
            cursor.execute(sql + " OR ".join(query), params)
            rows += cursor.fetchall()
    return rows


def _name_choices(found):
    """A new gazetteer place takes its own name, or, when another place has it ('Tripoli' in
    Lebanon and Libya), its name with the country or the gazetteer id; anything else its name."""
    if not found.geonameid:
        return [found.name]
    return list(dict.fromkeys(
        [found.name, f"{found.name} ({found.country or found.geonameid})", f"{found.name} ({found.geonameid})"]
    ))


def _fallback_slug(found):
    return str(found.geonameid or found.kind)


def _taken(missing):
    """The (kind, name) pairs and each kind's slugs that new rows for these finds could clash with.

    Names and slugs are looked up by equality over the unique indexes (a prefix match reads the
    whole table): the names and base slugs first; numbered slugs ('raqqa-2') only for the bases
    found taken, which a new name seldom is; a base with more namesakes than that by prefix."""
    kinds = sorted({f.kind for f in missing})
    names = sorted({name for f in missing for name in _name_choices(f)})
    bases = sorted({slug_base(name, _fallback_slug(f)) for f in missing for name in _name_choices(f)})
    taken_names, taken_slugs = set(), {}

    def read(*wanted):
        lookups = [({"kind": kind}, field, values) for field, values in wanted if values for kind in kinds]
        for kind, name, slug in _select_entities(("kind", "name", "slug"), lookups):
            taken_names.add((kind, name))
            taken_slugs.setdefault(kind, set()).add(slug)

    read(("name", names), ("slug", bases))
    taken_bases = [base for base in bases if any(base in slugs for slugs in taken_slugs.values())]
    read(("slug", [f"{base}-{n}" for base in taken_bases for n in range(2, NUMBERED_SLUGS + 1)]))
    crowded = {base for base in taken_bases for slugs in taken_slugs.values() if f"{base}-{NUMBERED_SLUGS}" in slugs}
    if crowded:
        by_prefix = Q()
        for base in crowded:
            by_prefix |= Q(slug__startswith=f"{base}-")
        for kind, name, slug in Entity.objects.filter(by_prefix, kind__in=kinds).order_by().values_list("kind", "name", "slug"):
            taken_names.add((kind, name))
            taken_slugs.setdefault(kind, set()).add(slug)
    return taken_names, taken_slugs


def _new_rows(missing):
    """Unsaved Entity rows for the finds, with names and slugs no stored entity of their kind has.
    A find whose every name is taken was stored by a concurrent transaction: the next read finds it."""
    taken_names, taken_slugs = _taken(missing)
    rows = []
    for f in missing:
        name = next((name for name in _name_choices(f) if (f.kind, name) not in taken_names), None)
        if name is None:
            continue
        taken_names.add((f.kind, name))
        rows.append(Entity(**{
            **f.stored_values(), "name": name,
            "slug": unique_slug(taken_slugs.setdefault(f.kind, set()), name, _fallback_slug(f)),
        }))
    return rows
