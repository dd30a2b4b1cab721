"""QuoteIndex agrees with the plain definition of a quote match."""

from __future__ import annotations

import random
from pathlib import Path

from studyapp.core.decks.sources import QuoteIndex, normalise

TEXT = (
    Path(__file__).resolve().parents[3] / "resources/sources/pedersen-2019.txt"
).read_text(encoding="utf-8")


def matches(text: str, quote: str) -> bool:
    needle = normalise(quote)
    return bool(needle) and needle in normalise(text)


def quotes(rng: random.Random, count: int) -> list[str]:
    """Passages of the real text: as written, re-spaced, cut mid-space, altered."""
    found = []
    for _ in range(count):
        start = rng.randrange(len(TEXT) - 200)
        quote = TEXT[start : start + rng.randrange(1, 160)]
        match rng.randrange(5):
            case 0:  # whitespace changed: still a match
                quote = quote.replace(" ", "\n  ", 2)
            case 1:  # a word changed: no match (almost always)
                quote = quote.replace("e", "é", 1)
            case 2:
                quote = f"  {quote}\t"
        found.append(quote)
    return found


def test_in_reading_order_and_shuffled_it_agrees_with_the_definition() -> None:
    rng = random.Random(6)
    in_order = sorted(quotes(rng, 400), key=lambda q: TEXT.find(q.strip()))
    shuffled = quotes(rng, 400)
    for batch in (in_order, shuffled):
        index = QuoteIndex(TEXT)
        assert [q in index for q in batch] == [matches(TEXT, q) for q in batch]


def test_blank_quotes_and_texts_match_nothing() -> None:
    assert "" not in QuoteIndex(TEXT)
    assert " \n" not in QuoteIndex(TEXT)
    assert QuoteIndex(" \n\t").empty
    assert "muscle" not in QuoteIndex("")


def test_the_text_is_normalised_only_when_a_quote_needs_it() -> None:
    index = QuoteIndex(TEXT)
    first = normalise(TEXT)[1000:1100]
    assert TEXT.find(first) >= 0
    assert first in index
    assert index._text is None
    assert first.replace(" ", "\n", 1) in index
    assert index._text == normalise(TEXT)
