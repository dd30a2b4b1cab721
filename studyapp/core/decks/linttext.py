"""Words, hedges, lists and sentences: the text helpers of the deck linter."""
# ruff: noqa: RUF001

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from itertools import accumulate

from studyapp.core.decks.sources import normalise

# The rule names, each with the one-line fix a warning carries.
RULES: dict[str, str] = {
    "overloaded-answer": "ask for one thing: split the list or the long answer "
    "into several cards",
    "answer-in-question": "take the answer's words out of the question, or ask "
    "for the part the question does not say",
    "two-questions": "ask one question per card: split it in two",
    "hedge-dropped": "keep the source's hedge (may, might, suggests, evidence "
    "is accumulating…) in the front or the back",
    "cloze-guessable": "delete a word that stands nowhere else in the text, or "
    "reword the rest",
    "cloze-siblings": "put the two deletions on one number or in separate notes, "
    "so one does not answer the other",
    "near-duplicate": "merge the two cards or make them ask different things",
    "fact-repeated": "ask this sentence fewer times: retire or merge cards",
    "step-unsupported": "keep each step to what the card's quote says, or quote "
    "the passage that says it",
    "filler-step": "drop the step or state what happens at it",
    "needs-context": "name what 'this' or 'the above' refers to in the front",
}

_STOP = """
    a about above after again against all also am an and any are as at be
    because been before being below between both but by can could did do does
    doing down during each few for from further had has have having he her here
    hers him his how i if in into is it its itself just me more most my no nor
    not now of off on once only or other our out over own same she should so
    some such than that the their them then there these they this those through
    to too under until up very was we were what when where which while who whom
    why will with would you your one two three four five six many much via per
    et al find found show showed shown study studies reference whose might may
    must shall
"""
STOPWORDS = frozenset(_STOP.split())

# Hedges a source may put on a claim; "that"-framings hedge what follows them.
_HEDGE_TERMS = (
    r"may|might|could|can|suggest(?:s|ed|ing)?|implicated|evidence is accumulating|"
    r"(?:is|are) thought to|limited evidence|possibl[ey]|potential(?:ly)?|likely|"
    r"appears? to|seems? to|putative|hypothes\w+|propos\w+|unclear"
)
_HEDGE = re.compile(rf"\b(?:{_HEDGE_TERMS})\b(?! be defined)", re.IGNORECASE)
_FRAMING = re.compile(
    r"\b(?:suggest(?:s|ed)? that|evidence is accumulating that|(?:is|are) "
    r"thought to|it is possible that|(?:are|is) implicated in)\b",
    re.IGNORECASE,
)
# What a card may say instead to keep a claim hedged or attributed.
_CARD_HEDGE = re.compile(
    rf"\b(?:{_HEDGE_TERMS}|according to|reported|evidence|thought|proposed|"
    r"associated|contribut\w*|in mice|in rats|title)\b",
    re.IGNORECASE,
)
_CLAUSE_CUT = re.compile(
    r",\s+(?:and|but|which|thereby|thus|whereas)\s+"
    r"|,\s+(?=(?:\S+\s+){0,5}which\b)"  # ', the product of which might…'
    r"|;\s+|\s+and\s+(?=(?:might|may|could|can)\b)"
    r"|\s+(?:but|whereas)\s+|,?\s+(?:says|said)\s+"
)
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z“‘\"(])")
_LAST_WORD = re.compile(r"(\S+)$")
_WORD = re.compile(r"[\w’'-]+")
_PARENS = re.compile(r"\([^()]*\)")


@cache
def stem(word: str) -> str:
    """A crude stem: lower case, common English endings cut (kept ≥ 4 letters)."""
    word = word.lower().strip("’'-")
    for ending in ("ing", "es", "ed", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def content_words(text: str, min_len: int = 3) -> list[str]:
    """The stems of the words that carry meaning (not stopwords, not numbers)."""
    found = []
    for raw in _WORD.findall(text.lower()):
        word = raw.strip("’'-")
        if len(word) < min_len or word in STOPWORDS or word.isdigit():
            continue
        found.append(stem(word))
    return found


def has_hedge(text: str) -> bool:
    """Whether a source passage hedges (may, might, suggests, implicated…)."""
    return bool(_HEDGE.search(text))


def first_hedge(text: str) -> str:
    """The first hedge in ``text``, or ''."""
    match = _HEDGE.search(text)
    return match.group(0) if match else ""


def keeps_hedge(text: str) -> bool:
    """Whether a card's text hedges or attributes its claim."""
    return bool(_CARD_HEDGE.search(text))


def hedged_regions(sentence: str) -> list[str]:
    """The parts of a sentence a hedge applies to."""
    regions = []
    framing = _FRAMING.search(sentence)
    if framing:
        start = framing.start() if "implicated" in framing.group(0) else framing.end()
        regions.append(sentence[start:] if start else sentence)
        if "implicated" in framing.group(0):
            regions.append(sentence)
    for clause in _CLAUSE_CUT.split(sentence):
        if has_hedge(clause):
            regions.append(clause)
    return regions


def split_sentences(text: str) -> list[str]:
    """Split one paragraph into sentences; 'et al.' and 'Proc.' do not end one."""
    found, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        last = _LAST_WORD.search(text[start : end.start()])
        word = last.group(1) if last else ""
        if (
            text[end.start()] == "."
            and not (
                (word.isalpha() and word.islower() and len(word) > 2)
                or (word.isalpha() and word.isupper() and len(word) > 1)  # 'ALS.'
                or word[-1:].isdigit()
                or word[-1:] in ")’”%"
            )
        ):
            continue
        found.append(text[start : end.start() + 1])
        start = end.end()
    found.append(text[start:])
    return [s for s in found if s.strip()]


def sentences(text: str) -> list[str]:
    """Split text into normalised sentences (lines count as boundaries)."""
    found = []
    for line in text.splitlines():
        found.extend(split_sentences(normalise(line)))
    return found


class Sentences:
    """A source's sentences, and which of them a quote overlaps."""

    def __init__(self, text: str) -> None:
        self.items = sentences(text)
        self._joined = " ".join(self.items)  # as quotes see it: whitespace-normalised
        self._starts = list(accumulate((len(s) + 1 for s in self.items), initial=0))
        self._seen: dict[str, list[str]] = {}

    def around(self, quote: str) -> list[str]:
        """The sentences a quote overlaps (a cut quote gets its whole sentence)."""
        quote = normalise(quote)
        if not quote:
            return []
        if quote not in self._seen:
            found = self._spans(quote)
            if not found:  # the quote bridges text the splitter cut differently
                found = self._spans(quote[:40]) + self._spans(quote[-40:])
            self._seen[quote] = [self.items[i] for i in sorted(set(found))]
        return self._seen[quote]

    def _spans(self, part: str) -> list[int]:
        found: list[int] = []
        start = self._joined.find(part)
        while start != -1 and len(found) < 1000:
            first = bisect_right(self._starts, start) - 1
            last = bisect_right(self._starts, start + len(part) - 1) - 1
            found.extend(range(first, last + 1))
            start = self._joined.find(part, start + 1)
        return found


def list_items(text: str) -> int:
    """The length of the longest enumeration in ``text`` (e.g. 'a, b, c and d')."""
    text = _PARENS.sub("", text)
    longest = 0
    for clause in re.split(r"[;:?!→]|\.(?:\s|$)", text):
        pieces = re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", clause)
        if len(pieces) < 3:
            continue
        run = 0
        for piece in pieces:
            size = len(piece.split())
            run = run + 1 if 1 <= size <= 4 else 0
            longest = max(longest, run)
    return longest


def word_count(text: str) -> int:
    """Words in ``text``."""
    return len(_WORD.findall(text))


def sentence_count(text: str) -> int:
    """Sentences in ``text`` (at least 1 for non-empty text)."""
    return len(split_sentences(normalise(text)))


def shared_prefix(first: str, second: str) -> int:
    """Length of the common prefix of two words."""
    size = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        size += 1
    return size
