"""Every screen fits 800x600 when a deck's content is long.

Thirty decks made here hold long content, valid by the deck format: long
deck titles, source titles, sections, tags, fronts, backs and file names,
forty sections, a long typed answer, forty import problems. Each screen is
opened on them in every state worth seeing, and the window (or dialog) must
still shrink to 800x600 without squeezing its content below its minimum,
cutting a wrapped label short or hiding the ends of a text box's lines.
"""

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from studyapp.core.authoring.document import read_document
from studyapp.core.authoring.draft import draft_deck
from studyapp.core.classroom.report import CardFigures, ClassReport, SectionFigures
from studyapp.core.errors import DeckError
from studyapp.core.exam.questions import QuestionType
from studyapp.core.exam.session import ExamSpec
from studyapp.core.library import Library
from studyapp.core.model import CardType, Rating
from studyapp.gui.class_view import ClassView
from studyapp.gui.draft_review import DraftReview
from studyapp.gui.export_dialog import ANKI_FILTER, TEXT_FILTER
from studyapp.gui.import_dialog import ProblemsDialog, SummaryDialog
from studyapp.gui.main_window import MainWindow

from .conftest import ROOT, FakeClock, show_window

WORDS = (
    "exercise releases myokines from contracting skeletal muscle that reach the "
    "brain and support memory neurogenesis and the identity of motor neurons "
)
TAG = "muscle-brain-crosstalk::myokines::irisin-fndc5::hippocampal-neurogenesis"
SOURCE_TITLE = (
    "Physical activity and muscle-brain crosstalk: how myokines, metabolites and "
    "exerkines released by working skeletal muscle act on the hippocampus, the "
    "motor neurons and mood, reviewed across animal and human studies"
)
SECTIONS = 40
SHORT = "Glossary"
DECKS = 30
LONG_NAME = "muscle-brain-crosstalk-" * 6 + "deck"  # a long file name
# A pasted list: two hundred words the answer lacks.
TYPED = "myokines such as " + " ".join(f"factor{n}" for n in range(200))


def sentence(number: int, words: int) -> str:
    """A deterministic sentence of about ``words`` words, numbered."""
    vocabulary = WORDS.split()
    body = " ".join(vocabulary[(number + i) % len(vocabulary)] for i in range(words))
    return f"Passage {number}: {body}."


def section_name(number: int) -> str:
    return (
        f"Section {number}: the role of exercise-induced myokines in hippocampal "
        "neurogenesis, memory and the maintenance of motor neuron identity"
    )


def deck_title(number: int) -> str:
    return (
        f"Deck {number} about muscle-brain crosstalk, myokines, neurotrophic "
        "factors, exerkines and the motor neurons that exercise keeps alive"
    )


def long_deck(number: int, quotes: list[str]) -> str:
    """A valid deck whose every text is long; its quotes are ``quotes``."""
    lines = [
        "deck:",
        f"  id: long-{number:02d}",
        f'  title: "{deck_title(number)}"',
        "  kind: basic",
        f'  document: "{SOURCE_TITLE}"',
        "sources:",
        "  - id: long-source",
        f'    title: "{SOURCE_TITLE}"',
        "    text: long-source.txt",
        "cards:",
    ]
    for index, quote in enumerate(quotes if number == 0 else quotes[:2]):
        kind = ("basic", "typed", "reversed")[index % 3]
        lines += [
            f"  - id: card-{index:02d}",
            f"    type: {kind}",
            f'    front: "Question {index}: {sentence(index, 90)}"',
            f'    back: "{sentence(index + 1, 120)}"',
            f'    tags: ["{TAG}-{index}", "{TAG}-extra"]',
            "    source:",
            "      ref: long-source",
            f'      section: "{section_name(index % SECTIONS)}"',
            f'      quote: "{quote}"',
        ]
    if number == 0:  # a mechanism, a cloze and glossary terms: every question type
        anchor = ["    source:", "      ref: long-source", f"      section: {SHORT}"]
        anchor.append(f'      quote: "{quotes[0]}"')
        steps = ", ".join(f'"{sentence(n, 25)}"' for n in range(5))
        lines += ["  - id: chain", "    kind: mechanism", f"    steps: [{steps}]"]
        lines += [f'    front: "{sentence(7, 30)}?"', f'    back: "{sentence(8, 40)}"']
        lines += anchor
        lines += ["  - id: gap", f'    cloze: "{{{{c1::myokines}}}} {sentence(3, 80)}"']
        lines += anchor
        for n in range(6):  # short answers are typed; up to 220 characters matched
            back = f"Myokine number {n}" if n < 2 else sentence(n, 25)
            lines += [f"  - id: term-{n}", "    kind: glossary"]
            lines += [f'    front: "Term {n} {sentence(n, 8)}"']
            lines += [f'    back: "{back}"', *anchor]
    return "\n".join(lines) + "\n"


@pytest.fixture
def long_library(tmp_path: Path, data_dir: Path, clock: FakeClock) -> Iterator[Library]:
    """A collection on disk (it has backups) of many decks with long texts."""
    decks = tmp_path / "decks"
    decks.mkdir()
    quotes = [sentence(n, 60) for n in range(SECTIONS)]
    (decks / "long-source.txt").write_text("\n\n".join(quotes), encoding="utf-8")
    deep = decks / LONG_NAME / LONG_NAME  # the first deck: a long path
    deep.mkdir(parents=True)
    (deep / "long-source.txt").write_text("\n\n".join(quotes), encoding="utf-8")
    for number in range(DECKS):
        deck = (deep if number == 0 else decks) / f"{number:02d}-{LONG_NAME}.yaml"
        deck.write_text(long_deck(number, quotes), encoding="utf-8")
    library = Library.open(data_dir)
    library.import_paths([decks], now=clock())
    yield library
    library.close()


def fits(widget: QWidget) -> str | None:
    """None if ``widget`` shrinks to 800x600 with room for all it holds.

    Else the size it kept and the minimum its layout asks for (a window
    squeezed below that minimum clips what it shows), or the wrapped label
    that is cut short, or the text box whose lines run out of sight.
    """
    widget.resize(800, 600)
    QApplication.processEvents()
    hint = widget.minimumSizeHint()
    width, height = (
        max(widget.width(), hint.width()),
        max(widget.height(), hint.height()),
    )
    if width > 800 or height > 600:
        minimum = f"{hint.width()}x{hint.height()}"
        return f"{widget.width()}x{widget.height()} (minimum {minimum})"
    layout = widget.layout()
    if layout is not None and layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(widget.width())
        if needed > widget.height():
            return f"{widget.width()}x{widget.height()}, its content needs {needed} px"
    for label in widget.findChildren(QLabel):
        if label.isVisible() and label.wordWrap():
            needed = label.heightForWidth(label.width())
            if label.height() < needed:
                return f"{label.text()[:40]!r} cut: {label.height()} of {needed} px"
    for text in [*widget.findChildren(QPlainTextEdit), *widget.findChildren(QTextEdit)]:
        if text.isVisible() and text.horizontalScrollBar().maximum() > 0:
            return f"{text.accessibleName()!r} hides the ends of its lines"
    return None


Shown = Iterator[tuple[str, QWidget]]


def exposed(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


Screen = Callable[[QtBot, MainWindow, Library, Path, FakeClock], Shown]


def home(
    qtbot: QtBot, window: MainWindow, library: Library, tmp: Path, clock: FakeClock
) -> Shown:
    yield "deck list", window
    window.home.decks.expandAll()
    leaf = window.home.decks.findItems(
        deck_title(0), Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive
    )[0]
    window.home.decks.setCurrentItem(leaf)
    yield "deck list, a deck selected", window


def review(
    qtbot: QtBot, window: MainWindow, library: Library, tmp: Path, clock: FakeClock
) -> Shown:
    view = window.start_review(["long-00"])
    yield "front", window
    window.toggle_source()
    yield "front beside the source pane", window
    view.reveal_action.trigger()
    yield "back revealed", window
    while (card := view.current_card) is not None:
        if card.type is CardType.TYPED and not view.revealed:
            view.typed.line.setText(TYPED)
            view.reveal_action.trigger()
            yield "typed answer graded", window
        if not view.revealed:
            view.reveal_action.trigger()
        view.rating_actions[Rating.EASY - 1].trigger()
    yield "session summary", window


def browser(
    qtbot: QtBot, window: MainWindow, library: Library, tmp: Path, clock: FakeClock
) -> Shown:
    cards = window.authoring.open_browser()
    exposed(qtbot, cards)
    yield "card browser", cards
    cards.select_rows([0])
    yield "card browser with card info", cards
    cards.search.setText(f"is:{TAG}-0")  # the error quotes the tag
    cards.run_search()
    yield "card browser, an error quoting a long tag", cards
    cards.search.setText("deck:long-00")  # its file has the longest path
    cards.run_search()
    editor = window.authoring.open_editor(cards.model.row_at(0).card_id)
    assert editor is not None
    yield "card editor", exposed(qtbot, editor)
    editor.set_value("quote", sentence(1, 30) + " (not in the source)")
    editor.set_value("section", section_name(1) + " " + section_name(2))
    editor.set_value("tags", f"{TAG} {TAG}")
    editor.set_value("cloze", sentence(2, 40))
    editor.set_value("steps", "\n".join(sentence(n, 20) for n in range(3)))
    editor.check_now()
    yield "card editor, a problem in every field", editor


def exam(
    qtbot: QtBot, window: MainWindow, library: Library, tmp: Path, clock: FakeClock
) -> Shown:
    view = window.open_exam()
    yield "exam setup", window
    decks = tuple(f"long-{n:02d}" for n in range(DECKS))
    view.start_exam(ExamSpec(deck_ids=decks, count=60, types=tuple(QuestionType)))
    asked = set()
    while (question := view.current_question) is not None:
        asked.add(question.type)
        yield f"exam question ({question.type.name})", window
        view.answer(TYPED if question.type is QuestionType.TYPED else "A")
    assert asked == set(QuestionType)
    yield "exam results", window


def planner(
    qtbot: QtBot, window: MainWindow, library: Library, tmp: Path, clock: FakeClock
) -> Shown:
    view = window.open_planner()
    yield "planner", window
    view.start_study()
    yield "planner study", window


def statistics(
    qtbot: QtBot, window: MainWindow, library: Library, tmp: Path, clock: FakeClock
) -> Shown:
    view = window.start_review(["long-00"])
    for _ in range(12):
        view.reveal_action.trigger()
        view.rating_actions[Rating.AGAIN - 1].trigger()
    window.open_statistics()
    yield "statistics", window


def settings(
    qtbot: QtBot, window: MainWindow, library: Library, tmp: Path, clock: FakeClock
) -> Shown:
    yield "settings, all decks", window.open_settings()
    window.settings_dialog.close()
    home_leaf = window.home.decks.findItems(
        deck_title(0), Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive
    )[0]
    window.home.decks.setCurrentItem(home_leaf)
    yield "settings, one deck", window.open_settings()


def imports(
    qtbot: QtBot, window: MainWindow, library: Library, tmp: Path, clock: FakeClock
) -> Shown:
    summaries = library.import_paths([tmp / "decks"], now=clock(), force=True)
    yield "import summary", exposed(qtbot, SummaryDialog(list(summaries)))
    broken = tmp / "decks" / "broken" / f"{LONG_NAME}.yaml"
    broken.parent.mkdir()
    broken.write_text(long_deck(0, [sentence(n, 30) + "!" for n in range(SECTIONS)]))
    (broken.parent / "long-source.txt").write_text("A different text.")
    with pytest.raises(DeckError) as refused:
        library.import_paths([broken], now=clock())
    problems = refused.value.problems
    assert len(problems) >= SECTIONS
    yield "import problems", exposed(qtbot, ProblemsDialog(problems))


def check(
    qtbot: QtBot, window: MainWindow, library: Library, tmp: Path, clock: FakeClock
) -> Shown:
    window.check_database()
    assert window.check_dialog is not None
    yield "check report", window.check_dialog


def backups(
    qtbot: QtBot, window: MainWindow, library: Library, tmp: Path, clock: FakeClock
) -> Shown:
    dialog = window.open_backups()
    assert dialog is not None
    yield "backups", dialog


def classes(
    qtbot: QtBot, window: MainWindow, library: Library, tmp: Path, clock: FakeClock
) -> Shown:
    view = ClassView()
    exposed(qtbot, view)
    at = clock()
    cards = [
        CardFigures(
            f"long-{n:02d}",
            f"card-{n:02d}",
            0,
            "long-source",
            section_name(n),
            sentence(n, 60),
            sentence(n, 90),
            0.5,
            0.4,
            0.3,
            0.2,
        )
        for n in range(20)
    ]
    sections = [
        SectionFigures("long-source", section_name(n), 3, 0.5, 0.4, 0.3, 2, 0.5)
        for n in range(SECTIONS)
    ]
    view.show_report(
        ClassReport("bio-" + "x" * 60, SOURCE_TITLE, 30, at, at, sections, cards)
    )
    assert "<b>" not in view.heading.text()  # plain text, no markup shown
    yield "class report", view


def drafts(
    qtbot: QtBot, window: MainWindow, library: Library, tmp: Path, clock: FakeClock
) -> Shown:
    document = read_document(
        ROOT / "tests" / "data" / "draft" / "fictional-article.txt"
    )
    result = draft_deck(document.text, source_id="article", legacy=False)
    cards = [
        replace(
            card,
            front=f"{card.front} {sentence(n, 60)}",
            source=replace(card.source, section=section_name(n)),
        )
        for n, card in enumerate(result.cards)
        if card.source is not None
    ]
    long = replace(result, title=SOURCE_TITLE, cards=tuple(cards))
    view = DraftReview(library, document, long)
    exposed(qtbot, view)
    for row in range(view.list.count()):
        view.list.setCurrentRow(row)
        yield f"draft review, card {row}", view


def export(
    qtbot: QtBot, window: MainWindow, library: Library, tmp: Path, clock: FakeClock
) -> Shown:
    shown: list[QMessageBox] = []
    for kind in (ANKI_FILTER, TEXT_FILTER):  # one file, then one file per deck
        chosen = (str(tmp / f"{kind[:4]}-{LONG_NAME}"), kind)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(QFileDialog, "getSaveFileName", lambda *_, c=chosen: c)
            patch.setattr(QMessageBox, "exec", lambda box: shown.append(box))
            window.export_action.trigger()
        box = shown.pop()
        yield f"export finished ({kind})", exposed(qtbot, box)
        box.close()


SCREENS: dict[str, Screen] = {
    "home": home,
    "review": review,
    "browser": browser,
    "exam": exam,
    "planner": planner,
    "statistics": statistics,
    "settings": settings,
    "imports": imports,
    "check": check,
    "backups": backups,
    "classes": classes,
    "drafts": drafts,
    "export": export,
}


@pytest.mark.parametrize("name", list(SCREENS))
def test_screen_fits_800_by_600_with_long_content(
    qtbot: QtBot,
    long_library: Library,
    tmp_path: Path,
    qsettings: QSettings,
    clock: FakeClock,
    name: str,
) -> None:
    window = show_window(qtbot, MainWindow(long_library, qsettings, clock))
    too_big = [
        f"{state}: {size}"
        for state, widget in SCREENS[name](qtbot, window, long_library, tmp_path, clock)
        if (size := fits(widget)) is not None
    ]
    window.close()
    assert too_big == []
