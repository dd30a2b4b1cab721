"""Drafting decks from documents: sections, glossary, references, cards."""
