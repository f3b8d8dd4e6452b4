from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from digest.models import Entity, Mention, Story

        from .indexing import entity_saved, mention_changed, story_deleted

        # A deleted story (alone, or with its digest by cascade) leaves the index after the
        # commit; a renamed entity or a removed mention re-indexes the stories concerned.
        post_delete.connect(story_deleted, sender=Story, dispatch_uid="search.story_deleted")
        post_delete.connect(mention_changed, sender=Mention, dispatch_uid="search.mention_deleted")
        post_save.connect(entity_saved, sender=Entity, dispatch_uid="search.entity_saved")
