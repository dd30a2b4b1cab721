"""The main window: deck list, review with the source pane, menus and dialogs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from studyapp import __version__
from studyapp.core.library import Library, utc_now
from studyapp.core.model import Card
from studyapp.gui.authoring import AuthoringController
from studyapp.gui.home_view import HomeView
from studyapp.gui.import_dialog import ImportController
from studyapp.gui.menus import MENUS, add_action
from studyapp.gui.review_view import ReviewView
from studyapp.gui.source_pane import SourcePane

if TYPE_CHECKING:  # screens and dialogs are imported when opened: faster start
    from studyapp.core.safety.check import CheckReport
    from studyapp.gui.backups_dialog import BackupsDialog
    from studyapp.gui.check_dialog import CheckDialog
    from studyapp.gui.exam_view import ExamView
    from studyapp.gui.planner_view import PlannerView
    from studyapp.gui.settings_dialog import SettingsDialog
    from studyapp.gui.stats_view import StatsView

REFRESH_MS = 60_000


class MainWindow(QMainWindow):
    """Deck list, then review, exam or planner beside the source pane.

    Remembers its size, position, splitter layout and whether the source
    pane is open.

    Signals:
        None of its own; it wires the views' signals to the library.
    """

    def __init__(
        self,
        library: Library,
        settings: QSettings,
        clock: Callable[[], datetime] = utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self._settings = settings
        self._clock = clock
        self.review: ReviewView | None = None
        self._activity: QWidget | None = None  # review, exam or planner
        self._source_wanted = False  # the learner's choice, kept for reviews
        self.settings_dialog: SettingsDialog | None = None
        self.check_dialog: CheckDialog | None = None
        self.backups_dialog: BackupsDialog | None = None
        self._titles: dict[str, str] = {}  # document titles
        self._deck_titles: dict[str, str] = {}  # as of the last refresh
        self.setWindowTitle(f"StudyApp {__version__}")
        self.setAccessibleName("StudyApp")

        self.home = HomeView(
            overview=lambda ids, counts: library.overview(
                ids or None, now=clock(), counts=counts
            ),
            clock=clock,
        )
        self.home.study_requested.connect(self._on_home_study_requested)
        self.source_pane = SourcePane(library)
        self.source_pane.closed.connect(self._on_source_pane_closed)
        self.review_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.review_splitter.setChildrenCollapsible(False)
        # The session's view goes into a fixed host: QSplitter.replaceWidget
        # would hide the source pane beside it.
        self._review_host = QWidget()
        self._review_layout = QVBoxLayout(self._review_host)
        self._review_layout.setContentsMargins(0, 0, 0, 0)
        self.review_splitter.addWidget(self._review_host)
        self.review_splitter.setAccessibleName("Study area and source pane")
        self.review_splitter.addWidget(self.source_pane)
        self.review_splitter.setStretchFactor(0, 3)
        self.review_splitter.setStretchFactor(1, 2)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.home)
        self.pages.addWidget(self.review_splitter)
        self.setCentralWidget(self.pages)
        self.importer = ImportController(library, clock, self)
        self.importer.import_finished.connect(self._on_importer_import_finished)
        self._build_menus()
        self.authoring = AuthoringController(self, clock)  # Edit menu
        self._restore_layout()
        self.refresh()
        self.home.decks.setFocus()
        # Learning cards fall due while the window sits on the deck list.
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self._on_timer_timeout)
        self.refresh_timer.start()
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._on_style_hints_color_scheme_changed)

    # Menus ----------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        actions: dict[str, QAction] = {}
        for title, entries in MENUS:
            menu = bar.addMenu(title)
            menu.setToolTipsVisible(True)
            for entry in entries:
                if entry is None:
                    menu.addSeparator()
                    continue
                text, name, keys = entry
                slot = getattr(self, name)
                actions[name] = add_action(menu, text, slot, keys)
            if title == "&Study":
                self.study_menu = menu
        actions["close"].setShortcut(QKeySequence.StandardKey.Quit)
        self.export_action = actions["_on_export_triggered"]
        self.open_data_action = actions["_on_open_data_triggered"]
        self.open_data_action.setEnabled(self.library.data_dir is not None)
        self.backups_action = actions["open_backups"]
        if self.library.backups is None:
            self.backups_action.setEnabled(False)
            self.backups_action.setToolTip(
                "This collection is kept in memory; it has no backups folder"
            )
        self.study_action = actions["_on_study_now_triggered"]
        self.check_action = actions["check_database"]

    # State ----------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read deck counts and today's numbers from the library."""
        now = self._clock()
        if not self._titles:
            self._titles = self.library.document_titles()
        counts = self.library.deck_counts(now=now)
        self._deck_titles = {c.id: c.title for c in counts}
        today = self.library.stats.today(now)
        self.home.set_state(counts, self._titles, today)
        self.export_action.setEnabled(bool(counts))

    def start_review(self, deck_ids: list[str] | None = None) -> ReviewView:
        """Open a review session over ``deck_ids`` (all decks when empty)."""
        self._end_activity()
        decks = deck_ids or None
        queue = self.library.review_queue(decks, now=self._clock())
        view = ReviewView(
            queue,
            self._clock,
            dict(self._deck_titles),
            upcoming=lambda now: self.library.overview(decks, now=now),
            media_dir=self.library.media_dir,
        )
        view.card_answered.connect(self._on_review_card_answered)
        view.closed.connect(self._on_review_closed)
        self._wire_review(view)
        self._show_activity(view, source=self._source_wanted)
        view.start()
        return view

    def _wire_review(self, view: ReviewView) -> None:
        """Connect a review screen (here or in the planner) to the source pane."""
        view.card_shown.connect(self._on_review_card_shown)
        view.answer_shown.connect(self._on_review_answer_shown)
        view.source_toggled.connect(self._on_review_source_toggled)
        self.study_menu.addActions(view.review_actions())
        view.set_source_checked(self._source_wanted)
        self.review = view

    def open_exam(self) -> ExamView:
        """Open the practice exam screen; the source pane opens from its results."""
        self._end_activity()
        from studyapp.gui.exam_view import ExamView

        view = ExamView(self.library, clock=self._clock)
        view.source_requested.connect(self._on_exam_source_requested)
        view.closed.connect(self._on_review_closed)
        self._show_activity(view, source=False)  # no peeking during an exam
        return view

    def open_planner(self) -> PlannerView:
        """Open the exam planner: forecast per section, study the weakest cards."""
        self._end_activity()
        from studyapp.gui.planner_view import PlannerView

        view = PlannerView(self.library, clock=self._clock)
        view.card_studied.connect(self._on_review_card_answered)
        view.study_started.connect(self._on_planner_study_started)
        view.closed.connect(self._on_review_closed)
        self._show_activity(view, source=False)
        return view

    def open_statistics(self) -> StatsView:
        """Open the statistics: charts, today's numbers, mastery per section."""
        self._end_activity()
        from studyapp.gui.stats_view import StatsView

        view = StatsView(self.library, clock=self._clock)
        view.closed.connect(self._on_review_closed)
        self._show_activity(view, source=False)
        return view

    def _show_activity(self, view: QWidget, *, source: bool) -> None:
        self._activity = view
        self._review_layout.addWidget(view)
        self.source_pane.setVisible(source)
        self.pages.setCurrentIndex(1)
        view.setFocus()

    def close_review(self) -> None:
        """End the session (review, exam or planner); back to the deck list."""
        self._end_activity()
        self.pages.setCurrentIndex(0)
        self.refresh()
        self.home.decks.setFocus()

    def _end_activity(self) -> None:
        """Remove the session's screen; the next one or the deck list follows."""
        if self._activity is not None:
            for action in self._activity.actions():
                self.study_menu.removeAction(action)
            self._review_layout.removeWidget(self._activity)
            self._activity.hide()
            self._activity.deleteLater()
            self._activity = None
        self.review = None

    def toggle_source(self) -> None:
        """Show or hide the source pane (it follows each card while open)."""
        visible = not self.source_pane.isVisibleTo(self.review_splitter)
        self.source_pane.setVisible(visible)
        if self.review is not None:
            self._source_wanted = visible
            self.review.set_source_checked(visible)
            if visible:  # a hidden pane is not kept up to date
                card = self.review.current_card
                self.source_pane.show_card(card, revealed=self.review.revealed)

    def open_settings(self) -> SettingsDialog:
        """Open the settings dialog (window-modal; returns at once)."""
        decks = [(c.id, c.title) for c in self.library.deck_counts(now=self._clock())]
        selected = self.home.decks.selected_deck_ids()
        from studyapp.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.library,
            decks,
            selected[0] if len(selected) == 1 else None,
            self,
            window_settings=self._settings,
        )
        dialog.settings_saved.connect(self._on_settings_dialog_settings_saved)
        dialog.appearance_changed.connect(self._on_style_hints_color_scheme_changed)
        dialog.finished.connect(self.activateWindow)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def check_database(self) -> CheckReport:
        """Back up, check and repair the database; shows and returns the report."""
        from studyapp.gui.check_dialog import CheckDialog

        self.close_review()  # a repair may change the cards a session holds
        report = self.library.check(now=self._clock())
        self.refresh()
        self.check_dialog = CheckDialog(report, self)
        self.check_dialog.open()
        return report

    def open_backups(self) -> BackupsDialog | None:
        """Open File → Backups… (window-modal; returns at once).

        None for a collection without a backups folder (in memory).
        """
        if self.library.backups is None:
            return None
        from studyapp.gui.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.library.backups, self._clock, self)
        dialog.collection_restored.connect(self._on_backups_dialog_collection_restored)
        self.backups_dialog = dialog
        dialog.open()
        return dialog

    def reload_collection(self) -> None:
        """Forget what was read from the library: a restore replaced its content."""
        self.close_review()  # the session's queue holds cards and undo from before
        # The schedulers cached per deck carry settings from before the restore.
        self.library.forget_cached()
        self._titles = {}
        self.source_pane.show_card(None)
        self.refresh()

    def import_paths(self, paths: list[Path]) -> None:
        """Import deck files or folders with a progress dialog."""
        if paths:
            self.importer.start(paths)

    # Layout memory --------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self._settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 720)
        splitter = self._settings.value("window/review_splitter")
        if splitter is not None:
            self.review_splitter.restoreState(splitter)
        shown = self._settings.value("window/source_visible", False, type=bool)
        self._source_wanted = bool(shown)

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        self.refresh_timer.stop()
        self.importer.pool.waitForDone()
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue(
            "window/review_splitter", self.review_splitter.saveState()
        )
        self._settings.setValue("window/source_visible", self._source_wanted)
        self._settings.sync()
        super().closeEvent(event)

    # Slots ----------------------------------------------------------------

    def _on_timer_timeout(self) -> None:
        if self._activity is None and not self.importer.is_running:
            self.refresh()

    def _on_style_hints_color_scheme_changed(self, _scheme: object) -> None:
        self.refresh()  # the count colours depend on the palette
        if self.review is not None:
            card = self.review.current_card
            self.source_pane.show_card(card, revealed=self.review.revealed)

    def _on_home_study_requested(self, deck_ids: list[str]) -> None:
        self.start_review(deck_ids)

    def _on_study_now_triggered(self) -> None:
        self.start_review(self.home.decks.selected_deck_ids())

    def _on_review_source_toggled(self) -> None:
        self.toggle_source()

    def _on_source_pane_closed(self) -> None:
        if self.source_pane.isVisibleTo(self.review_splitter):
            self.toggle_source()

    def _on_review_card_answered(self, _rating: int) -> None:
        self.library.maybe_backup(self._clock())

    def _on_exam_source_requested(self, card_id: int) -> None:
        self.source_pane.show_card(self.library.card(card_id))
        self.source_pane.show()

    def _on_planner_study_started(self, view: ReviewView) -> None:
        self._wire_review(view)
        self.source_pane.setVisible(self._source_wanted)
        view.closed.connect(self._on_planner_study_closed)

    def _on_planner_study_closed(self) -> None:
        if self.review is not None:
            for action in self.review.review_actions():
                self.study_menu.removeAction(action)
        self.review = None
        self.source_pane.hide()

    def _on_review_card_shown(self, card: Card | None) -> None:
        # Question side: the pane covers the answer; on the summary it hides.
        if self._source_wanted:
            self.source_pane.show_card(card, revealed=False)
        self.source_pane.setVisible(card is not None and self._source_wanted)

    def _on_review_answer_shown(self, card: Card) -> None:
        if self._source_wanted:
            self.source_pane.show_card(card, revealed=True)

    def _on_review_closed(self) -> None:
        self.close_review()

    def _on_settings_dialog_settings_saved(self, _deck_id: str) -> None:
        if self.review is not None:
            self.review.refresh()
        self.refresh()

    def _on_import_files_triggered(self) -> None:
        self.importer.ask_files()

    def _on_import_folder_triggered(self) -> None:
        self.importer.ask_folder()

    def _on_draft_triggered(self) -> None:
        from studyapp.gui.draft_review import ask_and_open_draft

        ask_and_open_draft(self.library, self, on_done=self.refresh)

    def _on_importer_import_finished(self, _summaries: list[object]) -> None:
        self._titles = {}  # new documents may have come in
        self.refresh()

    def _on_export_triggered(self) -> None:
        deck_ids = self.home.decks.selected_deck_ids() or [
            c.id for c in self.library.deck_counts(now=self._clock())
        ]
        from studyapp.gui.export_dialog import ask_and_export  # loads genanki

        ask_and_export(self, self.library, deck_ids)

    def _on_open_data_triggered(self) -> None:
        if self.library.data_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.library.data_dir)))

    def _on_backups_dialog_collection_restored(self, _path: str) -> None:
        self.reload_collection()

    def _on_shortcuts_triggered(self) -> None:
        from studyapp.gui.help_dialogs import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.finished.connect(self.activateWindow)  # no WM (Xvfb): take focus
        dialog.open()

    def _on_about_triggered(self) -> None:
        from studyapp.gui.help_dialogs import show_about

        show_about(self, self.library.data_dir)
