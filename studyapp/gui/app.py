"""Creates the QApplication, opens the library, shows the main window."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from studyapp import __version__
from studyapp.core.desktop_entry import APP_ID
from studyapp.core.errors import DeckError, StudyAppError
from studyapp.core.library import Library
from studyapp.gui.main_window import MainWindow
from studyapp.gui.paths import icon_path
from studyapp.gui.plain import show_message
from studyapp.gui.theme import apply_theme, load_appearance

if TYPE_CHECKING:  # the class screen loads when used: a faster start (issue 21)
    from studyapp.core.classroom.report import ClassReport

ORGANIZATION = "StudyApp"
APPLICATION = "StudyApp"


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused if one exists), named and themed."""
    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication(argv if argv is not None else sys.argv)
    )
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # Wayland shells match the menu entry's icon
    app.setWindowIcon(QIcon(str(icon_path("studyapp.svg"))))
    apply_theme(app)
    return app


def open_library(data_dir: Path | None) -> Library:
    """Open the collection; on first start, import the bundled decks.

    A broken bundled deck is reported but does not stop the app.
    """
    library = Library.open(data_dir)
    try:
        library.import_bundled_if_empty()
    except DeckError as error:
        show_message(
            None,
            QMessageBox.Icon.Warning,
            "Bundled decks not imported",
            "The bundled decks have problems:\n" + str(error),
        )
    return library


def run(data_dir: Path | None, *, settings: QSettings | None = None) -> int:
    """Run the desktop app on the collection in ``data_dir``; returns the exit code.

    Args:
        data_dir: The collection's folder; None for the default one.
        settings: Where the window keeps its layout; the user's own
            settings when None (tests pass a temporary file).
    """
    from studyapp.gui import preflight
    from studyapp.gui.class_view import install_class_screen

    if QApplication.instance() is None:
        problem = preflight.check()  # Qt would abort without saying what to do
        if problem:
            print(problem, file=sys.stderr)
            return 1
    app = create_application()
    try:
        library = open_library(data_dir)
    except StudyAppError as error:
        show_message(
            None, QMessageBox.Icon.Critical, "StudyApp cannot start", str(error)
        )
        return 1
    try:
        settings = settings or QSettings()
        apply_theme(app, load_appearance(settings))
        window = MainWindow(library, settings)
        install_class_screen(window, window.study_menu, library.data_dir)
        window.show()
        return app.exec()
    finally:
        QThreadPool.globalInstance().waitForDone(3000)  # a class push, if any
        library.close()


def show_class_report(report: ClassReport) -> int:
    """Show a class report in the Class screen until it is closed."""
    from studyapp.gui.class_view import ClassView

    app = create_application()
    view = ClassView()
    view.show_report(report)
    view.resize(1100, 760)
    view.show()
    return app.exec()


def main() -> int:
    """Entry point of the ``studyapp-gui`` script."""
    return run(None)
