# Dashes and Greek letters below are the characters articles print.
# ruff: noqa: RUF001
"""Text of a PDF in reading order, without page furniture.

Columns are read left then right between full-width blocks; lines repeated at
the top or bottom of several pages (running headers and footers) and bare page
numbers are dropped; words hyphenated at line ends are joined; ligature glyphs
become letters. Lines are joined into paragraphs, one per output line, with a
blank line between, so the section finder sees them as the web text does.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from studyapp.core.authoring.pdf_lines import Line as _Line
from studyapp.core.authoring.pdf_lines import read_pages
from studyapp.core.errors import StudyAppError

LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\u00ad": "",  # soft hyphen
    }
)
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—\s]*\d{1,4}[-–—\s]*(?:(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
# A glyph pdfminer cannot map prints as "(cid:127)"; at a line's start it is
# almost always a list bullet.
_CID_BULLET = re.compile(r"^\(cid:\d+\)\s*")
_CID = re.compile(r"\(cid:\d+\)")
_MARKER = re.compile(r"^(?:[•●▪◦‣∙·*\-–]\s|\[\d{1,4}\]\s|\d{1,3}[.)]\s)")
_SENTENCE_END = re.compile(r"[.?!:;)\]][\"'\u201d\u2019]?$")


# "J. Imag." or "et al.": a point that does not end a sentence
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z][a-z]{0,7}|\bal|\bvs|\bet)\.$")


def ends_sentence(text: str) -> bool:
    """Whether a line ends a sentence (not just an abbreviation's point)."""
    return bool(_SENTENCE_END.search(text)) and not _ABBREVIATION_END.search(text)


def clean_line(text: str) -> str:
    """Ligature glyphs as letters, soft hyphens gone, unmapped bullets as '•'."""
    return _CID.sub("", _CID_BULLET.sub("• ", text)).translate(LIGATURES)


@dataclass(frozen=True, slots=True)
class PdfText:
    """The text of a PDF and where each page starts in it."""

    text: str
    page_starts: tuple[int, ...]  # offset of each page's first character


def extract_pdf(path: Path) -> PdfText:
    """Read a PDF's text in reading order; see the module docstring.

    Raises:
        StudyAppError: If the file is not a PDF PDFium can read, is
            encrypted, or has no text layer (a scan).
    """
    pages = [
        (
            page.width,
            page.height,
            [replace(line, text=clean_line(line.text)) for line in page.lines],
        )
        for page in read_pages(path)
    ]
    if not any(lines for _, _, lines in pages):
        raise StudyAppError(
            f"{path}: the PDF has no text layer (a scan?); run OCR on it first"
        )
    furniture = _furniture(pages)
    page_texts: list[str] = []
    for number, (width, _, lines) in enumerate(pages):
        kept = [
            line for index, line in enumerate(lines) if (number, index) not in furniture
        ]
        page_texts.append("\n\n".join(_paragraphs(_reading_order(kept, width))))
    text, starts = _join_pages(page_texts)
    return PdfText(text=text, page_starts=starts)


def _edge_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _furniture(pages: list[tuple[float, float, list[_Line]]]) -> set[tuple[int, int]]:
    """Running headers, footers and page numbers: (page, line index) pairs."""
    candidates: list[tuple[int, int, str]] = []
    for number, (_, height, lines) in enumerate(pages):
        if not lines:
            continue
        order = sorted(range(len(lines)), key=lambda i: lines[i].top)
        edge = {*order[:2], *order[-2:]}
        for index in edge:
            line = lines[index]
            near_edge = line.top < height * 0.12 or line.bottom > height * 0.88
            if near_edge:
                place = "top" if line.top < height / 2 else "bottom"
                candidates.append((number, index, f"{place}:{_edge_key(line.text)}"))
    counts = Counter(key for _, _, key in candidates)
    dropped = set()
    for number, index, key in candidates:
        text = pages[number][2][index].text
        if counts[key] >= 2 or _PAGE_NUMBER.match(text):
            dropped.add((number, index))
    return dropped


def _reading_order(lines: list[_Line], width: float) -> list[_Line]:
    """Full-width lines in place; between them, the left column then the right."""
    middle = width / 2
    ordered: list[_Line] = []
    left: list[_Line] = []
    right: list[_Line] = []

    def flush() -> None:
        ordered.extend(sorted(left, key=lambda line: line.top))
        ordered.extend(sorted(right, key=lambda line: line.top))
        left.clear()
        right.clear()

    two_columns = sum(1 for line in lines if line.x0 > middle - 5) >= 3
    for line in sorted(lines, key=lambda line: (line.top, line.x0)):
        if not two_columns:
            ordered.append(line)
        elif line.x1 <= middle + 10:
            left.append(line)
        elif line.x0 >= middle - 10:
            right.append(line)
        else:  # spans both columns: a title or a full-width figure caption
            flush()
            ordered.append(line)
    flush()
    return ordered


def _paragraphs(lines: list[_Line]) -> list[str]:
    paragraphs: list[list[_Line]] = []
    for line in lines:
        if not paragraphs or _ends_group(paragraphs[-1], line):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [_join_lines([line.text for line in group]) for group in paragraphs]


def _ends_group(group: list[_Line], line: _Line) -> bool:
    first = group[0]
    # a finished list item, then a line back at its marker: a new paragraph
    if (
        _MARKER.match(first.text)
        and line.x0 <= first.x0 + 2
        and ends_sentence(group[-1].text)
    ):
        return True
    return _starts_paragraph(group[-1], line)


def _starts_paragraph(previous: _Line, line: _Line) -> bool:
    height = max(previous.bottom - previous.top, 1.0)
    gap = line.top - previous.bottom
    if _MARKER.match(line.text):
        return True
    if line.bold != previous.bold or abs(line.size - previous.size) > 0.5:
        return True
    if gap < -height:  # the next column: a sentence may go on there
        return ends_sentence(previous.text)
    if gap > height * 0.6:  # a blank line
        return True
    if line.x0 < previous.x0 - 4 and previous.x0 - line.x0 < 40:
        return True  # out of a hanging indent: the next reference entry
    if line.x0 > previous.x0 + 4 and ends_sentence(previous.text):
        return True  # a first-line indent
    short = previous.x1 < line.x1 - 0.25 * (line.x1 - line.x0)
    return short and bool(_SENTENCE_END.search(previous.text))


def _join_lines(texts: list[str]) -> str:
    joined = texts[0]
    for text in texts[1:]:
        joined = _join_pair(joined, text)
    return joined


def _join_pair(before: str, after: str) -> str:
    if re.search(r"[A-Za-z]-$", before) and re.match(r"[a-z]", after):
        word_start = re.search(r"(\S+)-$", before)
        head = word_start.group(1) if word_start else ""
        # "muscle-" + "derived" keeps its hyphen; "temper-" + "ature" loses it.
        if head.lower() in _COMPOUND_HEADS or "-" in head:
            return before + after
        return before[:-1] + after
    return f"{before} {after}"


# First halves of compounds that often end a line with their own hyphen.
_COMPOUND_HEADS = frozenset(
    [
        "anti",
        "self",
        "non",
        "well",
        "high",
        "low",
        "long",
        "short",
        "cross",
        "pre",
        "post",
        "co",
        "multi",
        "muscle",
        "brain",
        "exercise",
        "time",
        "dose",
        "age",
        "sex",
        "cell",
        "blood",
        "gut",
        "bone",
        "liver",
        "insulin",
        "glucose",
        "fat",
        "large",
        "small",
        "full",
        "part",
    ]
)


def _join_pages(page_texts: list[str]) -> tuple[str, tuple[int, ...]]:
    """Join pages; a paragraph cut by a page or column break is put back together.

    Returns the text and the offset where each page's text starts in it (a
    page with no text starts where the next one does).
    """
    text = ""
    starts: list[int] = []
    for part in page_texts:
        if not part:
            starts.append(len(text))
            continue
        if not text:
            starts.append(0)
            text = part
            continue
        last_break = text.rfind("\n\n")
        tail = text[last_break + 2 :]
        first, _, rest = part.partition("\n\n")
        if not ends_sentence(tail) and (
            re.match(r"[a-z(]", first) or _ABBREVIATION_END.search(tail)
        ):
            joined = _join_pair(tail, first)
            starts.append(last_break + 2 + len(joined) - len(first))
            text = text[: last_break + 2] + joined + ("\n\n" + rest if rest else "")
        else:
            starts.append(len(text) + 2)
            text = f"{text}\n\n{part}"
    return text, tuple(starts)
