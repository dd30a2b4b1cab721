"""Deterministic synthetic decks for the benchmarks.

One set of notes, written twice: as a StudyApp YAML deck (with one source and its
generated text, every card anchored by a verbatim quote) and as an Anki text-import
file (TSV with header lines) of the same notes. Everything comes from a seeded
random generator, so the same ``(n, seed)`` always gives the same bytes.

The YAML is emitted as text (strings quoted with ``json.dumps``, which is valid
YAML) because ``yaml.dump`` is far too slow for 100,000 cards.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

SEED = 20261123
CARDS_PER_SECTION = 100
#: Daily limits used on both sides (Anki deck options and the YAML deck settings);
#: 9999 is the largest value Anki accepts.
NEW_PER_DAY = 9999
REVIEWS_PER_DAY = 9999
#: How many cards are made due for the review benchmarks (capped at the deck size).
DUE_CARDS = 10_000
ANKI_NOTETYPE = "Bench (source)"
ANKI_FIELDS = ("Front", "Back", "Source")
ANKI_DECK = "Bench"

_ONSETS = "b c d f g h k l m n p r s t v z br cr dr fl gr pl pr st tr ch sh th"
_VOWELS = "a e i o u ai ea ou io"
_CODAS = ["", "", "n", "r", "s", "l", "m", "x", "nd", "st"]


@dataclass(frozen=True, slots=True)
class Note:
    """One synthetic note, shared by both outputs."""

    id: str
    front: str
    back: str
    tags: tuple[str, ...]
    section: str
    quote: str


@dataclass(frozen=True, slots=True)
class Dataset:
    """Paths of one generated data set."""

    n: int
    deck_id: str
    yaml_path: Path
    source_path: Path
    tsv_path: Path


def word_list(rng: random.Random, size: int = 2000) -> list[str]:
    """Pronounceable pseudo-words (deterministic for a given generator state)."""
    onsets, vowels = _ONSETS.split(), _VOWELS.split()
    words: set[str] = set()
    while len(words) < size:
        syllables = rng.randint(1, 3)
        w = "".join(
            rng.choice(onsets) + rng.choice(vowels) + rng.choice(_CODAS)
            for _ in range(syllables)
        )
        words.add(w)
    return sorted(words)


def _text(rng: random.Random, words: list[str], lo: int, hi: int, prefix: str) -> str:
    """A run of words whose length lies in [lo, hi] characters."""
    target = rng.randint(lo, hi)
    parts = [prefix]
    length = len(prefix)
    while length < target:
        w = rng.choice(words)
        if length + 1 + len(w) > hi:
            break
        parts.append(w)
        length += 1 + len(w)
    while length < lo:  # top up with short words
        parts.append("and")
        length += 4
    return " ".join(parts)


def make_notes(n: int, seed: int = SEED) -> list[Note]:
    """N notes with front/back of 60-200 characters and a quote from the back."""
    rng = random.Random(f"{seed}:{n}")
    words = word_list(rng)
    notes = []
    for i in range(n):
        front = _text(rng, words, 59, 199, f"Q{i}: what does") + "?"
        back = _text(rng, words, 59, 199, f"A{i}:") + "."
        # The quote is a stretch of the back (it starts with the unique "A{i}:"
        # token so it is unique in the source text).
        tokens = back.rstrip(".").split(" ")
        quote = " ".join(tokens[: min(len(tokens), rng.randint(4, 8))])
        tags = ("bench", f"group{i % 50}")
        section = f"Section {i // CARDS_PER_SECTION + 1}"
        notes.append(Note(f"c{i:06d}", front, back, tags, section, quote))
    return notes


def source_text(notes: list[Note]) -> str:
    """The generated source document: sections with the backs as sentences."""
    out: list[str] = ["Synthetic source for benchmarks", ""]
    section = None
    for note in notes:
        if note.section != section:
            section = note.section
            out += ["", section, ""]
        out.append(note.back)
    out.append("")
    return "\n".join(out)


def yaml_text(notes: list[Note], deck_id: str, source_file: str) -> str:
    """The deck file in StudyApp's format, emitted directly as text."""
    q = json.dumps
    lines = [
        "deck:",
        f"  id: {deck_id}",
        f"  title: {q(f'Benchmark deck ({len(notes)} cards)')}",
        "  kind: basic",
        "  settings:",
        f"    new_per_day: {NEW_PER_DAY}",
        f"    reviews_per_day: {REVIEWS_PER_DAY}",
        "sources:",
        "  - id: synth",
        "    title: Synthetic source",
        f"    text: {q(source_file)}",
        "cards:",
    ]
    append = lines.append
    for note in notes:
        append(f"  - id: {note.id}")
        append(f"    front: {q(note.front, ensure_ascii=False)}")
        append(f"    back: {q(note.back, ensure_ascii=False)}")
        append(f"    tags: [{', '.join(note.tags)}]")
        append(
            f"    source: {{ref: synth, section: {q(note.section)}, "
            f"quote: {q(note.quote, ensure_ascii=False)}}}"
        )
    lines.append("")
    return "\n".join(lines)


def anki_source_field(note: Note) -> str:
    """The anchor as one Anki field (Anki has no structured source)."""
    return f"synth / {note.section} / {note.quote}"


def tsv_text(notes: list[Note]) -> str:
    """Anki text-import file: header lines, then Front, Back, Source, Tags."""
    lines = [
        "#separator:tab",
        "#html:false",
        f"#notetype:{ANKI_NOTETYPE}",
        f"#deck:{ANKI_DECK}",
        "#tags column:4",
    ]
    append = lines.append
    for note in notes:
        # The generator never makes tabs, newlines or double quotes.
        fields = (note.front, note.back, anki_source_field(note), " ".join(note.tags))
        append("\t".join(fields))
    lines.append("")
    return "\n".join(lines)


def build(n: int, out_dir: Path, seed: int = SEED) -> Dataset:
    """Write the deck, its source text and the TSV for N cards into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    notes = make_notes(n, seed)
    deck_id = f"bench-{n}"
    source_path = out_dir / f"{deck_id}-source.txt"
    yaml_path = out_dir / f"{deck_id}.yaml"
    tsv_path = out_dir / f"{deck_id}.tsv"
    source_path.write_text(source_text(notes), encoding="utf-8")
    yaml_path.write_text(yaml_text(notes, deck_id, source_path.name), encoding="utf-8")
    tsv_path.write_text(tsv_text(notes), encoding="utf-8")
    return Dataset(n, deck_id, yaml_path, source_path, tsv_path)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args()
    print(build(a.n, a.out_dir, a.seed))
