"""Check the cards of a deck file, a chunk at a time, and build CardSpecs.

``CardChecker`` keeps what spans chunks (ids seen, the card count, the
sources' quote indexes), so a deck read in pieces (``decks.stream``) is
checked exactly as one read whole.
"""

from __future__ import annotations

from typing import Any

from studyapp.core.decks.cloze import cloze_numbers
from studyapp.core.decks.files import CARD_ID
from studyapp.core.decks.lintsetting import check_lint_setting
from studyapp.core.decks.problems import MAX_FIELD_CHARS, Checker, Located, Where
from studyapp.core.decks.sources import QuoteIndex
from studyapp.core.model import (
    CardKind,
    CardSpec,
    CardType,
    Source,
    SourceAnchor,
    Study,
)

MAX_DECK_CARDS = 200_000

CARD_KEYS: tuple[str, ...] = ("id", "kind", "type", "front", "back", "cloze", "tags")
CARD_KEYS += ("steps", "study", "source", "lint")
STUDY_KEYS = ("authors", "year", "journal", "title", "reference", "doi")
ANCHOR_KEYS = ("ref", "section", "quote")
_ANCHOR_KEY_SET = frozenset(ANCHOR_KEYS)


def too_many_cards(count: str) -> str:
    """The problem of a deck with ``count`` cards (more than MAX_DECK_CARDS)."""
    return (
        f"cards: {count} cards; a deck may have at most {MAX_DECK_CARDS:,}: "
        "split it into several decks"
    )


class CardChecker:
    """Checks a deck's cards in order, in one list or in several chunks."""

    def __init__(
        self, checker: Checker, default_kind: CardKind, sources: dict[str, Source]
    ) -> None:
        self.checker = checker
        self.default_kind = default_kind
        self.sources = sources
        self.indexes = {key: QuoteIndex(s.text) for key, s in sources.items()}
        self.quick = default_kind is not CardKind.FINDING  # findings need a study
        self.first_seen: dict[str, int] = {}
        #: Cards checked so far (the index of the next one).
        self.count = 0

    def check(self, items: list[Any]) -> list[CardSpec]:
        """The valid cards of the next ``items``; problems go to the checker."""
        sources, indexes, kind = self.sources, self.indexes, self.default_kind
        first_seen, checker = self.first_seen, self.checker
        cards = []
        for index, item in enumerate(items, self.count):
            card = _quick_card(item, kind, sources, indexes) if self.quick else None
            if card is None:
                card = _check_card(
                    checker, item, ("cards", index), kind, sources, indexes
                )
            if card is None:
                continue
            first = first_seen.setdefault(card.id, index)
            if first != index:
                checker.add(
                    ("cards", index, "id"),
                    f"card '{card.id}': duplicate id (first used by card "
                    f"{first + 1} of this file)",
                )
            cards.append(card)
        self.count += len(items)
        return cards


_QUICK_CARD_KEYS = frozenset(("id", "front", "back", "tags", "source"))


def _are_plain_texts(*values: Any) -> bool:
    """Whether each value is a required text that passes ``Checker.text``."""
    for value in values:
        if (
            type(value) is not str
            or not value
            or len(value) > MAX_FIELD_CHARS
            or value.isspace()
        ):
            return False
    return True


_ONLY_STR = frozenset((str,))


def _quick_card(
    item: Any,
    default_kind: CardKind,
    sources: dict[str, Source],
    indexes: dict[str, QuoteIndex],
) -> CardSpec | None:
    """The card when it is a plain, valid front/back card; else None.

    Most cards in a big deck look like this. Checking them here, with no
    problem bookkeeping, is several times faster than ``_check_card``; any
    card this does not accept goes through ``_check_card``, which finds and
    words its problems, so the messages stay in one place.
    """
    if type(item) is not dict or not item.keys() <= _QUICK_CARD_KEYS:
        return None
    # Any: _are_plain_texts checks that they are texts.
    card_id: Any = item.get("id")
    front: Any = item.get("front")
    back: Any = item.get("back")
    if not (_are_plain_texts(card_id, front, back) and CARD_ID.match(card_id)):
        return None
    tags = item.get("tags")
    if tags is None:
        tags = ()
    elif type(tags) is list and set(map(type, tags)) <= _ONLY_STR:
        tags = tuple(tags)
    else:
        return None
    anchor = item.get("source")
    if anchor is None:
        if sources:
            return None
    else:
        anchor = _quick_anchor(anchor, sources, indexes)
        if anchor is None:
            return None
    return CardSpec(
        id=card_id, kind=default_kind, front=front, back=back, tags=tags, source=anchor
    )


def _quick_anchor(
    value: Any, sources: dict[str, Source], indexes: dict[str, QuoteIndex]
) -> SourceAnchor | None:
    """The anchor when ``_check_anchor`` would accept it silently; else None."""
    if type(value) is not dict or not value.keys() <= _ANCHOR_KEY_SET:
        return None
    ref: Any = value.get("ref")
    section: Any = value.get("section")
    quote: Any = value.get("quote")
    if not (
        _are_plain_texts(ref, section, quote)
        and ref in sources
        and sources[ref].text_path
    ):
        return None
    index = indexes[ref]
    # Last, since a hit moves the index's cursor; a miss leaves it as it was.
    if not index.empty and quote not in index:
        return None
    return SourceAnchor(ref=ref, section=section, quote=quote)


def _check_card(
    checker: Checker,
    item: Any,
    where: Where,
    default_kind: CardKind,
    sources: dict[str, Source],
    indexes: dict[str, QuoteIndex],
) -> CardSpec | None:
    raw_id = item.get("id") if isinstance(item, dict) else None
    label = f"card {int(where[1]) + 1}"
    if isinstance(raw_id, str) and raw_id:
        label = f"card '{raw_id}'"
    data = checker.mapping(item, where, CARD_KEYS, label)
    if not isinstance(item, dict):
        return None
    card_id = checker.text(data, "id", where, label, required=True)
    if card_id and not CARD_ID.match(card_id):
        checker.add(
            (*where, "id"), f"{label}: id may use only A-Z, a-z, 0-9, '.', '_', '-'"
        )
    kind = default_kind
    if "kind" in data:
        kind = checker.enum(data["kind"], CardKind, (*where, "kind"), label)
    is_cloze = "cloze" in data
    card_type = CardType.CLOZE if is_cloze else CardType.BASIC
    if "type" in data:
        card_type = checker.enum(data["type"], CardType, (*where, "type"), label)
    cloze = checker.text(
        data, "cloze", where, label, required=card_type is CardType.CLOZE
    )
    if card_type is CardType.CLOZE and cloze and not cloze_numbers(cloze):
        checker.add(
            (*where, "cloze"), f"{label}: no deletion like {{{{c1::text}}}} in cloze"
        )
    needs_sides = card_type is not CardType.CLOZE
    front = checker.text(data, "front", where, label, required=needs_sides)
    back = checker.text(data, "back", where, label, required=needs_sides)
    steps = checker.text_list(data, "steps", where, label)
    if "steps" in data and kind is not CardKind.MECHANISM:
        checker.add((*where, "steps"), f"{label}: only mechanism cards have steps")
    elif "steps" in data and len(steps) < 2:
        checker.add((*where, "steps"), f"{label}: a mechanism needs at least 2 steps")
    study = _check_study(checker, data.get("study"), (*where, "study"), label)
    if kind is CardKind.FINDING and study is None and "study" not in data:
        checker.add(where, f"{label}: finding cards need a study (authors, year, ...)")
    anchor = _check_anchor(checker, data.get("source"), where, label, sources, indexes)
    check_lint_setting(checker, data.get("lint"), where, label)
    return CardSpec(
        id=card_id,
        kind=kind or default_kind,
        type=card_type or CardType.BASIC,
        front=front,
        back=back,
        cloze=cloze,
        tags=checker.text_list(data, "tags", where, label),
        steps=steps,
        study=study,
        source=anchor,
    )


def _check_study(
    checker: Checker, value: Any, where: Where, label: str
) -> Study | None:
    if value is None:
        return None
    data = checker.mapping(value, where, STUDY_KEYS, f"{label} study")
    if not isinstance(value, dict):
        return None
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1500 < year < 2200:
        checker.add(
            (*where, "year") if "year" in data else where,
            f"{label}: study needs a year like 2016",
        )
        year = 0
    reference = data.get("reference")
    if reference is not None and (not isinstance(reference, int) or reference < 1):
        checker.add(
            (*where, "reference"), f"{label}: reference must be a number like 61"
        )
        reference = None
    return Study(
        authors=checker.text(data, "authors", where, f"{label} study", required=True),
        year=year,
        journal=checker.text(data, "journal", where, label, required=False),
        title=checker.text(data, "title", where, label, required=False),
        reference=reference,
        doi=checker.text(data, "doi", where, label, required=False),
    )


def _check_anchor(
    checker: Checker,
    value: Any,
    where: Where,
    label: str,
    sources: dict[str, Source],
    indexes: dict[str, QuoteIndex],
) -> SourceAnchor | None:
    if value is None:
        if sources:
            checker.add(where, f"{label}: missing 'source' (ref, section, quote)")
        return None
    at: Where = (*where, "source")
    data = checker.mapping(value, at, ANCHOR_KEYS, f"{label} source")
    if not isinstance(value, dict):
        return None
    ref = checker.text(data, "ref", at, f"{label} source", required=True)
    section = checker.text(data, "section", at, f"{label} source", required=True)
    quote = checker.text(data, "quote", at, f"{label} source", required=True)
    if ref and ref not in sources:
        known = ", ".join(sources) or "none listed under sources:"
        checker.add((*at, "ref"), f"{label}: unknown source '{ref}' (known: {known})")
    elif ref and quote and not indexes[ref].empty and quote not in indexes[ref]:
        checker.add(
            (*at, "quote"),
            f"{label}: quote not found in source '{ref}'; copy it verbatim from "
            f"{sources[ref].text_path}",
        )
    elif ref and quote and not sources[ref].text_path:
        checker.add(
            (*at, "ref"),
            f"{label}: source '{ref}' has no text to check the quote against",
        )
    return SourceAnchor(ref=ref, section=section, quote=quote)


def check_card(
    item: Any,
    default_kind: CardKind,
    sources: tuple[Source, ...],
    indexes: dict[str, QuoteIndex] | None = None,
) -> tuple[CardSpec | None, list[Located]]:
    """Check one card's data as ``studyapp validate`` would within its deck.

    For the card editor: ``item`` is the mapping the card would have in the
    file; problems are located from the card (``where`` starts with its key).
    ``indexes`` keeps the sources' quote indexes from one call to the next
    (filled as needed), so checking as the learner types stays quick.
    """
    checker = Checker()
    by_id = {source.id: source for source in sources}
    indexes = {} if indexes is None else indexes
    for key, source in by_id.items():
        if key not in indexes:
            indexes[key] = QuoteIndex(source.text)
    card = _check_card(checker, item, ("cards", 0), default_kind, by_id, indexes)
    problems = [
        Located(problem.where[2:], problem.message, problem.at_key)
        for problem in checker.problems
    ]
    return (card if not problems else None), problems
