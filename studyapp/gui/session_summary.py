"""The end-of-session summary: what was answered and what comes back when."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from studyapp.core.model import Rating
from studyapp.core.study.overview import Overview


def wait_text(seconds: float) -> str:
    """A wait in words: "8 min", "2 h 10 min"."""
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def summary_html(
    answers: list[Rating],
    spent_ms: int,
    later: int,
    upcoming: Overview | None = None,
    now: datetime | None = None,
) -> str:
    """The end-of-session text: answers by rating, time, what comes back when."""
    if not answers:
        lines = ["<h2>Nothing to study here right now</h2>"]
    else:
        tally = Counter(answers)
        parts = " · ".join(f"{tally[r]} {r.name.title()}" for r in Rating)
        lines = [
            "<h2>That is all for now</h2>",
            f"<p>You answered {len(answers)} card(s) in "
            f"{_minutes(spent_ms)}: {parts}.</p>",
        ]
    coming = []
    if upcoming is not None and now is not None and upcoming.next_learning_at:
        wait = wait_text((upcoming.next_learning_at - now).total_seconds())
        count = upcoming.learning_later
        coming.append(f"{count} learning card{'s' * (count != 1)} in {wait}")
    elif later:
        coming.append(f"{later} card(s) in learning come back later today")
    if upcoming is not None and upcoming.reviews_tomorrow:
        count = upcoming.reviews_tomorrow
        coming.append(f"{count} review{'s' * (count != 1)} tomorrow")
    if coming:
        lines.append(f"<p><b>Next:</b> {'; '.join(coming)}.</p>")
    if upcoming is not None and upcoming.next_learning_at:
        lines.append("<p>Study resumes here by itself when they fall due.</p>")
    if answers:
        lines.append("<p>Ctrl+Z takes back the last answer.</p>")
    lines.append("<p>Esc goes back to the decks.</p>")
    return "".join(lines)


def _minutes(spent_ms: int) -> str:
    return "under a minute" if spent_ms < 60_000 else f"{spent_ms / 60_000:.0f} min"
