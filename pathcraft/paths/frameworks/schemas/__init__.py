"""Published JSON schemas (see README.md for source and licence)."""
