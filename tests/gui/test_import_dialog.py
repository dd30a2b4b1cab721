from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.gui.deck_list import DeckListView
from studyapp.gui.import_dialog import IMPORT_FILTER, ProblemsDialog, SummaryDialog
from studyapp.gui.main_window import MainWindow

from ..conftest import DATA
from .conftest import DECKS, FakeClock, show_window

BROKEN = """deck:
  id: broken
  title: Broken deck
cards:
  - id: one
    front: A question without an answer
  - id: one
    front: Same id again
    back: An answer
"""

VALID = """deck:
  id: extra
  title: Extra deck
  kind: glossary
cards:
  - id: a
    front: Question A
    back: Answer A
"""


def top_titles(tree: DeckListView) -> list[str]:
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def all_titles(tree: DeckListView) -> list[str]:
    found, items = [], [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while items:
        item = items.pop()
        found.append(item.text(0))
        items += [item.child(i) for i in range(item.childCount())]
    return found


def test_invalid_deck_shows_every_problem_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    valid = tmp_path / "extra.yaml"
    valid.write_text(VALID, encoding="utf-8")
    before = list(library.store.conn.iterdump())

    with qtbot.waitSignal(window.importer.import_failed) as failed:
        window.import_paths([valid, broken])

    problems = failed.args[0]
    assert len(problems) >= 2
    dialog = window.importer.dialog
    assert isinstance(dialog, ProblemsDialog)
    qtbot.addWidget(dialog)
    shown = dialog.text.toPlainText().splitlines()
    assert shown == [str(p) for p in problems]
    assert all(line.startswith(f"{broken}:") for line in shown)
    assert all(p.line > 1 for p in problems)
    assert list(library.store.conn.iterdump()) == before
    dialog.reject()


def test_import_runs_off_the_ui_thread_and_its_progress_completes(
    qtbot: QtBot, data_dir: Path, qsettings: QSettings, clock: FakeClock
) -> None:
    library = Library.open(data_dir)
    try:
        window = show_window(qtbot, MainWindow(library, qsettings, clock))
        assert top_titles(window.home.decks) == []
        progress: list[tuple[int, int]] = []
        with qtbot.waitSignal(window.importer.import_finished, timeout=30_000) as done:
            window.import_paths([DECKS])
            assert window.importer.is_running
            task = window.importer._task
            assert task is not None
            task.signals.progressed.connect(lambda d, s, _text: progress.append((d, s)))
        files = len(list(DECKS.rglob("*.yaml")))
        assert window.importer.last_progress == (files + 1, files + 1)
        assert not window.importer.is_running
        assert progress == sorted(progress)
        summaries = done.args[0]
        assert {s.deck_id for s in summaries} >= {"pedersen-2019-glossary"}
        assert isinstance(window.importer.dialog, SummaryDialog)
        qtbot.addWidget(window.importer.dialog)
        assert "Physical activity and muscle" in " ".join(top_titles(window.home.decks))
        window.close()
    finally:
        library.close()


def test_import_of_an_empty_folder_is_reported(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    with qtbot.waitSignal(window.importer.import_failed) as failed:
        window.import_paths([tmp_path])
    assert "no deck files" in failed.args[0][0].message
    assert window.importer.dialog is not None
    qtbot.addWidget(window.importer.dialog)


def test_file_import_takes_anki_packages_and_csv_files(
    qtbot: QtBot, window: MainWindow, library: Library, tmp_path: Path
) -> None:
    package = DATA / "interop" / "anki-modern-1.apkg"
    csv_file = tmp_path / "capitals.csv"
    csv_file.write_text("France,Paris\nItaly,Rome\n", encoding="utf-8")
    assert all(
        Path(f"x{suffix}").suffix[1:] in IMPORT_FILTER
        for suffix in (".yaml", ".apkg", ".colpkg", ".txt", ".tsv", ".csv")
    )
    with qtbot.waitSignal(window.importer.import_finished, timeout=30_000) as done:
        window.import_paths([package, csv_file])
    results = done.args[0]
    added = [getattr(r, "added", None) for r in results]
    packaged = [getattr(r, "notes_added", None) for r in results]
    # expected-1.json: 200 notes in the package; 2 rows in the CSV file
    assert sum(a for a in added if a is not None) == 2
    assert sum(n for n in packaged if n is not None) == 200
    assert isinstance(window.importer.dialog, SummaryDialog)
    qtbot.addWidget(window.importer.dialog)
    titles = all_titles(window.home.decks)
    assert any("Heldout 1" in title for title in titles)
    assert any("capitals" in title.lower() for title in titles)
