from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from studyapp import __version__
from studyapp.gui.help_dialogs import show_about


def _about_text(qtbot: QtBot, qapp: QApplication, data_dir: Path | None) -> str:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[str] = []

    def read_and_close() -> None:
        for widget in qapp.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append(widget.text())
                widget.accept()

    QTimer.singleShot(0, read_and_close)
    show_about(parent, data_dir)
    assert len(seen) == 1
    return seen[0]


def test_about_shows_the_version_and_the_data_folder(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    folder = tmp_path / "my <data>"
    text = _about_text(qtbot, qapp, folder)
    assert f"StudyApp {__version__}" in text
    assert str(tmp_path / "my &lt;data&gt;") in text


def test_about_an_in_memory_collection_says_so(
    qtbot: QtBot, qapp: QApplication
) -> None:
    assert "in memory (not saved)" in _about_text(qtbot, qapp, None)
