"""What a story looks like to the search engine.

The headline is written into the text twice so that ranking weighs it above
the body on any backend (Whoosh, Solr) without engine-specific boosts. Places,
actors and sources come from the story's Mention rows; each is a faceted
multi-value field whose ``*_exact`` shadow holds the names verbatim, so a
selected value matches exactly whatever characters it contains.
"""
import hashlib

from django.db.models import Prefetch
from haystack import indexes

from digest.models import Entity, Mention, Story



def entity_names(story, kind):
    """Names of the story's entities of one kind, in a stable order."""
    return sorted({m.entity.name for m in story.mentions.all() if m.entity.kind == kind})


def story_fingerprint(story):
    """A digest of everything the index holds for a story.

    check_index compares it with the stored one to find index entries that
    are older than the story's data (edited text, curated entities).
    """
    parts = [
        story.headline,
        story.body,
        story.slug,
        story.digest.date.isoformat(),
        *(f"{kind}:{name}" for kind, _ in Entity.KINDS for name in entity_names(story, kind)),
    ]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


class StoryIndex(indexes.SearchIndex, indexes.Indexable):
    # The names the query service and the engines use are constants in search.results
    # (TEXT_FIELD, HEADLINE_FIELD, ...); tests/test_search_index.py checks they match.
    text = indexes.CharField(document=True)
    headline = indexes.CharField(model_attr="headline")
    body = indexes.CharField(model_attr="body", indexed=False)
    slug = indexes.CharField(model_attr="slug", indexed=False)
    digest_date = indexes.DateField(model_attr="digest__date")
    month = indexes.CharField(faceted=True)
    place = indexes.MultiValueField(faceted=True)
    actor = indexes.MultiValueField(faceted=True)
    source = indexes.MultiValueField(faceted=True)
    fingerprint = indexes.CharField(indexed=False)

    def get_model(self):
        return Story

    def index_queryset(self, using=None):
        # One query for the stories and one for all their mentions with entities joined,
        # loading only what the index holds (not the surface forms' JSON).
        mentions = Prefetch("mentions", queryset=Mention.objects.select_related("entity").only(
            "story", "entity__kind", "entity__name"))
        return self.get_model().objects.select_related("digest").prefetch_related(mentions)

    def read_queryset(self, using=None):
        return self.index_queryset(using)

    def prepare_text(self, story):
        return f"{story.headline}\n{story.headline}\n{story.body}"

    def prepare_month(self, story):
        return story.digest.date.strftime("%Y-%m")

    def prepare_place(self, story):
        return entity_names(story, Entity.PLACE)

    def prepare_actor(self, story):
        return entity_names(story, Entity.ACTOR)

    def prepare_source(self, story):
        return entity_names(story, Entity.SOURCE)

    def prepare_fingerprint(self, story):
        return story_fingerprint(story)
