"""Curation services for the entity registry. Each owns its transaction, rebuilds the extractor
and, once committed, reindexes the stories it changed."""
from itertools import islice

from django.db import transaction
from django.db.models import Q

from digest.duplicates.store import link_near_duplicates
from digest.extract import get_extractor, invalidate
from digest.extract.loading import unique_slug
from digest.extract.store import save_digest_mentions
from digest.models import Alias, Entity, Mention, Story, StopForm
from digest.moved import entity_moved
from digest.signals import announce_changed


# Stories extracted and stored together: a few queries per chunk, and memory stays flat.
REEXTRACT_CHUNK = 500


def reindex_after_commit(story_ids):
    """Announce these stories once the transaction commits (digest.signals: the search index
    follows them, one update per transaction)."""
    announce_changed(story_ids)


def reextract_stories(stories):
    """Run extraction again over the given stories with the current registry, a chunk at a time;
    returns the ids of the stories whose mentions changed (the only ones the index must follow)."""
    extractor = get_extractor()
    stories = iter(stories)
    changed = []
    while chunk := list(islice(stories, REEXTRACT_CHUNK)):
        changed += save_digest_mentions(chunk, [extractor.extract(s.headline, s.paragraphs) for s in chunk])
    return changed


def free_slug(entity: Entity) -> str:
    """A slug for a new entity, unique within its kind."""
    taken = set(Entity.objects.filter(kind=entity.kind).values_list("slug", flat=True))
    return unique_slug(taken, entity.name, entity.kind)


def _stories_naming(form):
    """Stories whose text contains the form (a cheap superset; extraction decides)."""
    stories = Story.objects.filter(Q(headline__icontains=form) | Q(body__icontains=form))
    return stories.only("headline", "body").iterator(chunk_size=REEXTRACT_CHUNK)


def add_alias(entity: Entity, name: str) -> Alias:
    """Teach the registry another name for an entity, and find it in the stories that use it."""
    with transaction.atomic():
        alias, _ = Alias.objects.get_or_create(entity=entity, name=name.strip())
        StopForm.objects.filter(form=alias.name).delete()
        invalidate()
        ids = reextract_stories(_stories_naming(alias.name))
        reindex_after_commit(ids)
    return alias


def remove_alias(alias: Alias) -> None:
    """Forget a name of an entity, and extract again the stories that used it."""
    with transaction.atomic():
        name = alias.name
        alias.delete()
        invalidate()
        reindex_after_commit(reextract_stories(_stories_naming(name)))


def rename_entity(entity: Entity, new_name: str) -> Entity:
    """Give an entity a new canonical name; the old one stays as an alias so the text still matches."""
    new_name = new_name.strip()
    with transaction.atomic():
        old_name = entity.name
        if new_name == old_name:
            return entity
        Alias.objects.filter(entity=entity, name=new_name).delete()
        entity.name = new_name
        entity.save()
        Alias.objects.get_or_create(entity=entity, name=old_name)
        invalidate()
        reindex_after_commit(entity.mentions.values_list("story_id", flat=True))
    return entity


def merge_entities(target: Entity, others) -> Entity:
    """Fold `others` into `target`: every mention moves (surface forms and counts combine where a
    story mentions both), their names and aliases become target's aliases, and a gazetteer id the
    target lacks moves over. Nothing is lost but the merged rows themselves, whose pages lead to the
    target's."""
    others = [other for other in others if other.pk != target.pk]
    if any(other.kind != target.kind for other in others):
        raise ValueError("only entities of one kind can be merged")
    with transaction.atomic():
        target = Entity.objects.select_for_update().get(pk=target.pk)
        story_ids = list(Mention.objects.filter(entity__in=[target, *others]).values_list("story_id", flat=True))
        aliases = set(Alias.objects.filter(entity=target).values_list("name", flat=True))
        for other in others:
            into = {m.story_id: m for m in Mention.objects.filter(entity=target, story__mentions__entity=other)}
            for mention in Mention.objects.filter(entity=other):
                kept = into.get(mention.story_id)
                if kept:
                    kept.surface_forms = sorted(set(kept.surface_forms) | set(mention.surface_forms))
                    kept.count += mention.count
                    kept.save(update_fields=["surface_forms", "count"])
                    mention.delete()
                else:
                    mention.entity = target
                    mention.save(update_fields=["entity"])
            names = {other.name, *Alias.objects.filter(entity=other).values_list("name", flat=True)}
            geonameid = other.geonameid
            entity_moved(other, target)
            other.delete()
            if target.geonameid is None and geonameid:
                target.geonameid = geonameid
                target.save(update_fields=["geonameid", "updated_at"])
            new = sorted(names - aliases - {target.name})
            Alias.objects.bulk_create([Alias(entity=target, name=name) for name in new])
            aliases |= set(new)
        invalidate()
        reindex_after_commit(story_ids)
    return target


def mark_never_entity(form: str, note: str = "") -> StopForm:
    """Make a surface form never an entity again: it stops being an alias and leaves the stories it was found in."""
    form = form.strip()
    with transaction.atomic():
        stop, _ = StopForm.objects.get_or_create(form=form, defaults={"note": note})
        Alias.objects.filter(name=form).delete()
        invalidate()
        mentioned = Mention.objects.filter(surface_forms__icontains=form).select_related("story")
        stories = {m.story_id: m.story for m in mentioned if form in m.surface_forms}
        ids = reextract_stories(stories.values())
        reindex_after_commit(ids)
    return stop


def story_edited(story, text_changed: bool):
    """A story edited by hand: its places, actors and sources follow a new text, and search follows it."""
    if text_changed:
        reextract_stories([story])
        link_near_duplicates([story])
    reindex_after_commit([story.pk])


def digest_edited(digest):
    """A digest edited by hand: its date is in every story's index entry (date filter, month facet)."""
    reindex_after_commit(digest.stories.values_list("pk", flat=True))
