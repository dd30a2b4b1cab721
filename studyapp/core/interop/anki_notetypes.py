"""How Anki note types, guids and deck names map to our cards and decks."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from studyapp.core.decks.cloze import cloze_numbers
from studyapp.core.decks.problems import MAX_FIELD_CHARS
from studyapp.core.model import CardKind, CardSpec, CardType


@dataclass(frozen=True, slots=True)
class NoteType:
    """An Anki note type, reduced to how its notes become our cards."""

    name: str
    fields: tuple[str, ...]
    type: CardType  # how its notes are read
    is_standard: bool = True  # False: a custom type read as first -> second field
    text_field: int = 0  # the cloze text of a cloze type
    reverse_if: int | None = None  # optional reverse: the field that turns it on


_RENAMED = re.compile(r"(\+|-[0-9a-f]{5})+$")
_TAG = re.compile(r"\{\{([#^/]?)([^}]*)\}\}")


def note_type(
    name: str, *, is_cloze: bool, fields: tuple[str, ...], templates: tuple[str, ...]
) -> NoteType:
    """Classify a note type by its fields and question templates.

    A cloze type (Anki's type 1) reads its ``{{cloze:...}}`` field. One
    template showing the first field is basic (typed if it has
    ``{{type:<second field>}}``); two templates showing the first and then
    the second field are reversed, optionally so when the second sits in a
    ``{{#Field}}`` section, as in "Basic (optional reversed card)". Anything
    else is custom and read as first field -> second field.
    """
    if is_cloze:
        cloze = [n for f, n in _template_refs(templates[:1]) if f == "cloze"]
        index = fields.index(cloze[0]) if cloze and cloze[0] in fields else 0
        return NoteType(name, fields, CardType.CLOZE, text_field=index)
    if len(fields) >= 2 and len(templates) in (1, 2):
        first = _template_refs(templates[:1])
        if ("", fields[0]) in first and len(templates) == 1:
            typed = ("type", fields[1]) in first
            return NoteType(name, fields, CardType.TYPED if typed else CardType.BASIC)
        second = _template_refs(templates[1:])
        if ("", fields[0]) in first and ("", fields[1]) in second:
            sections = [n for f, n in second if f == "#" and n in fields[2:]]
            switch = fields.index(sections[0]) if sections else None
            return NoteType(name, fields, CardType.REVERSED, reverse_if=switch)
    return NoteType(name, fields, CardType.BASIC, is_standard=False)


def _template_refs(templates: tuple[str, ...]) -> set[tuple[str, str]]:
    """(mark, field name) for each ``{{...}}`` tag in the templates.

    The mark is a section's ``#``/``^``/``/``, ``type`` or ``cloze``, else
    empty: display filters such as ``{{furigana:Front}}`` show the field.
    """
    refs: set[tuple[str, str]] = set()
    for template in templates:
        for mark, body in _TAG.findall(template):
            *filters, name = body.split(":")
            special = [f for f in filters if f in ("type", "cloze")]
            refs.add((mark or (special[0] if special else ""), name.strip()))
    return refs


def map_note(
    notetype: NoteType,
    card_id: str,
    fields: list[str],
    tags: list[str],
    *,
    kind: CardKind = CardKind.BASIC,
) -> tuple[CardSpec | None, str]:
    """Our card for one Anki note, or None and the reason it is left out."""
    values = fields + [""] * (len(notetype.fields) - len(fields))
    if any(len(value) > MAX_FIELD_CHARS for value in values):
        return None, f"a field is longer than {MAX_FIELD_CHARS:,} characters"
    if notetype.type is CardType.CLOZE:
        text = values[notetype.text_field]
        if "image-occlusion:" in text:
            return None, "image occlusion notes are not supported"
        if not cloze_numbers(text):
            return None, "no cloze deletions"
        extra = [v for i, v in enumerate(values) if i != notetype.text_field][:1]
        spec = CardSpec(
            id=card_id,
            kind=kind,
            type=CardType.CLOZE,
            cloze=text,
            back=extra[0] if extra else "",
            tags=tuple(tags),
        )
        return spec, ""
    front, back = values[0], values[1] if len(values) > 1 else ""
    if not front.strip():
        return None, "empty first field"
    card_type = notetype.type
    if notetype.reverse_if is not None and not values[notetype.reverse_if].strip():
        card_type = CardType.BASIC
    spec = CardSpec(
        id=card_id,
        kind=kind,
        type=card_type,
        front=front,
        back=back,
        tags=tuple(tags),
    )
    return spec, ""


def card_id_for_guid(guid: str) -> str:
    """A stable card id from an Anki note guid; other characters become _hex."""
    escaped = "".join(
        c if c.isascii() and (c.isalnum() or c in ".-") else _escape(c) for c in guid
    )
    return f"anki-{escaped}"


def _escape(char: str) -> str:
    return "".join(f"_{byte:02x}" for byte in char.encode())


def deck_id_for_name(name: str) -> str:
    """Our deck id for an Anki deck name: ``Heldout 1::Sub`` -> ``heldout-1-sub``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "anki-deck"


STANDARD_NOTE_TYPES = {
    "Basic": NoteType("Basic", ("Front", "Back"), CardType.BASIC),
    "Basic (and reversed card)": NoteType(
        "Basic (and reversed card)", ("Front", "Back"), CardType.REVERSED
    ),
    "Basic (optional reversed card)": NoteType(
        "Basic (optional reversed card)",
        ("Front", "Back", "Add Reverse"),
        CardType.REVERSED,
        reverse_if=2,
    ),
    "Basic (type in the answer)": NoteType(
        "Basic (type in the answer)", ("Front", "Back"), CardType.TYPED
    ),
    "Cloze": NoteType("Cloze", ("Text", "Back Extra"), CardType.CLOZE),
}
NOTE_TYPE_NAMES = {kind.type: name for name, kind in STANDARD_NOTE_TYPES.items()}
NOTE_TYPE_NAMES[CardType.REVERSED] = "Basic (and reversed card)"


@functools.lru_cache(maxsize=256)
def note_type_by_name(name: str) -> NoteType:
    """One of Anki's stock note types by name; any other is custom (2 fields).

    Anki renames an imported note type that clashes with one it has, e.g.
    ``Basic+`` or ``Basic-1a2b3``; such names still count as the stock type.
    """
    standard = STANDARD_NOTE_TYPES.get(_RENAMED.sub("", name.strip()))
    if standard is not None:
        return standard
    return NoteType(name, ("Front", "Back"), CardType.BASIC, is_standard=False)
