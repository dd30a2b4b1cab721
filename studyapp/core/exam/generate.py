"""Question generation from cards: multiple choice, true/false, typed, matching...

Every question is built from review cards and keeps the card's id, kind,
deck and source anchor, so a wrong answer can point back to its passage.
Generation is deterministic for a seed: cards are visited in a fixed order
and every random choice comes from one ``random.Random(seed)``.

Distractors (wrong options, swapped-in answers, matching columns) come from
*sibling* cards: same deck, same kind, same *role*. A role is what the
answer is: a term or a definition (the two faces of a reversed card), a
cloze deletion, or the shared suffix of the note ids (``-mediator``,
``-effect``, ``-which``, ``-what``, ...) when at least three notes of the
deck share it; other cards share the deck's generic role.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from studyapp.core.decks.richtext import to_plain_text
from studyapp.core.exam.questions import Question, QuestionType, normalise
from studyapp.core.model import Card, CardKind, CardType

DISTRACTORS = 3
TYPED_MAX_CHARS = 40  # longer answers are not asked as typed answers
TYPED_MAX_WORDS = 5
MATCH_SIZE = (4, 6)
MATCH_MAX_CHARS = 220
_MIN_ROLE_NOTES = 3
_CLOZE_ANSWER = re.compile(r"<b>(.*?)</b>", re.DOTALL)


def answer_text(card: Card) -> str:
    """The card's answer as plain text (the deleted words of a cloze card)."""
    if card.type is CardType.CLOZE:
        match = _CLOZE_ANSWER.search(card.back)
        return to_plain_text(match.group(1)) if match else ""
    return to_plain_text(card.back)


def prompt_text(card: Card) -> str:
    """The card's prompt as plain text."""
    return to_plain_text(card.front)


def roles(cards: Sequence[Card]) -> dict[int, str]:
    """Each card's role; siblings share deck, kind and role (module docstring)."""
    notes: dict[tuple[str, CardKind, str], set[str]] = defaultdict(set)
    for card in cards:
        notes[(card.deck_id, card.kind, _suffix(card.note_id))].add(card.note_id)
    result = {}
    for card in cards:
        if card.type is CardType.CLOZE:
            result[card.id] = "cloze"
        elif card.type is CardType.REVERSED:
            result[card.id] = "term" if card.ord == 1 else "definition"
        else:
            suffix = _suffix(card.note_id)
            shared = len(notes[(card.deck_id, card.kind, suffix)]) >= _MIN_ROLE_NOTES
            result[card.id] = suffix if suffix and shared else ""
    return result


def _suffix(note_id: str) -> str:
    return note_id.rsplit("-", 1)[1] if "-" in note_id else ""


class QuestionMaker:
    """Builds questions of every type over a fixed set of cards.

    Args:
        cards: Every card that may be asked about or used as a distractor.
        rng: The exam's random generator; the maker only draws from it.
    """

    def __init__(self, cards: Iterable[Card], rng: random.Random) -> None:
        self.cards = sorted(cards, key=lambda c: (c.deck_id, c.id))
        self.rng = rng
        self.role = roles(self.cards)
        self._answers = {c.id: answer_text(c) for c in self.cards}
        self._by_id = {c.id: c for c in self.cards}
        # Notes an exam has already asked about; matching leaves them out so
        # one question does not give away another's answer.
        self.avoid: set[tuple[str, str]] = set()
        self._groups: dict[tuple[str, CardKind, str], list[Card]] = defaultdict(list)
        for card in self.cards:
            self._groups[self._group_key(card)].append(card)

    def _group_key(self, card: Card) -> tuple[str, CardKind, str]:
        return (card.deck_id, card.kind, self.role[card.id])

    def card(self, card_id: int) -> Card:
        """One of the maker's cards by id."""
        return self._by_id[card_id]

    def answer(self, card: Card) -> str:
        """The card's answer as plain text."""
        return self._answers[card.id]

    def siblings(self, card: Card) -> list[Card]:
        """Cards whose answers can stand as wrong answers to ``card``.

        Same deck, kind and role; not the same note; not the same prompt
        (whose answer would be right too); no answer equal to, inside or
        containing the right one; one card per distinct answer. Cards about
        the same study are left out when they share a named role ("which
        study...") or both answers name the study (authors, journal, title
        or DOI): either would identify it.
        """
        right = normalise(self.answer(card))
        prompt = normalise(card.front)
        seen = {right}
        result = []
        for other in self._groups[self._group_key(card)]:
            wrong = normalise(self.answer(other))
            if (
                other.note_id == card.note_id
                or not wrong
                or wrong in seen
                or wrong in right
                or right in wrong
                or normalise(other.front) == prompt
                or (_same_study(card, other) and self._names_study(card, other))
            ):
                continue
            seen.add(wrong)
            result.append(other)
        return result

    def _names_study(self, card: Card, other: Card) -> bool:
        if self.role[card.id] != "":
            return True
        study = card.study
        assert study is not None  # only asked about cards of the same study
        marks = [study.journal, study.title, study.doi, study.authors.split(",")[0]]
        keys = [normalise(m) for m in marks if normalise(m)]
        answers = normalise(self.answer(card)), normalise(self.answer(other))
        return all(any(k in a for k in keys) for a in answers)

    def distractors(self, card: Card, count: int) -> list[str]:
        """``count`` wrong answers from siblings, preferring similar lengths."""
        length = len(self.answer(card))
        pool = sorted(
            self.siblings(card),
            key=lambda o: (abs(len(self.answer(o)) - length), self.rng.random()),
        )
        if len(pool) < count:
            return []
        chosen = self.rng.sample(pool[: count * 2], count)
        return [self.answer(o) for o in chosen]

    def _question(
        self,
        kind: QuestionType,
        card: Card,
        *,
        prompt: str,
        answer: str,
        options: tuple[str, ...] = (),
        items: tuple[str, ...] = (),
        key: tuple[int, ...] = (),
        card_ids: tuple[int, ...] = (),
    ) -> Question:
        return Question(
            type=kind,
            card_id=card.id,
            deck_id=card.deck_id,
            kind=card.kind,
            anchor=card.source,
            prompt=prompt,
            answer=answer,
            options=options,
            items=items,
            key=key,
            card_ids=card_ids or (card.id,),
        )

    def multiple_choice(self, card: Card) -> Question | None:
        """The prompt with the right answer among three siblings' answers."""
        if card.type is CardType.CLOZE:
            return None
        wrong = self.distractors(card, DISTRACTORS)
        if not wrong:
            return None
        options = [self.answer(card), *wrong]
        self.rng.shuffle(options)
        index = options.index(self.answer(card))
        return self._question(
            QuestionType.MULTIPLE_CHOICE,
            card,
            prompt=prompt_text(card),
            answer=self.answer(card),
            options=tuple(options),
            key=(index,),
        )

    def true_false(self, card: Card) -> Question | None:
        """The card's statement, or the same with a sibling's answer swapped in."""
        wrong = self.distractors(card, 1)
        if not wrong:
            return None
        is_true = self.rng.random() < 0.5
        shown = self.answer(card) if is_true else wrong[0]
        if card.type is CardType.CLOZE:
            statement = re.sub(r"\[[^\]]*\]", shown, prompt_text(card), count=1)
        else:
            statement = f"{prompt_text(card)}\n→ {shown}"
        return self._question(
            QuestionType.TRUE_FALSE,
            card,
            prompt=statement,
            answer="True" if is_true else f"False (it is: {self.answer(card)})",
            options=("True", "False"),
            key=(0 if is_true else 1,),
        )

    def typed(self, card: Card) -> Question | None:
        """Type the answer; only for short answers (a term, a name, a number)."""
        answer = self.answer(card)
        if card.type is CardType.CLOZE or not _is_short(answer):
            return None
        return self._question(
            QuestionType.TYPED, card, prompt=prompt_text(card), answer=answer
        )

    def cloze(self, card: Card) -> Question | None:
        """Type the words deleted from a cloze card's sentence."""
        answer = self.answer(card)
        if card.type is not CardType.CLOZE or not _is_short(answer):
            return None
        return self._question(
            QuestionType.CLOZE, card, prompt=prompt_text(card), answer=answer
        )

    def matching(self, card: Card) -> Question | None:
        """Match 4-6 sibling prompts (``card`` first) to their answers."""
        if len(self.answer(card)) > MATCH_MAX_CHARS:
            return None
        others = [
            o
            for o in self.siblings(card)
            if len(self.answer(o)) <= MATCH_MAX_CHARS
            and o.type is not CardType.CLOZE
            and (o.deck_id, o.note_id) not in self.avoid
        ]
        prompts = {normalise(card.front)}
        unique = []
        for other in others:
            if normalise(other.front) not in prompts:
                prompts.add(normalise(other.front))
                unique.append(other)
        low, high = MATCH_SIZE
        if card.type is CardType.CLOZE or len(unique) < low - 1:
            return None
        size = self.rng.randint(low, min(high, len(unique) + 1))
        chosen = [card, *self.rng.sample(unique, size - 1)]
        options = [self.answer(c) for c in chosen]
        self.rng.shuffle(options)
        key = tuple(options.index(self.answer(c)) for c in chosen)
        return self._question(
            QuestionType.MATCHING,
            card,
            prompt="Match each item to its answer.",
            answer=" | ".join(f"{prompt_text(c)} → {self.answer(c)}" for c in chosen),
            options=tuple(options),
            items=tuple(prompt_text(c) for c in chosen),
            key=key,
            card_ids=tuple(c.id for c in chosen),
        )

    def ordering(self, card: Card) -> Question | None:
        """Put a mechanism's steps back in order (asked on the chain's card)."""
        card = next(
            (
                c
                for c in self._groups[(card.deck_id, card.kind, "chain")]
                if c.steps == card.steps
            ),
            card,
        )
        steps = card.steps
        if len(steps) < 2 or len(set(steps)) != len(steps):
            return None
        options = list(steps)
        while options == list(steps):
            self.rng.shuffle(options)
        return self._question(
            QuestionType.ORDERING,
            card,
            prompt=(
                f"Put the steps in order. {prompt_text(card)}"
                if self.role[card.id] == "chain"
                else "Put the steps of this pathway in order."
            ),
            answer=" → ".join(steps),
            options=tuple(options),
            key=tuple(options.index(step) for step in steps),
        )

    def make(self, kind: QuestionType, card: Card) -> Question | None:
        """A question of type ``kind`` about ``card``, or None if it does not fit."""
        builders = {
            QuestionType.MULTIPLE_CHOICE: self.multiple_choice,
            QuestionType.TRUE_FALSE: self.true_false,
            QuestionType.TYPED: self.typed,
            QuestionType.MATCHING: self.matching,
            QuestionType.ORDERING: self.ordering,
            QuestionType.CLOZE: self.cloze,
        }
        return builders[kind](card)


def _is_short(answer: str) -> bool:
    return 0 < len(answer) <= TYPED_MAX_CHARS and len(answer.split()) <= TYPED_MAX_WORDS


def _same_study(a: Card, b: Card) -> bool:
    if a.study is None or b.study is None:
        return False
    return (a.study.authors, a.study.year, a.study.reference) == (
        b.study.authors,
        b.study.year,
        b.study.reference,
    )
