"""The card browser's side panel: a card's fields, source passage and history."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QWidget

from studyapp.core.clock import from_ms
from studyapp.core.model import Card, Rating, State
from studyapp.core.query import CardRow, HistoryRow
from studyapp.gui.card_table import marks_text
from studyapp.words import format_interval


def info_html(
    card: Card,
    row: CardRow | None,
    passage: tuple[str, str, str] | None,
    history: list[HistoryRow],
) -> str:
    """The panel's text for one card."""
    esc = html.escape
    parts = [
        f"<h3>{esc(card.deck_id)} · {esc(card.note_id)}"
        f"{f' #{card.ord}' if card.ord else ''}</h3>",
        f"<p><b>Front</b><br>{esc(card.front)}</p>",
        f"<p><b>Back</b><br>{esc(card.back)}</p>",
    ]
    if card.steps:
        items = "".join(f"<li>{esc(step)}</li>" for step in card.steps)
        parts.append(f"<p><b>Steps</b></p><ol>{items}</ol>")
    details = [f"{card.kind.value.replace('_', ' ')}, {card.type.value}"]
    if card.tags:
        details.append("tags: " + ", ".join(card.tags))
    if row is not None and (marks := marks_text(row)):
        details.append(marks)
    parts.append(f"<p>{esc(' · '.join(details))}</p>")
    if card.source is not None:
        parts.append(
            f"<p><b>Source</b> {esc(card.source.ref)}, "
            f"section “{esc(card.source.section)}”</p>"
        )
        if passage is None:
            parts.append("<p><i>The quote was not found in the source text.</i></p>")
        else:
            before, quote, after = passage
            parts.append(
                f"<p>…{esc(before)}<b><u>{esc(quote)}</u></b>{esc(after)}…</p>"
            )
    parts.append(history_html(history))
    return "".join(parts)


def history_html(history: list[HistoryRow]) -> str:
    """The answers as a table: when, rating, interval, stability, difficulty."""
    if not history:
        return "<p><b>History</b><br>Not answered yet.</p>"
    rows = []
    for entry in history:
        when = from_ms(entry.reviewed_at_ms).astimezone()
        interval = format_interval((entry.due_ms - entry.reviewed_at_ms) / 1000)
        stability = "" if entry.stability is None else f"{entry.stability:.2f}"
        difficulty = "" if entry.difficulty is None else f"{entry.difficulty:.2f}"
        rows.append(
            f"<tr><td>{when:%Y-%m-%d %H:%M}</td>"
            f"<td>{Rating(entry.rating).name.title()}</td>"
            f"<td>{State(entry.state_before).name.lower()}</td>"
            f"<td>{interval}</td><td>{stability}</td><td>{difficulty}</td></tr>"
        )
    head = (
        "<tr><th>When</th><th>Rating</th><th>Was</th><th>Next in</th>"
        "<th>Stability</th><th>Difficulty</th></tr>"
    )
    return (
        "<p><b>History</b></p><table cellspacing='0' cellpadding='3'>"
        f"{head}{''.join(rows)}</table>"
    )


class CardInfoPanel(QTextBrowser):
    """Read-only card info; never follows links or loads resources."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Card info")
        self.setMinimumWidth(280)

    def show_info(self, text: str) -> None:
        """Show a card's info (HTML from ``info_html``)."""
        self.setHtml(text)
