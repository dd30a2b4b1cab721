"""The main text of a saved web page (readability-lxml, Apache-2.0).

Page furniture (navigation, cookie banners, scripts, promotions, sidebars,
footers) is cut before readability picks the article, so a banner inside the
article element does not survive either. The article's HTML is then written
out as plain text that keeps its structure: headings on lines of their own,
list items as "• item" or "1. item", definition lists as a term line followed
by its definition line, one paragraph per line with blank lines between.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from studyapp.core.errors import StudyAppError

# Class or id words that mark page furniture rather than the article.
_CLUTTER = re.compile(
    r"(?:^|[\s_-])(?:cookie|consent|gdpr|banner|promo|promotion|advert|ads?|"
    r"sponsor|newsletter|subscribe|subscription|paywall|share|sharing|social|"
    r"related|recommended|sidebar|breadcrumbs?|nav|navbar|menu|masthead|"
    r"site-header|site-footer|footer|comments?|popup|modal|toolbar)(?:$|[\s_-])",
    re.IGNORECASE,
)
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "form",
    "button",
    "iframe",
    "svg",
    "canvas",
    "select",
    "input",
)
_BLOCK = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "aside",
        "blockquote",
        "figure",
        "figcaption",
        "table",
        "tr",
        "pre",
        "address",
        "details",
        "summary",
    ]
)
_HEADING = re.compile(r"^h[1-6]$")
_PARTING = ":.;,-\u2013\u2014"  # punctuation that parts a term from its text


@dataclass(frozen=True, slots=True)
class HtmlText:
    """The article's text and the title the page gives it."""

    text: str
    title: str


def extract_html(html: str, *, where: str) -> HtmlText:
    """The article text of a web page; see the module docstring.

    Args:
        html: The page's HTML.
        where: The file's name, for error messages.

    Raises:
        StudyAppError: If the page has no article text.
    """
    import lxml.html
    from lxml import etree
    from readability import Document

    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as error:
        raise StudyAppError(f"{where}: not an HTML page ({error})") from None
    h1 = tree.xpath("//h1")
    page_title = h1[0].text_content().strip() if h1 else ""
    _drop_clutter(tree)
    cleaned = lxml.html.tostring(tree, encoding="unicode")
    try:
        summary = Document(cleaned).summary(html_partial=True)
    except Exception as error:  # readability raises bare Unpparseable errors
        raise StudyAppError(f"{where}: no article text found ({error})") from None
    article = lxml.html.fragment_fromstring(summary, create_parent="div")
    # readability keeps the best-scoring block; if the page marks its article
    # and that holds more headings (e.g. a reference list beside it), use it.
    marked = tree.xpath("//article | //main | //*[@role='main']")
    if marked and _heading_count(marked[0]) > _heading_count(article):
        article = marked[0]
    lines: list[str] = []
    try:
        _write(article, lines)
    except RecursionError:  # elements nested thousands deep: no article
        raise StudyAppError(
            f"{where}: the page nests its elements too deeply to read"
        ) from None
    text = "\n\n".join(line for line in lines if line)
    if not text.strip():
        raise StudyAppError(f"{where}: no article text found in the page")
    if page_title and not text.startswith(page_title):
        text = f"{page_title}\n\n{text}"
    return HtmlText(text=text, title=page_title)


def _heading_count(element: Any) -> int:
    return len(element.xpath(".//h1|.//h2|.//h3|.//h4"))


def _drop_clutter(tree: Any) -> None:
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            if element.getparent() is not None:
                element.drop_tree()
            continue
        tag = element.tag.lower()
        marks = f"{element.get('class', '')} {element.get('id', '')}"
        role = element.get("role", "")
        clutter = tag in _DROP_TAGS or role in ("navigation", "banner", "contentinfo")
        if not clutter and tag not in ("html", "body", "main", "article"):
            clutter = bool(_CLUTTER.search(marks)) and not _is_box(element)
        if tag == "header" and element.xpath("ancestor::article"):
            clutter = False  # an article's own header holds its title
        if tag == "aside" and not _is_box(element):
            clutter = True
        if clutter and element.getparent() is not None:
            element.drop_tree()


def _is_box(element: Any) -> bool:
    """A boxed passage of the article ("Box 1 | ..."), not a sidebar."""
    marks = f"{element.get('class', '')} {element.get('id', '')}"
    if re.search(r"\bbox\b", marks, re.IGNORECASE):
        return True
    first = element.xpath(".//h2|.//h3|.//h4|.//strong|.//b")
    return bool(first) and bool(
        re.match(r"\s*box\s+\d", first[0].text_content(), re.IGNORECASE)
    )


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _write(element: Any, lines: list[str]) -> None:
    """Append the element's text, one block per entry of ``lines``."""
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if _HEADING.match(tag) or tag in ("p", "figcaption", "summary"):
        lines.extend(_run_in_term(element) or [_text(element)])
        return
    if tag == "tr":  # a table row: cells apart, e.g. a glossary table
        cells = [_text(cell) for cell in element if isinstance(cell.tag, str)]
        lines.append("\t".join(cell for cell in cells if cell))
        return
    if tag in ("ul", "ol"):
        number = 0
        for item in element:
            if not isinstance(item.tag, str) or item.tag.lower() != "li":
                continue
            number += 1
            marker = f"{number}." if tag == "ol" else "•"
            blocks = [c for c in item if isinstance(c.tag, str) and c.tag in _BLOCK]
            text = " ".join(_text(c) for c in blocks) if blocks else _text(item)
            lines.append(f"{marker} {text}")
        return
    if tag == "dl":
        for item in element:
            if isinstance(item.tag, str) and item.tag.lower() in ("dt", "dd"):
                lines.append(_text(item))
        return
    if tag == "br":
        return
    # Text directly inside a block (not in a child paragraph) is a paragraph.
    loose = [(element.text or "").strip()]
    for child in element:
        child_tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if (
            child_tag in _BLOCK
            or child_tag in ("ul", "ol", "dl", "li")
            or _HEADING.match(child_tag)
        ):
            if any(loose):
                lines.append(" ".join(" ".join(loose).split()))
            loose = []
            _write(child, lines)
        else:
            loose.append(_text(child))
        loose.append((child.tail or "").strip())
    if any(loose):
        lines.append(" ".join(" ".join(part for part in loose if part).split()))


def _run_in_term(element: Any) -> list[str]:
    """A bold run-in term ("<b>Term</b> Definition") and the rest, as two lines.

    Only when the bold run has no punctuation of its own to part it from the
    rest; "<b>Term:</b> definition" stays one line, as it reads.
    """
    children = [child for child in element if isinstance(child.tag, str)]
    if not children or (element.text or "").strip():
        return []
    first = children[0]
    if first.tag.lower() not in ("b", "strong", "dfn"):
        return []
    term = _text(first)
    rest = " ".join(
        (
            " ".join(
                [(first.tail or "")]
                + [_text(c) + " " + (c.tail or "") for c in children[1:]]
            )
        ).split()
    )
    if not term or not rest or len(term.split()) > 8 or term[-1] in _PARTING:
        return []
    if rest[0] in _PARTING or not rest[0].isalpha():
        return []
    return [term, rest]
