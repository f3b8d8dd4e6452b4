"""Entity extraction: a story's places, actors and cited sources, under their canonical names.

`get_extractor()` gives the process's extractor over the database registry; `extractor_from_files()`
one over the shipped data files alone."""
from .current import get_extractor, invalidate
from .document import StoryEntities
from .pipeline import Extractor, extractor_from_files
from .records import EntityRecord

__all__ = ["EntityRecord", "Extractor", "StoryEntities", "extractor_from_files", "get_extractor", "invalidate"]
