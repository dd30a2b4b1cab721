"""Card text as safe rich text: a small HTML subset, never scripts or remote loads."""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "sub",
    "sup",
    "br",
    "p",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "span",
    "div",
    "mark",
    "small",
    "blockquote",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"span": {"class"}, "div": {"class"}}
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>|</p>|</div>|</li>", re.IGNORECASE)


def sanitize(text: str) -> str:
    """Keep only harmless formatting: no scripts, handlers, links or images.

    Plain text (no tags, no entities) has its newlines turned into line
    breaks. Text with entities (``Tom &amp; Jerry``, as Anki stores ``&``)
    is HTML already and is not escaped a second time.
    """
    if "<" not in text and "&" not in text:
        return html.escape(text).replace("\n", "<br>")
    cleaned: str = nh3.clean(
        text.replace("\n", "<br>"),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(),
        strip_comments=True,
    )
    return cleaned


def to_plain_text(text: str) -> str:
    """Card text for a terminal or a list: tags dropped, entities decoded.

    The text is sanitised first, so what a ``<script>`` or ``<style>``
    element holds is dropped with it rather than shown as words (issue 17).
    """
    if "<" in text:
        text = sanitize(text)
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", text))).strip()
