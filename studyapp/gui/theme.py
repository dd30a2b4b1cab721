"""Palettes and highlight colours that follow the system's light or dark scheme."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from studyapp.gui.paths import style_path


@dataclass(frozen=True, slots=True)
class Highlight:
    """Colours for a marked span: the cloze answer or the quoted passage."""

    background: QColor
    foreground: QColor


def is_dark(palette: QPalette) -> bool:
    """Whether the palette draws light text on a dark window."""
    text = palette.color(QPalette.ColorRole.WindowText).lightness()
    return text > palette.color(QPalette.ColorRole.Window).lightness()


def passage_highlight(palette: QPalette) -> Highlight:
    """The quoted passage and the cloze answer: amber that keeps text readable."""
    if is_dark(palette):
        return Highlight(QColor("#6b5200"), QColor("#fff8e1"))
    return Highlight(QColor("#ffe08a"), QColor("#1a1a1a"))


def reference_highlight(palette: QPalette) -> Highlight:
    """A finding's entry in the reference list: a calmer blue."""
    if is_dark(palette):
        return Highlight(QColor("#1f4a73"), QColor("#eaf4ff"))
    return Highlight(QColor("#cfe5ff"), QColor("#1a1a1a"))


def count_colours(palette: QPalette) -> tuple[QColor, QColor, QColor]:
    """Colours of the new, learning and due counts, readable on the palette."""
    if is_dark(palette):
        return QColor("#7fb6ff"), QColor("#ff9a8a"), QColor("#7ddc8a")
    return QColor("#1f5fbf"), QColor("#b3261e"), QColor("#1b7a2e")


THEMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
CARD_SIZES = (12, 36)  # the card text's point size, smallest and largest
UI_SIZES = (8, 20)  # the rest of the interface; 0 keeps the system's size
_CARD_PT = "@CARD_PT@"  # in app.qss: the card text's size
_PROMPT_PT = "@PROMPT_PT@"  # exam prompts and choices, a little smaller


@dataclass(frozen=True, slots=True)
class Appearance:
    """The learner's look: theme and font sizes (kept in the window settings)."""

    theme: str = "system"
    card_pt: int = 17
    ui_pt: int = 0


def load_appearance(settings: QSettings) -> Appearance:
    """The appearance saved in ``settings``; defaults for anything missing or odd."""
    theme = str(settings.value("appearance/theme", "system"))
    card = _int(settings.value("appearance/card_pt", 17), 17, CARD_SIZES)
    ui = _int(settings.value("appearance/ui_pt", 0), 0, UI_SIZES)
    return Appearance(theme if theme in THEMES else "system", card, ui)


def save_appearance(settings: QSettings, appearance: Appearance) -> None:
    """Keep the appearance for the next start."""
    settings.setValue("appearance/theme", appearance.theme)
    settings.setValue("appearance/card_pt", appearance.card_pt)
    settings.setValue("appearance/ui_pt", appearance.ui_pt)


def _int(value: object, default: int, bounds: tuple[int, int]) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    low, high = bounds
    return number if low <= number <= high or number == default else default


def dark_palette() -> QPalette:
    """A dark palette like Fusion's own for a dark desktop."""
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    palette = QPalette()
    colours = {
        role.Window: "#2b2b2b",
        role.WindowText: "#f0f0f0",
        role.Base: "#1e1e1e",
        role.AlternateBase: "#262626",
        role.Text: "#f0f0f0",
        role.Button: "#353535",
        role.ButtonText: "#f0f0f0",
        role.ToolTipBase: "#353535",
        role.ToolTipText: "#f0f0f0",
        role.Highlight: "#2f65ca",
        role.HighlightedText: "#ffffff",
        role.PlaceholderText: "#a0a0a0",
        role.Link: "#7fb6ff",
        role.Mid: "#4a4a4a",
        role.Midlight: "#404040",
        role.Dark: "#1a1a1a",
        role.Shadow: "#101010",
        role.Light: "#505050",
    }
    for which, colour in colours.items():
        palette.setColor(which, QColor(colour))
    for which in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, which, QColor("#8a8a8a"))
    return palette


def apply_theme(app: QApplication, appearance: Appearance | None = None) -> None:
    """Fusion, the chosen colour scheme and font sizes, and the app stylesheet.

    "system" lets Fusion follow the platform's light or dark scheme (and
    switch when it does); "light" and "dark" fix it. Applying again at any
    time restyles every open window at once.
    """
    look = appearance or Appearance()
    app.setStyle("Fusion")
    hints = app.styleHints()
    if look.theme == "system":
        hints.unsetColorScheme()
    else:
        dark = look.theme == "dark"
        hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
    style = app.style()
    if look.theme == "dark":
        # A desktop without a theme (Xvfb, some window managers) ignores the
        # request above; the palette makes it so everywhere.
        app.setPalette(dark_palette())
    elif style is not None:
        app.setPalette(style.standardPalette())
    font = QFont(app.font())
    if look.ui_pt:
        font.setPointSize(look.ui_pt)
        app.setFont(font)
    sheet = style_path("app.qss")
    if sheet.is_file():
        text = sheet.read_text(encoding="utf-8")
        text = text.replace(_CARD_PT, str(look.card_pt))
        text = text.replace(_PROMPT_PT, str(max(11, round(look.card_pt * 0.8))))
        app.setStyleSheet(text)
