"""Drafting decks from documents: text extraction, sections, cards, review."""
