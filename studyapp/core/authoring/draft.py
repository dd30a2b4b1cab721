"""Drafting a deck from a journal article's text: key points, glossary, references."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import yaml

from studyapp.core.authoring.references import parse_reference, short_authors
from studyapp.core.decks.writer import DeckDumper, card_to_data
from studyapp.core.errors import StudyAppError
from studyapp.core.model import CardKind, CardSpec, CardType, SourceAnchor

ABSTRACT_HEADINGS = ("abstract", "summary")
KEY_POINT_HEADINGS = ("key points", "key messages", "highlights")
GLOSSARY_HEADINGS = ("glossary", "definitions", "key terms")
REFERENCE_HEADINGS = ("references", "bibliography", "literature cited")
# Page furniture that ends a section without being one of ours.
STOP_HEADINGS = (
    "acknowledgements",
    "acknowledgments",
    "author information",
    "additional information",
    "rights and permissions",
    "about this article",
    "cite this article",
    "download references",
    "ethics declarations",
    "supplementary information",
)
# Verbs that make an abstract sentence state a mechanism ("X increases Y").
_CAUSAL = (
    r"increases?|increasing|induces?|inducing|enhances?|enhancing|"
    r"converts?|converting|stimulates?|stimulating|promotes?|promoting|"
    r"activates?|activating|suppress(?:es)?|suppressing|inhibits?|inhibiting|"
    r"reduces?|reducing|decreases?|decreasing|drives?|driving|"
    r"mediates?|mediating|regulates?|regulating|triggers?|triggering|"
    r"secretes?|secreting|releases?|releasing|causes?|causing|"
    r"contributes? to|contributing to|leads? to|leading to"
)
_VERB = re.compile(rf"(?<![\w-])(?:{_CAUSAL})(?![\w-])")
# Words that join the links of a chain; they are trimmed off each step.
_JOINER = re.compile(
    r"(?:[\s,;]+|\b(?:which|that|and|thereby|hence|thus|can|could|might|may|"
    r"likewise|also|in turn|to|then|so)\b)+$"
)
_CHAIN_BREAK = re.compile(r",?\s+(?:and hence|thereby|thus)\s+")
_BULLET = re.compile(r"^(?:[•●▪◦‣∙·*\-\u2013]|\d{1,2}[.)])\s+(\S.*)$")
_NUMBERED = re.compile(r"^(?:\[(\d{1,4})\]|(\d{1,4})[.)])\s+(\S.*)$")
_LINKS = re.compile(
    r"^(?:(?:CAS|PubMed(?: Central)?|Google Scholar|Article|ADS|MathSciNet|"
    r"Crossref|Full Text)\s*)+$"
)
_SENTENCE_END = re.compile(r"[.?!)](?:[\u201d\u2019\"']?)$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.?!])\s+(?=[A-Z“\"(])")

_RESULT_WORDS = re.compile(
    rf"(?<![\w-])(?:{_CAUSAL}|is|are|was|were|does not|do not|protects?|"
    r"improves?|prevents?|rescues?|maintains?|modulates?|delays?|"
    r"blocks?|varies|differ|loses?|lose|changes?|raises?|develops?|affects?)(?![\w-])"
)


@dataclass(frozen=True, slots=True)
class DraftResult:
    """What the drafter found in a document.

    ``cards`` are ready for a deck file; each carries a ``source`` anchor whose
    quote is copied from the text. ``warnings`` list what was looked for and
    not found, or found but not understood; nothing is made up for them.
    """

    source_id: str
    title: str
    cards: tuple[CardSpec, ...]
    warnings: tuple[str, ...]

    def count(self, kind: CardKind) -> int:
        """Number of drafted cards of one kind."""
        return sum(1 for card in self.cards if card.kind is kind)


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based line in the text, for warnings
    text: str  # stripped


def draft_deck(text: str, *, source_id: str, title: str | None = None) -> DraftResult:
    """Draft cards from the text of a journal article's web page.

    Looks for the "Key points" list, the "Glossary" (term, then definition),
    the numbered "References" list and the mechanism sentences of the
    "Abstract" (X increases / induces / converts ... Y).

    Args:
        text: The document's plain text.
        source_id: The id the deck will give the document; cards' anchors
            refer to it.
        title: The document's title; found before the abstract when omitted.

    Returns:
        The drafted cards and a warning for everything that was not found.
    """
    lines = [
        _Line(number, stripped)
        for number, raw in enumerate(text.splitlines(), start=1)
        if (stripped := raw.strip())
    ]
    warnings: list[str] = []
    found_title = title or _find_title(lines)
    if not found_title:
        warnings.append("title: not found before an 'Abstract' heading; pass one")
    cards = [
        *_key_points(lines, source_id, warnings),
        *_glossary(lines, source_id, warnings),
        *_mechanisms(lines, source_id, warnings),
        *_references(lines, source_id, warnings),
    ]
    return DraftResult(
        source_id=source_id,
        title=found_title or source_id,
        cards=tuple(cards),
        warnings=tuple(warnings),
    )


def _heading_at(lines: list[_Line], names: tuple[str, ...]) -> int | None:
    for index, line in enumerate(lines):
        if line.text.lower().rstrip(":") in names:
            return index
    return None


def _is_heading(line: _Line) -> bool:
    name = line.text.lower().rstrip(":")
    known = (
        ABSTRACT_HEADINGS
        + KEY_POINT_HEADINGS
        + GLOSSARY_HEADINGS
        + REFERENCE_HEADINGS
        + STOP_HEADINGS
    )
    return name in known


def _find_title(lines: list[_Line]) -> str:
    start = _heading_at(lines, ABSTRACT_HEADINGS)
    if not start:
        return ""
    candidate = lines[start - 1].text
    if len(candidate.split()) <= 25 and not _SENTENCE_END.search(candidate):
        return candidate
    return ""


def _key_points(lines: list[_Line], ref: str, warnings: list[str]) -> list[CardSpec]:
    start = _heading_at(lines, KEY_POINT_HEADINGS)
    if start is None:
        warnings.append("key points: no 'Key points' heading")
        return []
    heading = lines[start].text.rstrip(":")
    cards: list[CardSpec] = []
    for line in lines[start + 1 :]:
        match = _BULLET.match(line.text)
        if not match or _is_heading(line):
            break
        point = match.group(1)
        number = len(cards) + 1
        words = point.split()
        prompt = " ".join(words[:6]) + (" …" if len(words) > 6 else "")
        cards.append(
            CardSpec(
                id=f"key-point-{number}",
                kind=CardKind.KEY_POINT,
                front=f"Key point {number}: complete the statement “{prompt}”",
                back=point,
                tags=("key-point", "draft"),
                source=SourceAnchor(ref, heading, point),
            )
        )
    if not cards:
        warnings.append(
            f"key points: heading at line {lines[start].number} is not followed by "
            "a bulleted list"
        )
    return cards


def _is_term(text: str) -> bool:
    return (
        len(text.split()) <= 8
        and not _SENTENCE_END.search(text)
        and not _BULLET.match(text)
        and not _NUMBERED.match(text)
    )


def _is_definition(text: str) -> bool:
    return len(text.split()) >= 4 and bool(_SENTENCE_END.search(text))


_INLINE_TERM = re.compile(
    r"^(?P<term>[^:.;]{1,60}?)\s*(?::|\u2014|\u2013|\s-)\s+(?P<text>\S.*)$"
)


def _glossary(lines: list[_Line], ref: str, warnings: list[str]) -> list[CardSpec]:
    start = _heading_at(lines, GLOSSARY_HEADINGS)
    if start is None:
        warnings.append("glossary: no 'Glossary' heading")
        return []
    heading = lines[start].text.rstrip(":")
    entries: list[tuple[str, str]] = []
    index = start + 1
    while index < len(lines):
        line, following = lines[index], lines[index + 1 : index + 2]
        if _is_heading(line):
            break
        inline = _INLINE_TERM.match(line.text)
        if _is_term(line.text) and following and _is_definition(following[0].text):
            entries.append((line.text, following[0].text))
            index += 2
        elif inline and len(inline["term"].split()) <= 6 and _is_definition(line.text):
            entries.append((inline["term"], inline["text"]))
            index += 1
        else:
            break
    if not entries:
        warnings.append(
            f"glossary: heading at line {lines[start].number} is not followed by "
            "terms and definitions"
        )
    elif index < len(lines) and not _is_heading(lines[index]):
        # Might be a definition's second paragraph, or page furniture: say so.
        warnings.append(
            f"glossary: stopped at line {lines[index].number} "
            f"({_excerpt(lines[index].text)}), which is neither a term with its "
            "definition nor a heading"
        )
    ids: Counter[str] = Counter()
    cards = []
    for term, definition in entries:
        slug = _slug(term) or "term"
        ids[slug] += 1
        card_id = slug if ids[slug] == 1 else f"{slug}-{ids[slug]}"
        # A reversed card shows the definition as the prompt; if the definition
        # names the term, that side would give the answer away.
        names_term = term.lower() in definition.lower()
        cards.append(
            CardSpec(
                id=card_id,
                kind=CardKind.GLOSSARY,
                type=CardType.BASIC if names_term else CardType.REVERSED,
                front=term,
                back=definition,
                tags=("glossary", "draft"),
                source=SourceAnchor(ref, heading, definition),
            )
        )
    return cards


def _mechanisms(lines: list[_Line], ref: str, warnings: list[str]) -> list[CardSpec]:
    start = _heading_at(lines, ABSTRACT_HEADINGS)
    if start is None:
        warnings.append("mechanisms: no 'Abstract' heading")
        return []
    heading = lines[start].text.rstrip(":")
    paragraphs = []
    for line in lines[start + 1 :]:
        if _is_heading(line) or not _SENTENCE_END.search(line.text):
            break
        paragraphs.append(line.text)
    cards: list[CardSpec] = []
    for sentence in _SENTENCE_SPLIT.split(" ".join(paragraphs)):
        steps = _chain(sentence)
        if len(steps) < 2:
            continue
        number = len(cards) + 1
        cards.append(
            CardSpec(
                id=f"mechanism-{number}",
                kind=CardKind.MECHANISM,
                # ask for the last link: the effect
                front="Complete the mechanism: " + " → ".join([*steps[:-1], "…"]),
                back=" → ".join(steps),
                steps=tuple(steps),
                tags=("mechanism", "draft"),
                source=SourceAnchor(ref, heading, sentence),
            )
        )
    if not cards:
        warnings.append(
            "mechanisms: no abstract sentence states one (X increases / induces / "
            "converts ... Y)"
        )
    return cards


def _chain(sentence: str) -> list[str]:
    """Split a sentence at its causal verbs: subject, then one step per verb."""
    body = sentence.rstrip(".")
    # Verbs inside parentheses qualify a noun; they do not add a link.
    searchable = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), body)
    cuts = [m.start() for m in _VERB.finditer(searchable)]
    if not cuts:
        return []
    subject = body[: cuts[0]]
    if " that " in subject:  # "Evidence is accumulating that X ..."
        subject = subject.rsplit(" that ", 1)[1]
    pieces = [subject]
    for begin, end in zip(cuts, [*cuts[1:], len(body)], strict=True):
        pieces.extend(_CHAIN_BREAK.split(body[begin:end]))
    steps = [_JOINER.sub("", piece).strip() for piece in pieces]
    if not steps[0]:
        return []
    steps = [steps[0], *(step for step in steps[1:] if step)]
    if len(steps) < 2 or any(len(step.split()) < 2 for step in steps[1:]):
        return []
    return steps


def _references(lines: list[_Line], ref: str, warnings: list[str]) -> list[CardSpec]:
    start = _heading_at(lines, REFERENCE_HEADINGS)
    if start is None:
        warnings.append("references: no 'References' heading")
        return []
    heading = lines[start].text.rstrip(":")
    entries: list[tuple[int, str, int]] = []
    for line in lines[start + 1 :]:
        match = _NUMBERED.match(line.text)
        if match:
            number = int(match.group(1) or match.group(2))
            entries.append((number, match.group(3), line.number))
        elif _LINKS.match(line.text):
            continue
        elif entries and not _SENTENCE_END.search(entries[-1][1]):
            # A reference wrapped onto the next line: join it to its start.
            number, start_text, line_number = entries[-1]
            entries[-1] = (number, f"{start_text} {line.text}", line_number)
        else:
            break
    if not entries:
        warnings.append(
            f"references: heading at line {lines[start].number} is not followed by "
            "a numbered list"
        )
        return []
    expected = list(range(1, len(entries) + 1))
    if [number for number, _, _ in entries] != expected:
        warnings.append("references: numbers are not 1, 2, 3 ... in order")
    cards = []
    for number, reference, line_number in entries:
        study, problems = parse_reference(reference, number=number)
        where = f"reference {number} (line {line_number})"
        warnings.extend(f"{where}: {problem}" for problem in problems)
        if study is None:
            continue
        kind_tag = (
            "states-result" if _RESULT_WORDS.search(study.title) else "background"
        )
        cards.append(
            CardSpec(
                id=f"ref-{number}",
                kind=CardKind.FINDING,
                type=CardType.REVERSED,
                front=f"{short_authors(study.authors)} ({study.year}; ref. {number})",
                back=study.title or reference,
                tags=("reference", kind_tag, "draft"),
                study=study,
                source=SourceAnchor(ref, heading, reference),
            )
        )
    return cards


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def draft_to_yaml(
    result: DraftResult,
    *,
    text_path: str,
    deck_id: str | None = None,
    title: str | None = None,
) -> str:
    """Write a draft as a deck file in the YAML deck format.

    Args:
        result: What ``draft_deck`` found.
        text_path: The source text's path as the deck file should name it
            (relative to the deck's folder or one of its parents).
        deck_id: The deck's id; ``<source id>-draft`` when omitted.
        title: The deck's title; the document's title plus "(draft)" if omitted.

    Returns:
        The YAML text, with the warnings as comments at the top.

    Raises:
        StudyAppError: If nothing was drafted (a deck needs a card); the
            message lists the warnings.
    """
    if not result.cards:
        raise StudyAppError("nothing to draft: " + "; ".join(result.warnings))
    deck: dict[str, Any] = {
        "id": deck_id or f"{result.source_id}-draft",
        "title": title or f"{result.title} (draft)",
        "document": result.source_id,
        "description": "Drafted by studyapp draft; check every card before use.",
    }
    data = {
        "deck": deck,
        "sources": [{"id": result.source_id, "title": result.title, "text": text_path}],
        "cards": [card_to_data(card) for card in result.cards],
    }
    header = [f"# Draft deck from {text_path}: review every card before use."]
    header += [f"# warning: {warning}" for warning in result.warnings]
    body = yaml.dump(
        data, Dumper=DeckDumper, sort_keys=False, allow_unicode=True, width=88
    )
    return "\n".join(header) + "\n" + body
