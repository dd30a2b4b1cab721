"""The deck linter: warnings on cards that break the minimum-information principle.

Warnings are not errors: a deck with warnings still loads and imports. Each
warning names the file, line and column, the card, the rule and a one-line
fix. A card silences a rule with a reason::

    lint: {ignore: [two-questions], why: "a discrimination card: one choice"}

Rules on single cards live in ``lintcard``; the rules across cards (near
duplicates, one sentence asked too often) are here, because they need every
deck at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from studyapp.core.decks.cloze import cloze_numbers, strip_cloze
from studyapp.core.decks.lintcard import Field, check_card
from studyapp.core.decks.linttext import RULES, Sentences
from studyapp.core.decks.problems import Located
from studyapp.core.decks.reader import find_deck_files, load_deck
from studyapp.core.decks.sources import normalise
from studyapp.core.errors import DeckError, Problem
from studyapp.core.model import CardSpec, CardType, Deck

NEAR_DUPLICATE = 90  # rapidfuzz token_sort_ratio, 0-100
REPEAT_LIMIT = 6  # review cards that may ask one source sentence
MIN_FRONT_WORDS = 4  # shorter fronts ("What is X?") are alike by design
RARE_WORDS = 3  # near duplicates are looked for among texts sharing these


@dataclass(frozen=True, slots=True)
class LintWarning:
    """One warning: where, which card, which rule, what is wrong, how to fix it."""

    file: str
    line: int
    column: int
    deck: str
    card: str
    rule: str
    message: str
    fix: str
    why: str = ""  # the author's reason, when the card silences this rule

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}:{self.column}: card '{self.card}': "
            f"{self.rule}: {self.message}; fix: {self.fix}"
        )


@dataclass(frozen=True, slots=True)
class LintReport:
    """What linting found: live warnings, silenced ones and unreadable decks."""

    warnings: tuple[LintWarning, ...] = ()
    silenced: tuple[LintWarning, ...] = ()
    problems: tuple[Problem, ...] = ()

    def counts(self) -> dict[str, int]:
        """Live warnings per rule, every rule listed."""
        found = dict.fromkeys(RULES, 0)
        for warning in self.warnings:
            found[warning.rule] += 1
        return found


@dataclass(frozen=True, slots=True)
class LintInput:
    """A loaded deck with its file's text and each card's ``lint`` setting."""

    path: Path
    text: str
    deck: Deck
    ignores: tuple[tuple[frozenset[str], str], ...]  # per card: (rules, why)


# A finding before it has a position: (deck index, card index, field, rule, msg)
_Raw = tuple[int, int, Field, str, str]


def lint_paths(paths: Iterable[Path]) -> LintReport:
    """Lint deck files (folders are searched); decks that do not load are problems."""
    inputs: list[LintInput] = []
    problems: list[Problem] = []
    files = find_deck_files(paths)
    for file in files:
        try:
            deck = load_deck(file)
            text = file.read_text(encoding="utf-8")
        except DeckError as error:
            problems.extend(error.problems)
            continue
        inputs.append(LintInput(file, text, deck, _ignores(text, file, deck)))
    report = lint_decks(inputs)
    return replace(report, problems=tuple(problems))


def lint_decks(inputs: Sequence[LintInput]) -> LintReport:
    """Lint loaded decks together (near duplicates are looked for across them)."""
    raw: list[_Raw] = []
    texts = _sentences(inputs)
    for deck_index, item in enumerate(inputs):
        for card_index, card in enumerate(item.deck.cards):
            source = texts[deck_index].get(card.source.ref) if card.source else None
            for field, rule, message in check_card(card, source):
                raw.append((deck_index, card_index, field, rule, message))
    raw.extend(_near_duplicates(inputs))
    raw.extend(_repeated(inputs, texts))
    return _place(inputs, raw)


def _sentences(inputs: Sequence[LintInput]) -> list[dict[str, Sentences]]:
    """Each deck's sources split into sentences; a text shared by decks once."""
    made: dict[tuple[str, str], Sentences] = {}
    found = []
    for item in inputs:
        found.append(
            {
                s.id: made.setdefault((s.id, s.text), Sentences(s.text))
                for s in item.deck.sources
                if s.text
            }
        )
    return found


def _place(inputs: Sequence[LintInput], raw: list[_Raw]) -> LintReport:
    from studyapp.core.decks import yaml_safe  # PyYAML: positions only

    by_deck: dict[int, list[_Raw]] = defaultdict(list)
    for finding in raw:
        by_deck[finding[0]].append(finding)
    live: list[LintWarning] = []
    silenced: list[LintWarning] = []
    for deck_index, found in sorted(by_deck.items()):
        item = inputs[deck_index]
        located = [Located(("cards", c, *field), m) for _, c, field, _, m in found]
        placed = yaml_safe.place(item.path, item.text, located)
        for (_, card_index, _, rule, message), where in zip(found, placed, strict=True):
            rules, why = item.ignores[card_index]
            warning = LintWarning(
                file=str(item.path),
                line=where.line,
                column=where.column,
                deck=item.deck.id,
                card=item.deck.cards[card_index].id,
                rule=rule,
                message=message,
                fix=RULES[rule],
                why=why if rule in rules else "",
            )
            (silenced if rule in rules else live).append(warning)
    order = lambda w: (w.file, w.line, w.column, w.rule)  # noqa: E731
    return LintReport(
        tuple(sorted(live, key=order)), tuple(sorted(silenced, key=order))
    )


def _ignores(
    text: str, path: Path, deck: Deck
) -> tuple[tuple[frozenset[str], str], ...]:
    """Each card's silenced rules and reason, in the deck's card order."""
    from studyapp.core.decks import yaml_safe
    from studyapp.core.decks.yaml_fast import parse

    data: Any = parse(text)
    if data is None:
        data, _ = yaml_safe.parse(path, text)
    cards = data.get("cards") if isinstance(data, dict) else None
    found = []
    for item in cards if isinstance(cards, list) else []:
        setting = item.get("lint") if isinstance(item, dict) else None
        if isinstance(setting, dict):
            rules = setting.get("ignore") or []
            found.append((frozenset(map(str, rules)), str(setting.get("why", ""))))
        else:
            found.append((frozenset(), ""))
    found.extend([(frozenset(), "")] * (len(deck.cards) - len(found)))
    return tuple(found)


def _prompt(card: CardSpec) -> str:
    text = strip_cloze(card.cloze) if card.type is CardType.CLOZE else card.front
    return normalise(text).lower()


def _near_duplicates(inputs: Sequence[LintInput]) -> list[_Raw]:
    where = [
        (d, c, card)
        for d, item in enumerate(inputs)
        for c, card in enumerate(item.deck.cards)
    ]
    cards = [card for _, _, card in where]
    fronts = [_prompt(card) for card in cards]
    backs = [normalise(card.back).lower() for card in cards]
    facts = [
        f"{normalise(card.source.quote).lower() if card.source else ''} {back}"
        if back
        else ""
        for card, back in zip(cards, backs, strict=True)
    ]

    def same_back(first: int, second: int) -> bool:
        score = fuzz.token_sort_ratio(backs[first], backs[second])
        return bool(score >= NEAR_DUPLICATE)

    found: list[_Raw] = []
    for texts, label, confirm in (
        (fronts, "front", None),
        (facts, "quote and back", same_back),
    ):
        for first, second, score in _similar(texts, confirm):
            d, c, card = where[second]
            od, _, other = where[first]
            deck = "" if od == d else f" in deck '{inputs[od].deck.id}'"
            field = "cloze" if card.type is CardType.CLOZE else label.split()[-1]
            message = f"its {label} is {score}% like card '{other.id}'{deck}"
            found.append((d, c, (field,), "near-duplicate", message))
    return found


def _similar(
    texts: list[str], confirm: Callable[[int, int], bool] | None
) -> list[tuple[int, int, int]]:
    """Pairs (earlier, later, score): each text's closest earlier match, if close.

    Only texts sharing one of a text's three rarest words are compared: two
    texts 90% alike share nearly all their words, and this keeps a deck of
    many thousand cards from taking quadratic time.
    """
    keep = [i for i, t in enumerate(texts) if len(t.split()) >= MIN_FRONT_WORDS]
    words = [set(texts[i].split()) for i in keep]
    frequency = Counter(word for found in words for word in found)
    earlier: dict[str, list[int]] = defaultdict(list)
    pairs = []
    for later, found in enumerate(words):
        rare = sorted(found, key=lambda w: (frequency[w], w))[:RARE_WORDS]
        candidates = sorted({i for word in rare for i in earlier[word]})
        scored = [
            (fuzz.token_sort_ratio(texts[keep[later]], texts[keep[i]]), i)
            for i in candidates
        ]
        for score, i in sorted(scored, key=lambda p: (-p[0], p[1])):
            if score < NEAR_DUPLICATE:
                break
            if confirm is None or confirm(keep[i], keep[later]):
                pairs.append((keep[i], keep[later], round(score)))
                break
        for word in found:
            earlier[word].append(later)
    return pairs


def review_cards(card: CardSpec) -> int:
    """How many review cards a note yields."""
    if card.type is CardType.CLOZE:
        return len(cloze_numbers(card.cloze))
    return 2 if card.type is CardType.REVERSED else 1


def _repeated(
    inputs: Sequence[LintInput], texts: list[dict[str, Sentences]]
) -> list[_Raw]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    found: list[_Raw] = []
    for d, item in enumerate(inputs):
        for c, card in enumerate(item.deck.cards):
            source = texts[d].get(card.source.ref) if card.source else None
            if card.source is None or source is None:
                continue
            around = source.around(card.source.quote)
            over = []
            for sentence in around:
                key = (card.source.ref, sentence)
                counts[key] += review_cards(card)
                if counts[key] > REPEAT_LIMIT:
                    over.append((sentence, counts[key]))
            if over:
                sentence, count = over[0]
                found.append(
                    (
                        d,
                        c,
                        ("source", "quote"),
                        "fact-repeated",
                        f"'{sentence[:50]}…' is asked by {count} review cards so far "
                        f"(more than {REPEAT_LIMIT})",
                    )
                )
    return found
