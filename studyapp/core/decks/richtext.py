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
#: A media file's stored name (content hash, image or audio suffix): the only
#: image source card text may name, and only in the collection's media folder.
MEDIA_NAME = re.compile(r"^[0-9a-f]{64}\.(png|jpg|gif|webp|mp3|ogg|wav|flac|m4a)$")
_IMAGE_NAME = re.compile(r"^[0-9a-f]{64}\.(png|jpg|gif|webp)$")
_SOUND = re.compile(r"\[sound:([^\]]*)\]")
_EMPTY_IMG = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
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


def sanitize_with_media(text: str, *, keep_sounds: bool = False) -> str:
    """Like :func:`sanitize`, but local images stay and sounds are named.

    An ``<img>`` stays only when its source is a stored media name (no
    scheme, no folder, no URL: nothing remote or ``javascript:`` survives);
    the viewer loads it from the media folder. ``[sound:...]`` becomes a
    note that the audio is kept but not yet playable, unless ``keep_sounds``
    (an export to Anki, which plays them).
    """
    if not keep_sounds:
        text = _SOUND.sub("♪ (audio kept, not playable yet)", text)
    if "<img" not in text:
        return sanitize(text)
    cleaned: str = nh3.clean(
        text.replace("\n", "<br>"),
        tags=ALLOWED_TAGS | {"img"},
        attributes={**ALLOWED_ATTRIBUTES, "img": {"src", "alt"}},
        attribute_filter=_media_only,
        url_schemes=set(),
        strip_comments=True,
    )
    return _EMPTY_IMG.sub("", cleaned)  # an image whose source was refused


def _media_only(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not _IMAGE_NAME.match(value):
        return None
    return value


def to_plain_text(text: str) -> str:
    """Card text for a terminal or a list: tags dropped, entities decoded.

    The text is sanitised first, so what a ``<script>`` or ``<style>``
    element holds is dropped with it rather than shown as words (issue 17).
    """
    if "<" in text:
        text = sanitize(text)
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", text))).strip()
