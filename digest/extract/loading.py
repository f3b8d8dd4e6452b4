"""Writing registry rows: unique slugs, and loading data-file entries the registry lacks.

Takes the model classes as arguments so the data migration can pass its historical models."""
from django.utils.text import slugify


def slug_base(name, fallback):
    """The slug `unique_slug` starts from; numbered slugs begin with it."""
    return slugify(name)[:180] or fallback


def unique_slug(taken, name, fallback):
    """A slug for `name` not in `taken` (a set it also updates): 'raqqa', then 'raqqa-2'."""
    base = slug_base(name, fallback)
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def load_entries(Entity, Alias, StopForm, entries, stop_forms):
    """Add the entities and stop forms the registry lacks; returns (entities added, stop forms added).

    An entry counts as present when the registry has its gazetteer place, its name, or its name
    as an alias (a renamed or merged entity keeps its old names as aliases), so curation is kept:
    existing entities and their aliases are left as the curator made them, and a name marked
    never-an-entity is not brought back."""
    never = set(StopForm.objects.values_list("form", flat=True))
    present = {(kind, name) for kind, name in Entity.objects.values_list("kind", "name")}
    present |= {(kind, name) for kind, name in Alias.objects.values_list("entity__kind", "name")}
    geonameids = set(Entity.objects.exclude(geonameid=None).values_list("geonameid", flat=True))
    slugs = {}
    for kind, slug in Entity.objects.values_list("kind", "slug"):
        slugs.setdefault(kind, set()).add(slug)
    added = 0
    for entry in entries:
        if (entry.kind, entry.name) in present or entry.geonameid in geonameids or entry.name in never:
            continue
        entity = Entity.objects.create(
            kind=entry.kind, name=entry.name, actor_type=entry.actor_type,
            slug=unique_slug(slugs.setdefault(entry.kind, set()), entry.name, entry.kind),
            geonameid=entry.geonameid, country=entry.country, latitude=entry.latitude,
            longitude=entry.longitude, discovered=entry.discovered,
        )
        Alias.objects.bulk_create(
            [Alias(entity=entity, name=alias) for alias in dict.fromkeys(entry.aliases) if alias not in never]
        )
        present.add((entry.kind, entry.name))
        present |= {(entry.kind, alias) for alias in entry.aliases}
        if entry.geonameid:
            geonameids.add(entry.geonameid)
        added += 1
    new_forms = [form for form in dict.fromkeys(stop_forms) if form not in never]
    StopForm.objects.bulk_create([StopForm(form=form, note="stoplist data file") for form in new_forms])
    return added, len(new_forms)


def add_missing_aliases(Entity, Alias, StopForm, entries):
    """Give the entities the registry has the data files' aliases they lack (a renamed group's new
    name, a government's newly listed body); returns how many were added. An alias that another
    entity of the kind holds as a name or alias, or that is marked never-an-entity, is left out, so
    a curator's moves stand."""
    never = set(StopForm.objects.values_list("form", flat=True))
    holder = {(kind, name): pk for pk, kind, name in Entity.objects.values_list("pk", "kind", "name")}
    for entity_id, kind, name in Alias.objects.values_list("entity_id", "entity__kind", "name"):
        holder.setdefault((kind, name), entity_id)
    by_geonameid = dict(Entity.objects.exclude(geonameid=None).values_list("geonameid", "pk"))
    added = []
    for entry in entries:
        entity_id = holder.get((entry.kind, entry.name)) or by_geonameid.get(entry.geonameid)
        if entity_id is None:
            continue
        for alias in dict.fromkeys(entry.aliases):
            if alias not in never and (entry.kind, alias) not in holder:
                added.append(Alias(entity_id=entity_id, name=alias))
                holder[entry.kind, alias] = entity_id
    Alias.objects.bulk_create(added)
    return len(added)
