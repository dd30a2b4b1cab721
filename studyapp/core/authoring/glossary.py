# Dashes and Greek letters below are the characters articles print.
# ruff: noqa: RUF001, RUF002
"""Glossary entries and abbreviations, in every form articles write them.

Glossary forms: a term line followed by its definition line (also what a web
page's definition list becomes), "Term: definition", "Term — definition",
"Term – definition", "Term - definition", "Term<TAB>definition", and terms with
an abbreviation, "Suprachiasmatic nucleus (SCN)". Abbreviation lists:
"SCN, suprachiasmatic nucleus; TRE, time-restricted eating" or one per line
("SCN: suprachiasmatic nucleus", "SCN  suprachiasmatic nucleus"). In running
text, "amyotrophic lateral sclerosis (ALS)" where the letters fit the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studyapp.core.authoring.sections import BULLET, SENTENCE_END, Line, part_of

_INLINE = re.compile(
    r"^(?P<term>[^:.;\t]{1,80}?)\s*(?::|\t|\s[\u2014\u2013]|\u2014|\s-|\s=)\s*(?P<text>\S.*)$"
)
_WITH_ABBREVIATION = re.compile(
    r"^(?P<name>.+?)\s+\((?P<abbr>[A-Za-z0-9α-ωΑ-Ω/-]{2,12})\)$"
)
ABBREVIATION = r"[A-Z][A-Za-z0-9α-ω-]*[A-Z0-9][A-Za-z0-9α-ω-]*s?"
_ABBREVIATION_LINE = re.compile(
    rf"^(?P<abbr>{ABBREVIATION})\s*(?:,|:|=|\t|\s{{2,}}|\s[\u2014\u2013-])\s*(?P<text>\S.*)$"
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary entry: the term as written, its definition as written."""

    term: str
    definition: str
    line: int  # where the entry starts, for warnings
    abbreviation: str = ""  # "SCN" of "Suprachiasmatic nucleus (SCN)"
    name: str = ""  # the term without its abbreviation


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """An abbreviation and what it stands for, with the passage that says so."""

    short: str
    long: str
    quote: str  # verbatim from the document


def is_term(text: str) -> bool:
    """A short line without a sentence's end: a glossary term."""
    return (
        (len(text.split()) <= 8 and not SENTENCE_END.search(text.rstrip(":")))
        or bool(_WITH_ABBREVIATION.match(text))
    ) and not BULLET.match(text)


def is_definition(text: str) -> bool:
    """A line long enough, or sentence-like enough, to define a term."""
    words = len(text.split())
    return (words >= 4 and bool(SENTENCE_END.search(text))) or words >= 7


def _entry(term: str, definition: str, line: int) -> Entry:
    term = term.strip().strip("*_").strip().rstrip(":").strip()
    found = _WITH_ABBREVIATION.match(term)
    if found and fits(found["abbr"], found["name"]):
        return Entry(term, definition, line, found["abbr"], found["name"])
    if found and fits(found["name"], found["abbr"]):  # "SCN (suprachiasmatic nucleus)"
        return Entry(term, definition, line, found["name"], found["abbr"])
    return Entry(term, definition, line)


def read_glossary(lines: list[Line]) -> tuple[list[Entry], int]:
    """Entries from the lines after a glossary heading.

    Returns:
        The entries and the index of the first line not read (a heading, or
        a line that is neither a term nor a definition).
    """
    entries: list[Entry] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if part_of(line) is not None:
            break
        text = BULLET.sub(r"\1", line.text) if line.text[:1] in "•-*" else line.text
        following = lines[index + 1] if index + 1 < len(lines) else None
        inline = _INLINE.match(text)
        if (
            is_term(text)
            and following is not None
            and part_of(following) is None
            and is_definition(following.text)
            and not (inline and _is_inline(inline))
        ):
            entries.append(_entry(text, following.text, line.number))
            index += 2
        elif inline and _is_inline(inline):
            entries.append(_entry(inline["term"], inline["text"], line.number))
            index += 1
        else:
            break
    return entries, index


def _is_inline(match: re.Match[str]) -> bool:
    term = match["term"].strip("*_ ")
    return 0 < len(term.split()) <= 8 and len(match["text"].split()) >= 3


def read_abbreviations(lines: list[Line]) -> tuple[list[Abbreviation], int]:
    """Abbreviations from the lines after an "Abbreviations" heading."""
    found: list[Abbreviation] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if part_of(line) is not None:
            break
        items = [item.strip() for item in line.text.split(";")]
        pairs = [_ABBREVIATION_LINE.match(item) for item in items if item]
        if not pairs or not all(pairs):
            break
        for pair in pairs:
            assert pair is not None
            long = pair["text"].rstrip(".;, ")
            found.append(Abbreviation(pair["abbr"], long, _quote(line.text, pair)))
        index += 1
    return found, index


def _quote(text: str, pair: re.Match[str]) -> str:
    start = text.find(pair.group(0).rstrip(".;, "))
    return text[start : start + len(pair.group(0).rstrip(".;, "))]


def fits(short: str, long: str) -> bool:
    """Whether the abbreviation's letters are the initials (or starts) of the words."""
    letters = [c.lower() for c in short if c.isalpha()]
    words = [w for w in re.split(r"[\s\u2013-]+", long.lower()) if w]
    if len(letters) < 2 or not words or len(words) > len(letters) + 3:
        return False
    if letters[0] != words[0][0]:
        return False
    # each letter must be found in order at a word start or inside the current word
    position = 0
    text = " ".join(words)
    for letter in letters:
        found = text.find(letter, position)
        if found < 0:
            return False
        position = found + 1
    initials = [w[0] for w in words if w[0].isalpha() and w not in _STOP_WORDS]
    remaining = iter(letters)
    return all(initial in remaining for initial in initials)


_STOP_WORDS = frozenset(
    {"of", "and", "the", "in", "for", "to", "a", "an", "on", "with"}
)


def abbreviations_in_text(text: str) -> list[Abbreviation]:
    """Abbreviations defined in running text: "full name (ABBR)"."""
    found: dict[str, Abbreviation] = {}
    for match in re.finditer(rf"\((?P<abbr>{ABBREVIATION})\)", text):
        short = match["abbr"]
        if short in found or short.lower() in ("ns", "vs"):
            continue
        letters = sum(1 for c in short if c.isalpha())
        base = max(0, match.start() - 120)
        before = text[base : match.start()].rstrip()
        words = re.findall(r"[\w\u2019'-]+", before)
        for size in range(max(1, letters - 2), letters + 2):
            if size > len(words):
                break
            candidate_words = words[-size:]
            start = _find_words_start(before, candidate_words)
            if start < 0:
                continue
            long = before[start:]
            if fits(short, long) and long.split()[0][0].lower() == short[0].lower():
                quote = text[base + start : match.end()]
                found[short] = Abbreviation(short, long, quote)
                break
    return list(found.values())


def _find_words_start(before: str, words: list[str]) -> int:
    pattern = r"[^\w]+".join(map(re.escape, words)) + r"$"
    match = re.search(pattern, before)
    return match.start() if match else -1
