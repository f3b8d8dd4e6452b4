"""Admin for the archive: digests and their upload, and the entity registry."""
from . import digests, entities  # noqa: F401  (registers the ModelAdmins)
