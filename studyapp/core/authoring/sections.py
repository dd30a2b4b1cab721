"""Lines of a document and the headings of a real article, whatever they are called."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Part(enum.Enum):
    """The parts of an article the drafter reads."""

    ABSTRACT = "abstract"
    KEY_POINTS = "key points"
    GLOSSARY = "glossary"
    ABBREVIATIONS = "abbreviations"
    REFERENCES = "references"
    BOX = "box"
    OTHER = "other"  # a heading that ends the part before it


HEADINGS: dict[Part, tuple[str, ...]] = {
    Part.ABSTRACT: ("abstract", "summary", "synopsis"),
    Part.KEY_POINTS: (
        "key points",
        "key point",
        "key messages",
        "key message",
        "highlights",
        "research highlights",
        "in brief",
        "at a glance",
        "summary points",
        "key findings",
        "main points",
        "take-home messages",
        "take home messages",
        "key takeaways",
        "takeaways",
        "what this study adds",
        "bullet points",
    ),
    Part.GLOSSARY: (
        "glossary",
        "glossary of terms",
        "definitions",
        "key terms",
        "key terms and definitions",
        "terminology",
        "terms",
    ),
    Part.ABBREVIATIONS: (
        "abbreviations",
        "list of abbreviations",
        "abbreviations used",
    ),
    Part.REFERENCES: (
        "references",
        "reference",
        "further reading",
        "reference list",
        "references and notes",
        "notes and references",
        "bibliography",
        "literature cited",
        "literature",
        "works cited",
        "cited literature",
        "sources",
    ),
    Part.OTHER: (
        "introduction",
        "background",
        "methods",
        "materials and methods",
        "results",
        "discussion",
        "conclusion",
        "conclusions",
        "concluding remarks",
        "perspectives",
        "future directions",
        "outlook",
        "acknowledgements",
        "acknowledgments",
        "funding",
        "author information",
        "author contributions",
        "additional information",
        "competing interests",
        "conflict of interest",
        "conflicts of interest",
        "declaration of interests",
        "data availability",
        "rights and permissions",
        "about this article",
        "cite this article",
        "download references",
        "ethics declarations",
        "supplementary information",
        "supplementary material",
        "footnotes",
        "notes",
        "appendix",
        "figures",
        "tables",
        "related articles",
        "similar content being viewed by others",
    ),
}
_NAMES = {name: part for part, names in HEADINGS.items() for name in names}
# "Box 1 | Title", "Box 2: Title", "BOX 3. Title", "Box 1"
BOX = re.compile(
    r"^box\s+\d{1,2}[a-z]?\b(?:\s*[|:.\u2014\u2013-]\s*(?P<title>\S.*))?$", re.I
)
# Numbering in front of a heading: "1.", "2.3", "IV."
_NUMBERING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,5}\.)\s+")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


# Patterns the section readers share.
BULLET = re.compile(r"^(?:[•●▪◦‣∙·*\-\u2013]|\d{1,2}[.)])\s+(\S.*)$")
SENTENCE_END = re.compile(r"[.?!)](?:[\u201d\u2019\"']?)$")
# Link buttons a saved page prints after a reference: "CAS PubMed Google Scholar"
LINK_WORDS = (
    r"(?:CAS|PubMed Central|PubMed|Google Scholar|Article|ADS|Crossref|"
    r"MathSciNet|Web of Science|Full Text|View Article)"
)


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line of the document."""

    number: int  # 1-based line in the text, for warnings
    text: str  # stripped
    offset: int  # where the stripped text starts in the document


def split_lines(text: str) -> list[Line]:
    """The document's non-blank lines with their numbers and offsets."""
    lines: list[Line] = []
    offset = 0
    for number, raw in enumerate(text.splitlines(keepends=True), start=1):
        stripped = raw.strip()
        if stripped:
            lines.append(Line(number, stripped, offset + raw.index(stripped[0])))
        offset += len(raw)
    return lines


def heading_name(text: str) -> str:
    """A line as a heading name: no numbering, markup or trailing colon; lower case."""
    name = _MARKDOWN_HEADING.sub("", text.strip())
    name = name.strip("*_ ").rstrip(":").strip("*_ ")
    name = _NUMBERING.sub("", name)
    return " ".join(name.lower().split())


def part_of(line: Line) -> Part | None:
    """Which part a heading line starts, or None if the line is no known heading."""
    if len(line.text) > 80:
        return None
    box = BOX.match(heading_name(line.text))
    if box:  # "Box 1 | Glossary" is the glossary
        named = _NAMES.get(box["title"] or "")
        return named if named not in (None, Part.OTHER) else Part.BOX
    return _NAMES.get(heading_name(line.text))


def find_heading(lines: list[Line], part: Part, start: int = 0) -> int | None:
    """Index of the first heading of ``part`` at or after ``start``."""
    for index in range(start, len(lines)):
        if part_of(lines[index]) is part:
            return index
    return None


def heading_label(line: Line) -> str:
    """The heading as the card's source section names it (as written)."""
    text = _MARKDOWN_HEADING.sub("", line.text).strip("*_ ").rstrip(":").strip("*_ ")
    return text


def section_end(lines: list[Line], start: int) -> int:
    """Index of the next known heading after ``start`` (or the end)."""
    for index in range(start + 1, len(lines)):
        if part_of(lines[index]) is not None:
            return index
    return len(lines)
