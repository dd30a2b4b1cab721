from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studyapp.gui.card_text import CardTextView
from studyapp.gui.theme import is_dark, passage_highlight


def palette(window: str, text: str) -> QPalette:
    result = QPalette()
    result.setColor(QPalette.ColorRole.Window, QColor(window))
    result.setColor(QPalette.ColorRole.WindowText, QColor(text))
    return result


def test_dark_means_light_text_on_a_dark_window() -> None:
    assert is_dark(palette("#202020", "#f0f0f0"))
    assert not is_dark(palette("#f0f0f0", "#000000"))


def test_highlight_keeps_text_readable_in_both_schemes() -> None:
    for scheme in (palette("#202020", "#f0f0f0"), palette("#f0f0f0", "#000000")):
        mark = passage_highlight(scheme)
        contrast = abs(mark.background.lightness() - mark.foreground.lightness())
        assert contrast > 120


def test_card_marks_follow_the_application_palette(
    qtbot: QtBot, qapp: QApplication
) -> None:
    view = CardTextView("Answer")
    qtbot.addWidget(view)
    view.show_html("<b>IL-6</b>")
    expected = passage_highlight(qapp.palette()).background.name()
    assert expected in view.document().defaultStyleSheet()
    assert is_dark(qapp.palette()) == (expected == "#6b5200")
