from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from studyapp.core.library import Library
from studyapp.gui import app
from studyapp.gui.main_window import MainWindow


def test_first_start_imports_the_bundled_decks_and_shows_them(
    data_dir: Path, qsettings: QSettings, qapp: QApplication
) -> None:
    shown: list[int] = []

    def look_and_quit() -> None:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        shown.extend(w.home.decks.topLevelItemCount() for w in windows if w.isVisible())
        for window in windows:
            window.close()

    QTimer.singleShot(0, look_and_quit)
    assert app.run(data_dir, settings=qsettings) == 0
    assert shown
    assert shown[0] >= 2  # two source documents
    library = Library.open(data_dir)
    try:
        decks = library.deck_counts()
    finally:
        library.close()
    assert {d.document for d in decks} >= {"pedersen-2019", "correia-2021"}
    assert qsettings.value("window/geometry") is not None


def test_application_is_named_for_its_settings(qapp: QApplication) -> None:
    created = app.create_application([])
    assert created is qapp
    assert created.applicationName() == "StudyApp"
    assert "QTextBrowser#cardText" in created.styleSheet()
