"""The deck linter's rules on one card at a time (minimum-information principle).

Each rule returns findings as ``(field, rule, message)``; ``field`` is the
card's key the warning points at (a step is ``("steps", index)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from studyapp.core.decks.cloze import (
    cloze_answers,
    cloze_front,
    cloze_numbers,
    strip_cloze,
)
from studyapp.core.decks.linttext import (
    Sentences,
    content_words,
    first_hedge,
    has_hedge,
    hedged_regions,
    keeps_hedge,
    list_items,
    sentence_count,
    shared_prefix,
    word_count,
)
from studyapp.core.model import CardSpec, CardType

Field = tuple[str | int, ...]
Finding = tuple[Field, str, str]

MAX_ITEMS = 3  # an answer may list up to 3 things
MAX_WORDS = 30  # a back longer than this is more than a sentence or two
MAX_SENTENCES = 2
MAX_STEP_WORDS = 25
MAX_STEPS = 6
GIVEAWAY_SHARE = 0.5  # of the back's content words standing in the front
SIBLING_PREFIX = 5  # 'neuro'toxic / 'neuro'protective
# Words a mechanism step may add to its quote's words.
STEP_GLUE = frozenset({"lead", "leads", "then", "hence", "thu", "step", "via"})

_TWO_QUESTIONS = re.compile(
    r",\s*(?:and|or)\s+(?:\w+\s+)?(?:what|which|where|when|why|how|who)\b"
    r"|\b(?:what|which|who|where|how|when)\b[^?]*?\band\s+"
    r"(?:what|which|where|when|why|how|who|whom)\b",
    re.IGNORECASE,
)
_DEMONSTRATIVE = re.compile(
    r"\b(?P<word>this|these|those|such|the above|the latter|the former)\b"
    r"(?:\s+(?P<noun>[\w-]+))?",
    re.IGNORECASE,
)
_LIST_CUT = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_GENERIC = re.compile(
    r"\b(?:this|these|those|such)\s+(?:specific\s+|particular\s+)?"
    r"(?:type|kind|form|sort|way|case|method|approach)s?\b",
    re.IGNORECASE,
)
_ALWAYS_CONTEXT = frozenset({"the above", "the latter", "the former"})


def check_card(card: CardSpec, source: Sentences | None) -> Iterator[Finding]:
    """Every finding of the single-card rules on one card."""
    if card.type is CardType.CLOZE:
        yield from _overloaded_cloze(card.cloze)
        yield from _cloze_guessable(card.cloze)
        yield from _needs_context(card.cloze, ("cloze",))
    else:
        yield from _overloaded_back(card)
        yield from _answer_in_question(card)
        yield from _two_questions(card.front)
        yield from _needs_context(card.front, ("front",))
        if _GENERIC.search(card.back):  # a back may say 'this protein' of the front's
            yield from _needs_context(card.back, ("back",), card.front)
    yield from _steps(card)
    if card.source is not None and source is not None:
        yield from _hedge_dropped(card, source)


def _overloaded_back(card: CardSpec) -> Iterator[Finding]:
    back = card.back
    if "→" in back:  # a chain: each step is an answer of its own
        for index, part in enumerate(back.split("→")):
            if list_items(part) > MAX_ITEMS:
                yield (("back",), "overloaded-answer", _items(part, index + 1))
            if word_count(part) > MAX_STEP_WORDS:
                yield (
                    ("back",),
                    "overloaded-answer",
                    f"step {index + 1} of the chain has {word_count(part)} words "
                    f"(more than {MAX_STEP_WORDS})",
                )
        return
    if list_items(back) > MAX_ITEMS:
        yield (("back",), "overloaded-answer", _items(back, 0))
    words, count = word_count(back), sentence_count(back)
    if words > MAX_WORDS or count > MAX_SENTENCES:
        yield (
            ("back",),
            "overloaded-answer",
            f"the answer has {words} words in {count} sentence(s) (more than "
            f"{MAX_WORDS} words or {MAX_SENTENCES} sentences)",
        )


def _items(text: str, step: int) -> str:
    where = f"step {step} of the chain" if step else "the answer"
    return f"{where} lists {list_items(text)} items (more than {MAX_ITEMS})"


def _overloaded_cloze(cloze: str) -> Iterator[Finding]:
    plain = strip_cloze(cloze)
    whole_list = list_items(plain)
    for number in cloze_numbers(cloze):
        answers = cloze_answers(cloze, number)
        joined = ", ".join(answers)
        if len(answers) > MAX_ITEMS or list_items(joined) > MAX_ITEMS:
            yield (
                ("cloze",),
                "overloaded-answer",
                f"deletion c{number} hides {max(len(answers), list_items(joined))} "
                f"items (more than {MAX_ITEMS})",
            )
        elif whole_list > MAX_ITEMS + 1 and any(
            _is_list_item(answer, plain) for answer in answers
        ):
            yield (
                ("cloze",),
                "overloaded-answer",
                f"deletion c{number} is one item of a {whole_list}-item list; a "
                "list is learned badly one item at a time",
            )


def _is_list_item(answer: str, plain: str) -> bool:
    """Whether a deletion is a single item standing in a list of the text."""
    if len(_LIST_CUT.split(answer)) > 1 or word_count(answer) > 4:
        return False
    item = re.escape(answer)
    return bool(re.search(rf"(?:,\s*|\band |\bor ){item}\b|\b{item}\s*,", plain))


def _answer_in_question(card: CardSpec) -> Iterator[Finding]:
    if "→" in card.back:
        return  # a chain's front names its ends by design
    back = set(content_words(card.back))
    front = set(content_words(card.front))
    shared = back & front
    if len(shared) >= 2 and len(shared) >= GIVEAWAY_SHARE * len(back):
        yield (
            ("front",),
            "answer-in-question",
            f"{len(shared)} of the answer's {len(back)} content words stand in the "
            f"question ({', '.join(sorted(shared))})",
        )
    if card.type is CardType.REVERSED and front:
        given = {w for w in front if any(_same(w, b) for b in back)}
        if given == front:  # 'exercise' in the back of 'Aerobic exercise' is fine
            yield (
                ("back",),
                "answer-in-question",
                "the back names the term it defines, so the reversed card "
                f"answers itself ({', '.join(sorted(given))})",
            )


def _same(first: str, second: str) -> bool:
    if first == second:
        return True
    return shared_prefix(first, second) >= max(5, min(len(first), len(second)) - 2)


def _two_questions(front: str) -> Iterator[Finding]:
    if front.count("?") > 1:
        yield (("front",), "two-questions", "the front asks more than one question")
    elif _TWO_QUESTIONS.search(front):
        found = _TWO_QUESTIONS.search(front)
        assert found is not None
        yield (
            ("front",),
            "two-questions",
            f"the front joins two questions ('{found.group(0).strip(', ')}…')",
        )


def _needs_context(text: str, field: Field, context: str = "") -> Iterator[Finding]:
    plain = strip_cloze(text)
    for match in _DEMONSTRATIVE.finditer(plain):
        word = match.group("word").lower()
        noun = (match.group("noun") or "").lower()
        before = (
            f"{context}. {plain[: match.start()]}"
            if context
            else plain[: match.start()]
        )
        if word in _ALWAYS_CONTEXT:
            yield (field, "needs-context", f"'{match.group(0)}' refers to nothing")
            return
        known = set(content_words(before))
        stems = content_words(noun)
        if (
            stems
            and not (set(stems) & known)
            and not _pronoun_use(plain[: match.start()])
        ):
            yield (
                field,
                "needs-context",
                f"'{match.group(0)}' refers to nothing said before it",
            )
            return
        if not stems and not before.strip(" .?"):
            yield (field, "needs-context", f"'{match.group(0)}' opens the front")
            return


def _pronoun_use(before: str) -> bool:
    """Whether an earlier sentence in the text gives the reference."""
    return bool(re.search(r"[.;:]\s", before))


def _cloze_guessable(cloze: str) -> Iterator[Finding]:
    numbers = cloze_numbers(cloze)
    words = {
        n: set(content_words(" ".join(cloze_answers(cloze, n)), 4)) for n in numbers
    }
    for number in numbers:
        visible = set(content_words(cloze_front(cloze, number), 4))
        given = sorted(words[number] & visible)
        if given:
            yield (
                ("cloze",),
                "cloze-guessable",
                f"deletion c{number} ({', '.join(given)}) stands elsewhere in the text",
            )
    for first in numbers:
        for second in numbers:
            if second <= first:
                continue
            pairs = [
                (a, b)
                for a in words[first]
                for b in words[second]
                if a != b and shared_prefix(a, b) >= SIBLING_PREFIX
            ]
            if pairs:
                a, b = pairs[0]
                yield (
                    ("cloze",),
                    "cloze-siblings",
                    f"deletions c{first} ('{a}…') and c{second} ('{b}…') share "
                    "a stem, so each gives the other away",
                )


def _steps(card: CardSpec) -> Iterator[Finding]:
    if not card.steps:
        return
    if len(card.steps) > MAX_STEPS:
        yield (
            ("steps",),
            "overloaded-answer",
            f"the chain has {len(card.steps)} steps (more than {MAX_STEPS})",
        )
    if card.source is None or not _shows_chain(card):
        return
    for index, step in enumerate(card.steps):
        if len(content_words(step)) <= 1:
            yield (
                ("steps", index),
                "filler-step",
                f"step {index + 1} ('{step}') names a thing, not what happens",
            )
    quote = content_words(card.source.quote)
    quote += content_words(card.source.quote.replace("-", " "))  # 'exercise-induced'
    for index, step in enumerate(card.steps):
        missing = sorted(
            {
                word
                for word in content_words(step)
                if word not in STEP_GLUE and not any(_same(word, q) for q in quote)
            }
        )
        if missing:
            yield (
                ("steps", index),
                "step-unsupported",
                f"step {index + 1} says what the quote does not ({', '.join(missing)})",
            )


def _shows_chain(card: CardSpec) -> bool:
    """Whether the card asks for the whole chain (its back is the chain)."""
    if "→" in card.back:
        return True
    back = set(content_words(card.back))
    steps = set(content_words(" ".join(card.steps)))
    return bool(steps) and len(back & steps) >= 0.6 * len(steps)


def _hedge_dropped(card: CardSpec, source: Sentences) -> Iterator[Finding]:
    assert card.source is not None
    around = source.around(card.source.quote)
    if not any(has_hedge(s) for s in around):
        return
    steps = card.steps if _shows_chain(card) else ()
    text = " ".join((card.front, card.back, strip_cloze(card.cloze), *steps))
    if keeps_hedge(text):
        return
    said = set(content_words(text))
    for sentence in around:
        for region in hedged_regions(sentence):
            rest = sentence.replace(region, " ")
            only_hedged = set(content_words(region)) - set(content_words(rest))
            claimed = sorted(said & only_hedged)
            if len(claimed) >= 2:
                field: Field = ("cloze",) if card.cloze else ("front",)
                yield (
                    field,
                    "hedge-dropped",
                    f"the source hedges this ('{_hedge_word(sentence)}') and the card "
                    f"states it as fact ({', '.join(claimed[:4])})",
                )
                return


def _hedge_word(region: str) -> str:
    return first_hedge(region) or "hedge"
