"""Deck files: YAML reading, schema checks, writing, sources, cloze, rich text."""
