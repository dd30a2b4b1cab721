"""Deck files: reading, checking, linting, writing; sources, cloze, rich text."""
