"""Anki packages made by Anki's own library (``anki``, the bench extra), for tests.

Builds a collection like a learner's: nested decks, Basic / reversed / Cloze
notes, an image and a sound, answers given through Anki's scheduler with
FSRS on, plus review rows spread over months (written into the revlog the
way Anki writes them, with the card moved to the review queue), a reset
("Forget"), a "set due date" row, and suspended, buried and flagged cards.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

anki_collection = pytest.importorskip("anki.collection")

# A valid 2x2 red PNG (the one in the shared packages has a bad IDAT checksum).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d494844520000000200000002080600000072b60d24000000"
    "1149444154789c63f8cfc0f01f8419600c0047ca07f967596eb70000000049454e44ae426082"
)
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x0a" + bytes(16) + b"\xff\xfb\x90\x00" + bytes(64)
DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class MadePackage:
    """A package and what went into it."""

    path: Path
    notes: int
    cards: int
    revlog: list[tuple[Any, ...]]  # (id, cid, ease, time, type, factor), by id
    suspended: int
    buried: int
    flagged: int
    deck_names: tuple[str, ...]
    image: bytes
    sound: bytes
    memory: dict[int, tuple[float, float]]  # Anki card id -> FSRS (s, d) stored


def make_package(
    folder: Path, *, seed: int = 7, notes: int = 40, legacy: bool = False
) -> MadePackage:
    """Write ``folder/made.apkg`` (with scheduling and media) and describe it."""
    from anki.collection import ExportAnkiPackageOptions
    from anki.decks import DeckId
    from anki.scheduler.v3 import CardAnswer

    rng = random.Random(seed)
    col = anki_collection.Collection(str(Path(tempfile.mkdtemp()) / "c.anki2"))
    try:
        col.set_config("fsrs", True)
        names = ("Lang::Verbs::Irregular", "Lang::Nouns", "Other")
        deck_ids = [col.decks.id(name) for name in names]
        for deck_id in deck_ids:
            conf = col.decks.config_dict_for_deck_id(DeckId(deck_id))
            conf["new"]["perDay"] = 9999
            col.decks.save(conf)
        media_dir = Path(tempfile.mkdtemp())
        (media_dir / "pic.png").write_bytes(PNG)
        (media_dir / "say.mp3").write_bytes(MP3)
        image = col.media.add_file(str(media_dir / "pic.png"))
        sound = col.media.add_file(str(media_dir / "say.mp3"))
        models = [
            col.models.by_name(n)
            for n in ("Basic", "Basic (and reversed card)", "Cloze")
        ]
        for i in range(notes):
            model = models[i % 3]
            note = col.new_note(model)
            if model["name"] == "Cloze":
                note["Text"] = (
                    f"Word {i} means {{{{c1::meaning {i}}}}} and {{{{c2::use {i}}}}}."
                )
            else:
                note["Front"] = f"Front {i}"
                note["Back"] = f"Back {i}" + (f' <img src="{image}">' if i == 1 else "")
                if i == 4:
                    note["Back"] += f" [sound:{sound}]"
            col.add_note(note, DeckId(deck_ids[i % len(deck_ids)]))
        for deck_id in deck_ids:  # answer some cards through Anki's scheduler
            col.decks.select(DeckId(deck_id))
            for _ in range(notes // 2):
                queued = col.sched.get_queued_cards().cards
                if not queued:
                    break
                card = col.get_card(queued[0].card.id)
                card.start_timer()
                rating = rng.choice(
                    [
                        CardAnswer.AGAIN,
                        CardAnswer.GOOD,
                        CardAnswer.GOOD,
                        CardAnswer.EASY,
                    ]
                )
                col.sched.answer_card(
                    col.sched.build_answer(
                        card=card, states=queued[0].states, rating=rating
                    )
                )
        card_ids = list(col.find_cards(""))
        _add_long_history(col, card_ids[-6:], rng)
        col.sched.suspend_cards(card_ids[:3])
        col.sched.bury_cards(card_ids[3:5])
        col.set_user_flag_for_cards(2, card_ids[5:9])
        path = folder / ("made-legacy.apkg" if legacy else "made.apkg")
        col.export_anki_package(
            out_path=str(path),
            options=ExportAnkiPackageOptions(
                with_scheduling=True,
                with_deck_configs=True,
                with_media=True,
                legacy=legacy,
            ),
            limit=None,
        )
        revlog = col.db.all(
            "SELECT id, cid, ease, time, type, factor FROM revlog ORDER BY id"
        )
        memory = {
            int(cid): (float(d["s"]), float(d["d"]))
            for cid, data in col.db.all("SELECT id, data FROM cards")
            if (d := json.loads(data or "{}")) and "s" in d
        }
        return MadePackage(
            path=path,
            notes=notes,
            cards=col.card_count(),
            revlog=[tuple(row) for row in revlog],
            suspended=3,
            buried=2,
            flagged=4,
            deck_names=names,
            image=PNG,
            sound=MP3,
            memory=memory,
        )
    finally:
        col.close()


def _add_long_history(col: Any, card_ids: list[int], rng: random.Random) -> None:
    """Months of answers on a few cards, a reset on one and a due-date row on another.

    Written as Anki writes revlog rows (ids are milliseconds; type 0 learn,
    1 review, 4 manual with factor 0 for "Forget", 5 rescheduled for "set
    due date"); the cards are put in the review queue as Anki would leave them.
    """
    # Anki refuses to export revlog rows from the future: start 400 days ago,
    # and keep intervals to at most 60 days (8 answers: under 300 days).
    start = int(time.time() * 1000) - 400 * DAY_MS
    for index, card_id in enumerate(card_ids):
        col.db.execute("DELETE FROM revlog WHERE cid = ?", card_id)
        at, interval = start + index * 1000, 1
        rows = [(at, card_id, 3, 1, 0, 0, 8000, 0)]  # learn: Good
        for _ in range(8):
            at += interval * DAY_MS + rng.randint(0, 3_600_000)
            ease = rng.choice([1, 3, 3, 3, 4])
            rows.append(
                (
                    at,
                    card_id,
                    ease,
                    interval,
                    interval,
                    2500,
                    rng.randint(2000, 20000),
                    1,
                )
            )
            interval = 1 if ease == 1 else min(interval * 3, 60)
        if index == 0:  # Forget, then learned again
            at += DAY_MS
            rows.append((at, card_id, 0, 0, interval, 0, 0, 4))
            at += 60_000
            rows.append((at, card_id, 3, 1, 0, 0, 5000, 0))
        if index == 1:  # set due date: not an answer
            at += DAY_MS
            rows.append((at, card_id, 0, 5, interval, 2500, 0, 5))
        for row in rows:
            col.db.execute(
                "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, "
                "type) VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
                *row,
            )
        col.db.execute(
            "UPDATE cards SET type = 2, queue = 2, ivl = ?, due = 0, data = '' "
            "WHERE id = ?",
            interval,
            card_id,
        )
