"""The exam screen's texts: choices, times and the answers to go over."""

from __future__ import annotations

import html
from datetime import timedelta

from studyapp.core.exam.questions import LETTERS, Question, QuestionType
from studyapp.core.exam.session import ExamResult
from studyapp.gui.labels import section_title


def choices_text(question: Question) -> str:
    """The options of a question as text, as its keys name them."""
    kind = question.type
    if kind is QuestionType.MULTIPLE_CHOICE:
        return "\n".join(f"{LETTERS[i]})  {o}" for i, o in enumerate(question.options))
    if kind is QuestionType.TRUE_FALSE:
        return "T) True\nF) False"
    if kind is QuestionType.MATCHING:
        items = [f"{i}. {item}" for i, item in enumerate(question.items, 1)]
        options = [f"{LETTERS[i]})  {o}" for i, o in enumerate(question.options)]
        return "\n".join([*items, "", *options])
    if kind is QuestionType.ORDERING:
        return "\n".join(f"{i}. {o}" for i, o in enumerate(question.options, 1))
    return ""


def clock_text(span: timedelta) -> str:
    """A span as minutes:seconds."""
    seconds = int(span.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d}"


def wrong_answers_html(result: ExamResult, source_titles: dict[str, str]) -> str:
    """The results' "To go over" list: each wrong answer with its source link."""
    if not result.wrong:
        return "<p>Every answer was right.</p>"
    parts = ["<h3>To go over</h3>"]
    for record in result.wrong:
        q = record.question
        esc = html.escape
        parts.append(f"<p><b>{esc(q.prompt)}</b><br>")
        parts.append(f"Your answer: {esc(record.response_text or '(none)')}<br>")
        parts.append(f"Right answer: {esc(q.answer)}<br>")
        if q.anchor is not None:
            where = section_title(f"{q.anchor.ref}: {q.anchor.section}", source_titles)
            parts.append(
                f"<i>“{esc(q.anchor.quote)}”</i> — "
                f'<a href="card:{q.card_id}">{esc(where)}</a>'
            )
        parts.append("</p>")
    return "".join(parts)
