"""Read a review log CSV (py-fsrs's format) as LoggedReview values.

The header is ``card_id,review_rating,review_time,review_duration``; times
are ISO 8601 with a zone, durations milliseconds. The file is untrusted:
every bad row is reported with its line, and the file size is bounded.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

from studyapp.core.errors import DeckError, Problem
from studyapp.core.model import Rating
from studyapp.core.study.optimize import LoggedReview

MAX_BYTES = 200_000_000
_COLUMNS = ("card_id", "review_rating", "review_time", "review_duration")


def read_review_csv(path: Path) -> list[LoggedReview]:
    """Every review in the file, in file order.

    Raises:
        DeckError: Listing every bad row as file:line, or the file as a whole
            when it is too big, unreadable or lacks the header.
    """
    name = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DeckError([Problem(name, 1, 1, f"larger than {MAX_BYTES} bytes")])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DeckError(
            [Problem(name, 1, 1, f"cannot read the file: {error}")]
        ) from None
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    if tuple(h.strip() for h in header[: len(_COLUMNS)]) != _COLUMNS:
        raise DeckError(
            [Problem(name, 1, 1, f"the first line must be {','.join(_COLUMNS)}")]
        )
    reviews: list[LoggedReview] = []
    problems: list[Problem] = []
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        try:
            reviews.append(_review(row))
        except ValueError as error:
            problems.append(Problem(name, line, 1, f"{error}; fix or remove the row"))
            if len(problems) >= 100:
                break
    if problems:
        raise DeckError(problems)
    return reviews


def _review(row: list[str]) -> LoggedReview:
    if len(row) < len(_COLUMNS):
        raise ValueError(f"expected {len(_COLUMNS)} columns, found {len(row)}")
    card_id = int(row[0])
    rating = int(row[1])
    if not 1 <= rating <= 4:
        raise ValueError(f"rating {rating} is not 1-4")
    when = datetime.fromisoformat(row[2])
    if when.tzinfo is None:
        raise ValueError(f"time {row[2]!r} has no time zone")
    duration = int(float(row[3])) if row[3].strip() else 0
    return LoggedReview(card_id, Rating(rating), when.astimezone(UTC), max(0, duration))
