"""Where the addresses of stories and entities that no longer exist lead (digest.models.MovedStory,
MovedEntity), so that a link an analyst saved or cited keeps working after editors change the
archive. Called inside the transaction that removes them."""
from .models import Entity, MovedEntity, MovedStory


def stories_moved(story_ids, digest, into=None):
    """These stories of `digest` are going: merged into the story `into`, or (None) their text stays in
    the digest. Their addresses, and those that led to them, lead on to `into`, else to the digest."""
    story_ids = list(story_ids)
    MovedStory.objects.filter(story_id__in=story_ids).update(story=into)
    MovedStory.objects.bulk_create([MovedStory(old_id=pk, digest=digest, story=into) for pk in story_ids])


def entity_moved(entity, into):
    """`entity` is merged into `into`: its address, and those that led to it, lead to `into`."""
    MovedEntity.objects.filter(entity=entity).update(entity=into)
    MovedEntity.objects.create(old_id=entity.pk, entity=into)


def moved_story(pk):
    """Where the address of the story `pk`, which no longer exists, leads now (a story or a digest), or None."""
    moved = MovedStory.objects.select_related("story", "digest").filter(old_id=pk).first()
    return moved.target if moved else None


def moved_entity(pk) -> Entity | None:
    moved = MovedEntity.objects.select_related("entity").filter(old_id=pk).first()
    return moved.entity if moved else None
