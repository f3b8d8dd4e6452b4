"""Admin pages for the entity registry and its curation."""
