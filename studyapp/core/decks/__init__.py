"""Deck files: reading, checking and linting them."""
