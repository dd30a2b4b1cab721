# Dashes and Greek letters below are the characters articles print.
# ruff: noqa: RUF001
"""Write small journal-like PDFs for the drafting tests (and the benchmark).

Pages are laid out by hand with reportlab's canvas so that the tests know what
is on them: one or two columns, a running header and footer, a page number,
words hyphenated at line ends and, with a Unicode font, ligature glyphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
_DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")


def unicode_font() -> tuple[str, str] | None:
    """Register DejaVu Serif (which has the ﬁ/ﬂ glyphs) if the machine has it."""
    if not (_DEJAVU.is_file() and _DEJAVU_BOLD.is_file()):
        return None
    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(_DEJAVU)))
        pdfmetrics.registerFont(TTFont("DejaVuSerif-Bold", str(_DEJAVU_BOLD)))
    return "DejaVuSerif", "DejaVuSerif-Bold"


@dataclass(frozen=True)
class Block:
    """A heading, a paragraph or a bullet item."""

    text: str
    kind: str = "para"  # "heading", "para", "bullet", "title"


def heading(text: str) -> Block:
    return Block(text, "heading")


def para(text: str) -> Block:
    return Block(text, "para")


def bullet(text: str) -> Block:
    return Block(text, "bullet")


def hanging(text: str) -> Block:
    """A reference entry with a hanging indent and no space after it."""
    return Block(text, "hanging")


def term(text: str) -> Block:
    """A bold glossary term on a line of its own."""
    return Block(text, "term")


def title(text: str) -> Block:
    return Block(text, "title")


def write_pdf(
    path: Path,
    blocks: list[Block],
    *,
    columns: int = 2,
    header: str = "Journal of Imaginary Physiology 12 (2020) 45–53",
    footer: str = "© 2020 Imaginary Press. All rights reserved.",
    hyphenate: bool = True,
    ligatures: bool = False,
    font_size: float = 9.0,
) -> int:
    """Lay the blocks out and write the PDF; returns the number of pages."""
    fonts = unicode_font() if ligatures else None
    regular, bold = fonts or ("Times-Roman", "Times-Bold")
    canvas = Canvas(str(path), pagesize=A4)
    width, height = A4
    margin, gap = 50.0, 18.0
    column_width = (width - 2 * margin - gap * (columns - 1)) / columns
    top, bottom = height - 70.0, 60.0
    leading = font_size * 1.25
    state = {"page": 1, "column": 0, "y": top}

    def decorate() -> None:
        canvas.setFont(regular, 8)
        if header:
            canvas.drawString(margin, height - 40, header)
        if footer:
            canvas.drawString(margin, 30, footer)
        canvas.drawRightString(width - margin, 30, str(state["page"]))

    def next_column() -> None:
        state["column"] += 1
        state["y"] = top
        if state["column"] >= columns:
            canvas.showPage()
            state["page"] += 1
            state["column"] = 0
            decorate()

    def put(line: str, font: str, size: float, indent: float = 0.0) -> None:
        if state["y"] < bottom:
            next_column()
        x = margin + state["column"] * (column_width + gap) + indent
        canvas.setFont(font, size)
        canvas.drawString(x, state["y"], line)
        state["y"] -= size * 1.25

    def wrap(text: str, font: str, size: float, room: float) -> list[str]:
        lines: list[str] = []
        current = ""
        for word in text.split():
            if ligatures and fonts:
                word = word.replace("fi", "\ufb01").replace("fl", "\ufb02")
            trial = f"{current} {word}".strip()
            if pdfmetrics.stringWidth(trial, font, size) <= room:
                current = trial
                continue
            if hyphenate and len(word) >= 8 and word.isalpha():
                # break the word: as much as fits, then a hyphen
                for cut in range(len(word) - 3, 3, -1):
                    head = f"{current} {word[:cut]}-".strip()
                    if pdfmetrics.stringWidth(head, font, size) <= room:
                        lines.append(head)
                        current = word[cut:]
                        break
                else:
                    lines.append(current)
                    current = word
                continue
            if current:
                lines.append(current)
            current = word
        if current:
            lines.append(current)
        return lines

    decorate()
    for block in blocks:
        if block.kind == "title":
            for line in wrap(block.text, bold, 14, column_width):
                put(line, bold, 14)
            state["y"] -= 6
        elif block.kind == "heading":
            state["y"] -= 4
            put(block.text, bold, font_size + 1)
        elif block.kind == "term":
            put(block.text, bold, font_size)
        elif block.kind == "hanging":
            lines = wrap(block.text, regular, font_size, column_width - 12)
            for number, line in enumerate(lines):
                put(line, regular, font_size, 0.0 if number == 0 else 12.0)
        elif block.kind == "bullet":
            lines = wrap(block.text, regular, font_size, column_width - 10)
            for number, line in enumerate(lines):
                put(
                    ("• " if number == 0 else "") + line,
                    regular,
                    font_size,
                    0.0 if number == 0 else 10.0,
                )
        else:
            for line in wrap(block.text, regular, font_size, column_width):
                put(line, regular, font_size)
            state["y"] -= leading * 0.5
    canvas.showPage()
    canvas.save()
    return int(state["page"])
