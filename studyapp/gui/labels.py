"""Readable names for sections and cards in lists, titles and bars."""

from __future__ import annotations

from studyapp.core.decks.richtext import to_plain_text

SHORT_TITLE = 48  # characters of a source title kept beside a section name


def short(text: str, limit: int) -> str:
    """``text`` cut at a word to at most ``limit`` characters, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-\u2013")
    return cut + "…"


def section_title(label: str, source_titles: dict[str, str]) -> str:
    """A section label ``ref: section`` as a person reads it.

    ``pedersen-2019: Glossary`` becomes ``Glossary — Physical activity and
    muscle-brain crosstalk``: the section first, then its source's title.
    """
    ref, sep, section = label.partition(": ")
    if not sep:
        return label
    title = source_titles.get(ref)
    if title is None:
        title = ref.replace("-", " ").capitalize()
    if section.casefold() in title.casefold():  # a section named as its source
        return title
    return f"{section} — {short(title, SHORT_TITLE)}"


def card_line(html_text: str) -> str:
    """Card text on one line for lists: sanitised plain text, no script text."""
    return " ".join(to_plain_text(html_text).split())
