"""The reference list: its entries, numbered or not, and the cards they give."""

from __future__ import annotations

import dataclasses
import re

from studyapp.core.authoring import cards as make
from studyapp.core.authoring.references import parse_entry
from studyapp.core.authoring.sections import (
    LINK_WORDS,
    SENTENCE_END,
    Line,
    Part,
    find_heading,
    heading_label,
    part_of,
)
from studyapp.core.model import CardSpec

_NUMBERED = re.compile(
    r"^(?:\[(\d{1,4})\]|(\d{1,4})[.)]|(\d{1,3})(?=\s[A-Z\u00c0-\u024f]))\s+(\S.*)$"
)
_LINKS = re.compile(rf"^(?:{LINK_WORDS}\s*)+$")


def read_references(
    lines: list[Line], ref: str, warnings: list[str], *, legacy: bool
) -> tuple[list[CardSpec], int]:
    """Cards from the reference list, and how many entries it has.

    Numbered lists ("1.", "[1]", "1)", "1 Author") and, unless ``legacy``,
    unnumbered ones (APA, Harvard: one entry a line) are read; wrapped
    entries are joined; what cannot be parsed is warned about by line.
    """
    start = find_heading(lines, Part.REFERENCES)
    if start is None:
        warnings.append("references: no 'References' heading")
        return [], 0
    heading = heading_label(lines[start])
    skipped: list[int] = []
    entries = _reference_entries(
        lines[start + 1 :], numbered_only=legacy, skipped=None if legacy else skipped
    )
    warnings.extend(
        f"references: line {number} is not a reference entry; skipped it"
        for number in skipped
    )
    if not entries:
        warnings.append(
            f"references: heading at line {lines[start].number} is not followed by "
            "a numbered list"
        )
        return [], 0
    numbers = [number for number, _, _ in entries]
    if numbers != list(range(1, len(entries) + 1)):
        warnings.append("references: numbers are not 1, 2, 3 ... in order")
    cards = []
    for number, reference, line_number in entries:
        entry = parse_entry(reference)
        where = f"reference {number} (line {line_number})"
        warnings.extend(f"{where}: {problem}" for problem in entry.problems)
        if entry.study is None or not entry.study.year:
            continue
        study = dataclasses.replace(entry.study, reference=number)
        card = make.finding_card(study, reference, ref, heading, legacy=legacy)
        if card is not None:
            cards.append(card)
    return cards, len(entries)


def _reference_entries(
    lines: list[Line], *, numbered_only: bool, skipped: list[int] | None = None
) -> list[tuple[int, str, int]]:
    """(number, text, line) of each entry; unnumbered lists are counted.

    With ``skipped``, a line that is no reference but is followed within
    three lines by the next entry is skipped (its number is added to
    ``skipped``) instead of ending the list.
    """
    entries: list[tuple[int, str, int]] = []
    numbered = bool(lines) and bool(_NUMBERED.match(lines[0].text))
    for index, line in enumerate(lines):
        match = _NUMBERED.match(line.text)
        if part_of(line) is not None and not match:
            break
        if match and numbered:
            number = int(match.group(1) or match.group(2) or match.group(3))
            entries.append((number, match.group(4), line.number))
        elif _LINKS.match(line.text):
            continue
        elif (
            entries
            and _unfinished(entries[-1][1])
            and (numbered or re.match(r"[a-z0-9(]", line.text))
        ):
            # A reference wrapped onto the next line: join it to its start.
            number, start_text, line_number = entries[-1]
            entries[-1] = (number, f"{start_text} {line.text}", line_number)
        elif not numbered and not numbered_only and _looks_like_reference(line.text):
            entries.append((len(entries) + 1, line.text, line.number))
        elif (
            skipped is not None
            and entries
            and _entry_follows(lines[index + 1 : index + 4], numbered)
        ):
            skipped.append(line.number)
        else:
            break
    return entries


def _entry_follows(following: list[Line], numbered: bool) -> bool:
    for line in following:
        if part_of(line) is not None:
            return False
        if numbered and _NUMBERED.match(line.text):
            return True
        if not numbered and _looks_like_reference(line.text):
            return True
    return False


def _unfinished(entry: str) -> bool:
    """A reference that goes on: no sentence end, or "J. Imag." and no year yet."""
    if not SENTENCE_END.search(entry):
        return True
    abbreviated = re.search(r"\b[A-Z][a-z]{0,7}\.$", entry)
    return bool(abbreviated) and not _looks_like_reference(entry)


def _looks_like_reference(text: str) -> bool:
    return bool(
        re.search(r"(?<!\d)(?:1[5-9]\d\d|20\d\d)(?!\d)|in press|n\.\s?d\.", text)
    )
