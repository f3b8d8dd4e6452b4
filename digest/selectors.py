"""Reads for the browsing pages that take more than one line of ORM."""
from .models import Entity

KIND_HEADINGS = {Entity.PLACE: "Places", Entity.ACTOR: "Actors", Entity.SOURCE: "Sources"}


def story_entities(story):
    """The story's entities by kind (places, actors, sources), each list most mentioned first."""
    mentions = story.mentions.select_related("entity").order_by("-count", "entity__name")
    grouped = {kind: [] for kind in KIND_HEADINGS}
    for mention in mentions:
        grouped[mention.entity.kind].append(mention.entity)
    return [
        {"kind": kind, "heading": heading, "entities": grouped[kind]}
        for kind, heading in KIND_HEADINGS.items()
        if grouped[kind]
    ]
