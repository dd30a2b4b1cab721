"""Drafting a deck from an article's text: key points, glossary, references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studyapp.core.authoring import cards as make
from studyapp.core.authoring.glossary import (
    Abbreviation,
    abbreviations_in_text,
    read_abbreviations,
    read_glossary,
)
from studyapp.core.authoring.reference_list import read_references
from studyapp.core.authoring.sections import (
    BULLET,
    SENTENCE_END,
    Line,
    Part,
    find_heading,
    heading_label,
    part_of,
    section_end,
    split_lines,
)
from studyapp.core.model import CardKind, CardSpec

_SENTENCE_SPLIT = re.compile(r"(?<=[.?!])\s+(?=[A-Z“\"(])")
MAX_MECHANISMS = 12


@dataclass(frozen=True, slots=True)
class DraftResult:
    """What the drafter found in a document.

    ``cards`` are ready for a deck file; each carries a ``source`` anchor whose
    quote is copied from the text. ``warnings`` list what was looked for and
    not found, or found but not understood; nothing is made up for them.
    ``checks`` say, per card id, what the reviewer should look at.
    """

    source_id: str
    title: str
    cards: tuple[CardSpec, ...]
    warnings: tuple[str, ...]
    checks: dict[str, str] = field(default_factory=dict)
    boxes: tuple[str, ...] = ()
    references: int = 0  # entries read from the reference list

    def summary(self) -> str:
        """Counts by kind, abbreviations apart from the glossary."""
        abbreviations = sum(1 for card in self.cards if "abbreviation" in card.tags)
        parts = []
        for kind in CardKind:
            count = self.count(kind)
            if kind is CardKind.GLOSSARY:
                parts.append(f"{count - abbreviations} glossary")
                parts.append(f"{abbreviations} abbreviation")
            else:
                parts.append(f"{count} {kind.value}")
        return (
            f"drafted {len(self.cards)} cards: {', '.join(parts)}; "
            f"{self.references} references read"
        )

    def count(self, kind: CardKind) -> int:
        """Number of drafted cards of one kind."""
        return sum(1 for card in self.cards if card.kind is kind)


def draft_deck(
    text: str, *, source_id: str, title: str | None = None, legacy: bool = True
) -> DraftResult:
    """Draft cards from the text of a journal article.

    Looks for the key points (or highlights, "In brief" ...), the glossary in
    any of its forms, abbreviations, the reference list in any common style,
    boxes, and mechanism sentences.

    Args:
        text: The document's plain text.
        source_id: The id the deck will give the document; cards' anchors
            refer to it.
        title: The document's title; found before the abstract when omitted.
        legacy: Draft as the first drafter did: every reference a finding
            card shown both ways, key points as "complete the statement",
            two-link mechanisms from the abstract only, no abbreviation
            cards. ``False`` drafts the better cards of issue 14.

    Returns:
        The drafted cards and a warning for everything that was not found.
    """
    lines = split_lines(text)
    warnings: list[str] = []
    checks: dict[str, str] = {}
    found_title = title or _find_title(lines)
    if not found_title and not legacy:
        found_title = _first_title_line(lines)
    if not found_title:
        warnings.append("title: not found before an 'Abstract' heading; pass one")
    glossary, defined = _glossary(lines, source_id, warnings, legacy=legacy)
    key_points, notes = _key_points(lines, source_id, warnings, legacy, defined)
    checks.update(notes)
    cards = [*key_points, *glossary]
    if not legacy:
        cards += _abbreviations(lines, text, source_id, glossary)
    cards += _mechanisms(lines, source_id, warnings, legacy=legacy)
    references = read_references(lines, source_id, warnings, legacy=legacy)
    cards += references[0]
    if not legacy:
        cards = [make.one_way_if_long(card) for card in cards]
        for card_id, problem in make.minimum_information(cards).items():
            checks[card_id] = "; ".join(filter(None, (checks.get(card_id), problem)))
    boxes = tuple(line.text for line in lines if part_of(line) is Part.BOX)
    return DraftResult(
        source_id=source_id,
        title=found_title or source_id,
        cards=tuple(cards),
        warnings=tuple(warnings),
        checks=checks,
        boxes=boxes,
        references=references[1],
    )


def _find_title(lines: list[Line]) -> str:
    start = find_heading(lines, Part.ABSTRACT)
    if not start:
        return ""
    candidate = lines[start - 1].text
    if len(candidate.split()) <= 25 and not SENTENCE_END.search(candidate):
        return candidate
    return ""


def _first_title_line(lines: list[Line]) -> str:
    """Without an abstract: the first headline-like line of the opening ones."""
    for line in lines[:8]:
        text = line.text
        words = len(text.split())
        furniture = "|" in text or re.search(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}", text)
        if 3 <= words <= 25 and not SENTENCE_END.search(text) and not furniture:
            return text
    return ""


def _key_points(
    lines: list[Line], ref: str, warnings: list[str], legacy: bool, terms: list[str]
) -> tuple[list[CardSpec], list[tuple[str, str]]]:
    start = find_heading(lines, Part.KEY_POINTS)
    if start is None and not legacy:
        start = _summary_bullets(lines)
    if start is None:
        warnings.append("key points: no 'Key points' heading")
        return [], []
    points = []
    for line in lines[start + 1 :]:
        match = BULLET.match(line.text)
        if not match or part_of(line) is not None:
            break
        points.append(match.group(1))
    if not points and not legacy:
        # bullets drawn as graphics (PDF) or items as paragraphs (web pages):
        # short sentences, one a line, up to the next heading
        points = _unbulleted_points(lines[start + 1 :])
        if points:
            warnings.append(
                f"key points: heading at line {lines[start].number} has no bullets; "
                f"took the {len(points)} short paragraphs after it"
            )
    if not points:
        warnings.append(
            f"key points: heading at line {lines[start].number} is not followed by "
            "a bulleted list"
        )
    heading = heading_label(lines[start])
    return make.key_point_cards(points, ref, heading, legacy=legacy, terms=terms)


MAX_KEY_POINT_WORDS = 60
MAX_KEY_POINTS = 12


def _unbulleted_points(lines: list[Line]) -> list[str]:
    points: list[str] = []
    for line in lines:
        if part_of(line) is not None:
            break
        words = len(line.text.split())
        if words > MAX_KEY_POINT_WORDS or not SENTENCE_END.search(line.text):
            return points if part_of(line) is None and points and words < 15 else []
        points.append(line.text)
        if len(points) > MAX_KEY_POINTS:
            return []
    return points


def _summary_bullets(lines: list[Line]) -> int | None:
    """A "Summary" heading followed by bullets holds the key points."""
    index = find_heading(lines, Part.ABSTRACT)
    if (
        index is not None
        and index + 1 < len(lines)
        and BULLET.match(lines[index + 1].text)
    ):
        return index
    return None


def _glossary(
    lines: list[Line], ref: str, warnings: list[str], *, legacy: bool
) -> tuple[list[CardSpec], list[str]]:
    start = find_heading(lines, Part.GLOSSARY)
    if start is None:
        warnings.append("glossary: no 'Glossary' heading")
        return [], []
    entries, stop = read_glossary(lines[start + 1 :])
    stop += start + 1
    if not entries:
        warnings.append(
            f"glossary: heading at line {lines[start].number} is not followed by "
            "terms and definitions"
        )
    elif stop < len(lines) and part_of(lines[stop]) is None:
        # Might be a definition's second paragraph, or page furniture: say so.
        warnings.append(
            f"glossary: stopped at line {lines[stop].number} "
            f"({_excerpt(lines[stop].text)}), which is neither a term with its "
            "definition nor a heading"
        )
    cards = make.glossary_cards(entries, ref, heading_label(lines[start]))
    terms = [entry.name or entry.term for entry in entries]
    terms += [entry.abbreviation for entry in entries if entry.abbreviation]
    if not legacy:
        for entry in entries:
            if entry.abbreviation:
                short, long = entry.abbreviation, entry.name
                quote = entry.term
                cards += make.abbreviation_cards(
                    [Abbreviation(short, long, quote)],
                    ref,
                    {short: heading_label(lines[start])},
                )
    return cards, terms


def _abbreviations(
    lines: list[Line], text: str, ref: str, have: list[CardSpec]
) -> list[CardSpec]:
    taken = {card.id for card in have}
    found: list[Abbreviation] = []
    sections: dict[str, str] = {}
    start = find_heading(lines, Part.ABBREVIATIONS)
    if start is not None:
        listed, _ = read_abbreviations(lines[start + 1 :])
        found += listed
        sections.update({item.short: heading_label(lines[start]) for item in listed})
    references = find_heading(lines, Part.REFERENCES)
    body = text
    if references is not None:  # reference titles define no abbreviations
        end = section_end(lines, references)
        after = text[lines[end].offset :] if end < len(lines) else ""
        body = text[: lines[references].offset] + "\n" + after
    in_text = abbreviations_in_text(body)
    found += in_text
    headings = [line for line in lines if part_of(line) is not None]
    for item in in_text:
        at = text.find(item.quote)
        before = [line for line in headings if line.offset < at]
        sections.setdefault(item.short, heading_label(before[-1]) if before else "Text")
    cards = make.abbreviation_cards(found, ref, sections)
    return [card for card in cards if card.id not in taken]


def _mechanisms(
    lines: list[Line], ref: str, warnings: list[str], *, legacy: bool
) -> list[CardSpec]:
    start = find_heading(lines, Part.ABSTRACT)
    if legacy and start is None:
        warnings.append("mechanisms: no 'Abstract' heading")
        return []
    if legacy:
        assert start is not None
        spans = [(start, _paragraph_run(lines, start))]
    else:
        spans = _prose_spans(lines)
    cards: list[CardSpec] = []
    seen: set[str] = set()
    for begin, end in spans:
        heading = heading_label(lines[begin]) if part_of(lines[begin]) else ""
        for line in lines[begin:end]:
            for sentence in _SENTENCE_SPLIT.split(line.text):
                steps = make.chain(sentence, strict=not legacy)
                if len(steps) < (2 if legacy else 3) or sentence in seen:
                    continue
                seen.add(sentence)
                cards.append(
                    make.mechanism_card(len(cards) + 1, steps, sentence, ref, heading)
                )
        if len(cards) >= MAX_MECHANISMS:
            break
    if legacy and not cards:
        warnings.append(
            "mechanisms: no abstract sentence states one (X increases / induces / "
            "converts ... Y)"
        )
    return cards[:MAX_MECHANISMS]


def _paragraph_run(lines: list[Line], start: int) -> int:
    end = start + 1
    while (
        end < len(lines)
        and part_of(lines[end]) is None
        and SENTENCE_END.search(lines[end].text)
    ):
        end += 1
    return end


def _prose_spans(lines: list[Line]) -> list[tuple[int, int]]:
    """The abstract, body and boxes: every part but lists, glossary and references."""
    skip = (Part.KEY_POINTS, Part.GLOSSARY, Part.ABBREVIATIONS, Part.REFERENCES)
    spans: list[tuple[int, int]] = []
    begin = 0
    while begin < len(lines):
        end = section_end(lines, begin)
        if part_of(lines[begin]) not in skip:
            spans.append((begin, end))
        begin = end
    # the abstract first: its sentences are the article's own summary
    spans.sort(key=lambda span: part_of(lines[span[0]]) is not Part.ABSTRACT)
    return spans


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")
