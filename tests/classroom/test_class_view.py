"""The Class screen, filled from a real report of the test server."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from studyapp.core.classroom.config import load_config
from studyapp.core.classroom.push import push
from studyapp.core.classroom.report import class_report
from studyapp.gui.class_view import ClassView, install_class_screen

from .conftest import ClassDb
from .helpers import answer, enrol, two_classes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_class_screen_shows_sections_and_weakest_cards_with_passages(
    qtbot: QtBot, class_db: ClassDb, tmp_path: Path, now: datetime
) -> None:
    two_classes(class_db)
    ann = enrol(class_db, tmp_path / "ann", "bio", "alice", now)
    enrol(class_db, tmp_path / "ben", "bio", "alice", now)
    answer(ann.library, 5, now)
    push(ann.library.store, ann.data_dir, now=now + timedelta(hours=1))
    report = class_report(
        class_db.login("alice"),
        "bio",
        now=now + timedelta(hours=1),
        exam_at=now + timedelta(days=20),
    )
    view = ClassView()
    qtbot.addWidget(view)
    view.show_report(report)
    assert "2 students" in view.heading.text()
    sections = [
        view.sections.item(r, 0).text() for r in range(view.sections.rowCount())
    ]
    assert sections == [f"{s.section} ({s.source_ref})" for s in report.sections]
    assert view.sections.item(0, 2).text() == "50%"  # Ann of two studied it all
    assert view.weakest.rowCount() == len(report.weakest) == 5
    for row, card in enumerate(report.weakest):
        assert view.weakest.item(row, 2).text() == card.prompt
        assert view.weakest.item(row, 3).text() == card.quote
    assert view.sharing.isHidden()  # an instructor's view has no switch


def test_a_student_sees_the_switch_and_what_is_shared(
    qtbot: QtBot, class_db: ClassDb, tmp_path: Path, now: datetime
) -> None:
    two_classes(class_db)
    ann = enrol(class_db, tmp_path / "ann", "bio", "alice", now)
    window = QWidget()
    qtbot.addWidget(window)
    menu = QMenu(window)
    assert install_class_screen(window, menu, tmp_path / "nobody") is None
    assert menu.actions() == []  # no class: nothing added
    sync = install_class_screen(window, menu, ann.data_dir)
    assert sync is not None
    qtbot.waitUntil(lambda: not sync.busy, timeout=15_000)  # the first push ran
    assert sync.last_error == ""
    [action] = menu.actions()
    action.trigger()
    [view] = window.findChildren(ClassView)
    assert view.sharing.isChecked()
    assert "Sharing with class bio is on" in view.shared.text()
    view.sharing.setChecked(False)
    config = load_config(ann.data_dir)
    assert config is not None
    assert not config.sharing
    assert "nothing is sent" in view.shared.text()
