"""A long review session must not wear down None's reference count.

PySide6-Essentials 6.12.0 drops a reference to None on every call of a void
method; before Python 3.12 None is an ordinary object, so the app died with
"Fatal Python error: none_dealloc" after about 175 answers (issue 17).
"""

import sys

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.core.model import Rating
from studyapp.gui.main_window import MainWindow

from .conftest import FakeClock, show_window


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal")
def test_answers_do_not_use_up_references_to_none(
    qtbot: QtBot, bundled: Library, qsettings: QSettings, clock: FakeClock
) -> None:
    window = show_window(qtbot, MainWindow(bundled, qsettings, clock))
    view = window.start_review(None)
    window.toggle_source()
    before = sys.getrefcount(None)
    for turn in range(20):
        assert view.current_card is not None
        view.reveal_action.trigger()
        view.rating_actions[(Rating.AGAIN if turn % 4 else Rating.GOOD) - 1].trigger()
    lost = before - sys.getrefcount(None)
    assert lost < 200, f"{lost} references to None lost in 20 answers"
