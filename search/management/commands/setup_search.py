"""`manage.py setup_search`: make the configured search engine ready to index into.

The same command for every engine SEARCH_URL can name, so a deployment's setup
steps do not change with the engine: Whoosh gets its index directory and schema,
Solr gets our configset and a collection (created only when missing).
"""
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from haystack import connections
from haystack.backends.whoosh_backend import WhooshSearchBackend
from haystack.exceptions import SearchBackendError

from search.solr_backend import ArchiveSolrSearchBackend


class Command(BaseCommand):
    help = "Create the search index (Whoosh) or the configset and collection (Solr) when missing."

    def add_arguments(self, parser):
        parser.add_argument("--using", default="default", help="haystack connection (default: %(default)s)")
        parser.add_argument("--shards", type=int, default=1, help="Solr: shards of a new collection")
        parser.add_argument("--replicas", type=int, default=1, help="Solr: replicas of each shard")
        parser.add_argument(
            "--reload-config",
            action="store_true",
            help="Solr: upload the configset again and reload an existing collection",
        )

    def handle(self, *args, using, shards, replicas, reload_config, **options):
        if shards < 1 or replicas < 1:
            raise CommandError("--shards and --replicas must be at least 1.")
        try:
            backend = connections[using].get_backend()
        except ImproperlyConfigured as error:
            raise CommandError(str(error))
        try:
            if isinstance(backend, ArchiveSolrSearchBackend):
                message = backend.setup_collection(shards=shards, replicas=replicas, reload_config=reload_config)
            elif isinstance(backend, WhooshSearchBackend):
                backend.setup()
                damage = getattr(getattr(backend, "state", None), "damage", None)
                message = (f"The Whoosh index in {backend.path} is damaged: {damage}. Run `manage.py check_index "
                           "--fix` to rebuild it from the database." if damage else f"Whoosh index ready in {backend.path}.")
            else:
                raise CommandError(f"setup_search does not know the engine {type(backend).__name__}.")
        except (SearchBackendError, OSError) as error:
            raise CommandError(str(error))
        self.stdout.write(message)
