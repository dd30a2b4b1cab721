"""Read a document for drafting: PDF, saved web page, Markdown or plain text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from studyapp.core.errors import StudyAppError

MAX_BYTES = 64 * 1024 * 1024  # bigger files are not articles; refuse them early
PDF_SUFFIXES = (".pdf",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A document's text as the drafter reads it and the deck will quote it."""

    path: Path
    kind: str  # "pdf", "html", "markdown" or "text"
    text: str
    title: str = ""
    page_starts: tuple[int, ...] = ()  # PDFs: offset where each page starts

    def with_pages(self, warnings: tuple[str, ...]) -> tuple[str, ...]:
        """Warnings that name a line of a PDF's text also name its page."""
        if not self.page_starts:
            return warnings
        starts = [0]
        for line in self.text.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))

        def page_of(match: re.Match[str]) -> str:
            number = int(match.group(1))
            if not 0 < number < len(starts):
                return match.group()
            return f"{match.group()}, p. {self.page_at(starts[number - 1])}"

        return tuple(re.sub(r"\bline (\d+)", page_of, w) for w in warnings)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding ``offset``, or None for documents without pages."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))


def read_document(path: Path) -> SourceDocument:
    """Read and extract a document's text by its file type.

    Raises:
        StudyAppError: If the file cannot be read, is too large, or holds no
            text; the message names the file and what to do.
    """
    try:
        size = path.stat().st_size
    except OSError as error:
        raise StudyAppError(f"{path}: cannot read: {error.strerror}") from None
    if size > MAX_BYTES:
        raise StudyAppError(
            f"{path}: {size // 2**20} MiB is too large to draft from "
            f"(limit {MAX_BYTES // 2**20} MiB); split the document"
        )
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        from studyapp.core.authoring.extract_pdf import extract_pdf

        pdf = extract_pdf(path)
        return SourceDocument(path, "pdf", pdf.text, page_starts=pdf.page_starts)
    raw = _read_text(path)
    if suffix in HTML_SUFFIXES or raw.lstrip()[:15].lower().startswith(
        ("<!doctype html", "<html")
    ):
        from studyapp.core.authoring.extract_html import extract_html

        page = extract_html(raw, where=str(path))
        return SourceDocument(path, "html", page.text, title=page.title)
    if suffix in MARKDOWN_SUFFIXES:
        return SourceDocument(path, "markdown", markdown_to_text(raw))
    return SourceDocument(path, "text", raw)


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    raise StudyAppError(f"{path}: cannot read as UTF-8 text; save it as UTF-8")


_MD_RULES = (
    (re.compile(r"^(\s*)#{1,6}\s+(.*?)\s*#*\s*$", re.M), r"\1\2"),  # headings
    (re.compile(r"^(\s*)[-*+]\s+", re.M), r"\1• "),  # bullets
    (re.compile(r"^:\s+", re.M), ""),  # definition list ": definition"
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),  # italics
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
    (re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$", re.M), ""),  # rules
    (re.compile(r"^>\s?", re.M), ""),  # quotes
)


def markdown_to_text(markdown: str) -> str:
    """Markdown as a reader sees it: no markup, bullets as "•", structure kept."""
    text = markdown
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text
