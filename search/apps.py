from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from digest.signals import stories_changed

        from .indexing import index_changed_stories

        # The digest app announces committed changes; the index follows them.
        stories_changed.connect(index_changed_stories, dispatch_uid="search.index_changed_stories")
