"""Admin pages for digests, stories, recommended reads and the upload form."""
