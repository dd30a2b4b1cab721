"""Typed answers graded on their key content, with the difference to show.

An answer such as "Their identity (motor neuron identity)." has several
acceptable forms: the whole, the whole without the aside in brackets, and
the aside itself. A typed answer matches a form when, after dropping case,
punctuation and articles, it is within a few typos of it; for short answers
(up to ``SHORT_WORDS`` words) the word order does not matter either.
Numbers must always agree exactly: "IL-8" is not "IL-6".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from studyapp.core.decks.richtext import to_plain_text

TYPO_EVERY = 6  # one typo forgiven per this many letters of the answer
SHORT_WORDS = 4  # up to this many words, any order will do
ARTICLES = frozenset({"a", "an", "the"})
_BRACKETED = re.compile(r"\(([^()]*)\)")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class TypedGrade:
    """How a typed answer compares with the expected one.

    ``closest`` is the accepted form nearest to what was typed; ``missing``
    are its words the answer lacks and ``extra`` the typed words it does not
    have (both as typed or written, in order), for showing the difference.
    """

    correct: bool
    typed: str
    closest: str
    missing: tuple[str, ...]
    extra: tuple[str, ...]


def answer_forms(expected: str) -> list[str]:
    """The acceptable forms of an answer: whole, without asides, each aside."""
    plain = to_plain_text(expected).strip()
    forms = [plain, _BRACKETED.sub(" ", plain)]
    forms += [m.group(1) for m in _BRACKETED.finditer(plain)]
    unique: list[str] = []
    for form in forms:
        form = " ".join(form.split()).strip(" .;:,")
        if form and form not in unique:
            unique.append(form)
    return unique


def words(text: str) -> list[str]:
    """The words that count: case folded, punctuation and articles dropped."""
    folded = unicodedata.normalize("NFKC", to_plain_text(text)).casefold()
    return [w for w in _WORD.findall(folded) if w not in ARTICLES]


def _matches(got: list[str], want: list[str]) -> bool:
    from rapidfuzz.distance import OSA  # on first use: 25 ms off the app's start

    if not got or not want:
        return False
    if sorted(_DIGITS.findall(" ".join(got))) != sorted(
        _DIGITS.findall(" ".join(want))
    ):
        return False
    allowed = len("".join(want)) // TYPO_EVERY
    pairs = [("".join(got), "".join(want))]
    if len(want) <= SHORT_WORDS:
        pairs.append(("".join(sorted(got)), "".join(sorted(want))))
    return any(OSA.distance(a, b, score_cutoff=allowed) <= allowed for a, b in pairs)


def grade_typed(typed: str, expected: str) -> TypedGrade:
    """Grade ``typed`` against ``expected`` on its key content.

    Returns:
        Whether it counts as right, and the words missing or extra against
        the closest acceptable form (empty when right).
    """
    got = words(typed)
    forms = answer_forms(expected)
    for form in forms:
        if _matches(got, words(form)):
            return TypedGrade(True, typed, form, (), ())
    closest = max(
        forms or [""],
        key=lambda f: difflib.SequenceMatcher(None, got, words(f)).ratio(),
    )
    want = words(closest)
    missing = tuple(w for w in want if w not in got)
    extra = tuple(w for w in got if w not in want)
    return TypedGrade(False, typed, closest, missing, extra)
