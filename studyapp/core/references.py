"""Moved to ``studyapp.core.authoring.references``; kept so old imports work."""

from studyapp.core.authoring.references import parse_reference, short_authors

__all__ = ["parse_reference", "short_authors"]
