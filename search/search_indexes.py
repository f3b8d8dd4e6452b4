"""What a story looks like to the search engine.

The headline is written into the text twice so that ranking weighs it above
the body on any backend (Whoosh, Solr) without engine-specific boosts. Places,
actors and sources come from the story's Mention rows; each is a faceted
multi-value field whose ``*_exact`` shadow holds the names verbatim, so a
selected value matches exactly whatever characters it contains.
"""
import hashlib

from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from haystack import indexes

from digest.models import Entity, Mention, Story

# The columns the index reads: a digest's source text (the whole file) stays in the database.
INDEXED_COLUMNS = ("headline", "body", "slug", "digest__date")
_NAMES = "_indexed_entity_names"  # where a story loaded for the index keeps its entities' names


def load_entity_names(stories):
    """Give each story its entities' names by kind, from one query of plain values.

    Mentions as model instances (with their entities joined) were a third of
    indexing time: twenty-odd pairs of objects per story, for two strings each.
    """
    by_story = {story.pk: {} for story in stories}
    pks = list(by_story)
    for start in range(0, len(pks), 500):  # within every backend's limit on query parameters
        rows = Mention.objects.filter(story_id__in=pks[start:start + 500]).values_list(
            "story_id", "entity__kind", "entity__name")
        for story_id, kind, name in rows:
            by_story[story_id].setdefault(kind, set()).add(name)
    for story in stories:
        setattr(story, _NAMES, {kind: sorted(names) for kind, names in by_story[story.pk].items()})


def entity_names(story, kind):
    """Names of the story's entities of one kind, in a stable order."""
    names = getattr(story, _NAMES, None)
    if names is None:  # a story not loaded through StoryIndex.index_queryset
        load_entity_names([story])
        names = getattr(story, _NAMES)
    return names.get(kind, [])


class IndexedStories(QuerySet):
    """Stories as the index reads them: their entities' names come with them (load_entity_names)."""

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._iterable_class is ModelIterable and self._result_cache:
            load_entity_names(self._result_cache)


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
        # One query for the stories (only the columns indexed) and one of plain values for
        # the names of all their entities.
        return IndexedStories(self.get_model()).select_related("digest").only(*INDEXED_COLUMNS)

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
