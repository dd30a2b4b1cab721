"""Read Anki packages (.apkg, .colpkg) into decks, refusing unsafe archives."""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import zstandard

from studyapp.core.errors import PackageError
from studyapp.core.interop.anki_notetypes import (
    NoteType,
    card_id_for_guid,
    deck_id_for_name,
    map_note,
    note_type,
)
from studyapp.core.interop.anki_wire import protobuf_fields
from studyapp.core.model import CardSpec, CardType, Deck
from studyapp.core.safety.files import UnsafeFileError, check_regular
from studyapp.core.safety.foreign_db import (
    TIME_BUDGET_SECONDS,
    interrupted,
    open_foreign,
)

MAX_MEMBERS = 100_000
MAX_TOTAL_BYTES = 2 * 1024**3  # all members, uncompressed
MAX_RATIO = 200  # uncompressed / compressed, per member and for the archive
RATIO_MIN_BYTES = 1024**2  # tiny members may compress better than MAX_RATIO
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_NOT_MEDIA = {*COLLECTIONS, "media", "meta"}
_CHUNK = 1024**2
# Absolute ("/x", "\\x", "C:x") or climbing ("..") member names.
_UNSAFE_NAME = re.compile(r"^[/\\]|^[A-Za-z]:|(^|[/\\])\.\.([/\\]|$)")
_PLACEHOLDER = "Please update to the latest Anki version"


@dataclass(frozen=True, slots=True)
class AnkiPackageReport:
    """What reading a package found, beyond the decks themselves."""

    decks: tuple[Deck, ...]
    collection: str  # the member read, e.g. "collection.anki21b"
    notes: int  # notes in the package
    by_type: dict[CardType, int] = field(default_factory=dict)  # notes read
    custom_notes: int = 0  # custom note types read as first field -> second
    skipped: tuple[str, ...] = ()  # one message per note left out
    media_files: int = 0  # media in the package; not imported


def read_anki_package(path: Path | str, scratch: Path | None = None) -> list[Deck]:
    """Read the notes of an Anki package, one deck per Anki deck.

    Args:
        path: An ``.apkg`` or ``.colpkg`` file.
        scratch: Where to unpack it (the data folder's, cleaned at start);
            the system temp folder when None.

    Returns:
        The decks that hold notes, sorted by Anki deck name.

    Raises:
        PackageError: If the file is not a readable, safe Anki package.
    """
    return list(read_anki_package_report(path, scratch).decks)


def read_anki_package_report(
    path: Path | str, scratch: Path | None = None
) -> AnkiPackageReport:
    """Read a package like `read_anki_package`, and say what was left out.

    Raises:
        PackageError: If the file is not a readable, safe Anki package.
    """
    path = Path(path)
    try:  # a FIFO or device would hang or never end: regular files only
        check_regular(path, MAX_TOTAL_BYTES, what="Anki package")
    except UnsafeFileError as error:
        raise PackageError(f"{path}: {error}") from None
    with opened_package(path, scratch) as package:
        return package.report


@dataclass(frozen=True, slots=True)
class OpenedPackage:
    """A checked package, its collection copied out to a temporary file."""

    path: Path
    archive: zipfile.ZipFile
    members: dict[str, zipfile.ZipInfo]
    database: Path  # the collection, plain SQLite
    report: AnkiPackageReport


@contextmanager
def opened_package(path: Path, scratch: Path | None = None) -> Iterator[OpenedPackage]:
    """Check a package, copy its collection out and read its notes.

    The archive and the copy live until the block ends.

    Raises:
        PackageError: If the file is not a readable, safe Anki package.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise PackageError(f"{path}: not an Anki package (zip): {error}") from error
    with (
        archive,
        tempfile.TemporaryDirectory(prefix="studyapp-anki-", dir=scratch) as tmp,
    ):
        members = check_archive(archive, path)
        name = next((n for n in COLLECTIONS if n in members), None)
        if name is None:
            raise PackageError(f"{path}: no Anki collection in the package")
        database = Path(tmp) / "collection.db"
        try:
            _extract_collection(archive, members[name], database, path)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:
            # CRC mismatch, encrypted member, unsupported compression method
            raise PackageError(f"{path}: cannot read {name}: {error}") from error
        media = sum(1 for n in members if n not in _NOT_MEDIA)
        report = _read_collection(database, path, name, media)
        yield OpenedPackage(path, archive, members, database, report)


#: A whole history (a million review rows) is read on one connection.
HISTORY_BUDGET_SECONDS = 600.0


def open_collection(database: Path, shown: Path) -> sqlite3.Connection:
    """The copied-out collection, read-only, plain tables, a time budget."""
    return open_foreign(
        database, shown, (*_TABLES, "revlog"), budget=HISTORY_BUDGET_SECONDS
    )


def check_archive(archive: zipfile.ZipFile, path: Path) -> dict[str, zipfile.ZipInfo]:
    """Check a zip's member names and sizes before anything is read.

    Returns:
        The members by name.

    Raises:
        PackageError: On a path escaping the target, too many members, too
            much data or a compression ratio typical of a zip bomb.
    """
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise PackageError(f"{path}: too many files ({len(infos)} > {MAX_MEMBERS})")
    total = compressed = 0
    for info in infos:
        name = info.filename
        if _UNSAFE_NAME.search(name) or "\0" in name:
            raise PackageError(f"{path}: unsafe file name in package: {name!r}")
        _check_ratio(path, name, info.file_size, info.compress_size)
        total += info.file_size
        compressed += info.compress_size
    if total > MAX_TOTAL_BYTES:
        raise PackageError(
            f"{path}: package expands to {total} bytes (limit {MAX_TOTAL_BYTES})"
        )
    _check_ratio(path, "the package", total, compressed)
    return {info.filename: info for info in infos}


def _check_ratio(path: Path, what: str, size: int, compressed: int) -> None:
    if size >= RATIO_MIN_BYTES and size > MAX_RATIO * max(compressed, 1):
        raise PackageError(
            f"{path}: {what} expands {size // max(compressed, 1)}:1 "
            f"(limit {MAX_RATIO}:1); refusing a possible zip bomb"
        )


def _extract_collection(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, path: Path
) -> None:
    """Copy the collection to ``target``, decompressing anki21b, with a cap."""
    with archive.open(info) as member, target.open("wb") as out:
        if info.filename.endswith(".anki21b"):
            reader = zstandard.ZstdDecompressor().stream_reader(member)
            try:
                cap = max(info.file_size * MAX_RATIO, RATIO_MIN_BYTES)
                written = _copy_capped(reader, out, path, cap)
            except zstandard.ZstdError as error:
                raise PackageError(f"{path}: damaged collection: {error}") from error
            _check_ratio(path, info.filename, written, info.file_size)
        else:
            _copy_capped(member, out, path, info.file_size)


def _copy_capped(source: IO[bytes], out: IO[bytes], path: Path, cap: int) -> int:
    written = 0
    limit = min(cap, MAX_TOTAL_BYTES)
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if written > limit:
            raise PackageError(f"{path}: collection expands beyond {limit} bytes")
        out.write(chunk)
    return written


def _read_collection(
    database: Path, path: Path, member: str, media: int
) -> AnkiPackageReport:
    try:
        note_types, deck_names, note_rows, deck_of = _query_collection(database, path)
    except sqlite3.Error as error:
        if interrupted(error):
            raise PackageError(
                f"{path}: reading the Anki collection took longer than "
                f"{TIME_BUDGET_SECONDS:g} s; it is damaged or built to hang "
                "StudyApp. Export it again from Anki."
            ) from None
        raise PackageError(f"{path}: damaged Anki collection: {error}") from None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        reason = str(error)[:200] or type(error).__name__
        raise PackageError(f"{path}: damaged Anki collection: {reason}") from None
    only = note_rows[0][4] if len(note_rows) == 1 else ""
    if member == "collection.anki2" and str(only).startswith(_PLACEHOLDER):
        raise PackageError(f"{path}: the package holds only a placeholder")
    return _build_report(
        path, member, media, note_rows, note_types, deck_names, deck_of
    )


_NoteRow = tuple[int, str, int, str, str]  # id, guid, note type id, tags, fields


_TABLES = ("col", "notes", "cards", "fields", "templates", "notetypes", "decks")


def _query_collection(
    database: Path, shown: Path
) -> tuple[dict[int, NoteType], dict[int, str], list[_NoteRow], dict[int, int]]:
    """Note types, deck names, notes and each note's deck (that of its first card)."""
    # Read-only, immutable, plain tables only, a time budget (safety/foreign_db).
    db = open_foreign(database, shown, _TABLES)
    try:
        legacy = db.execute("SELECT models, decks FROM col").fetchone()
        if legacy and legacy[0]:
            note_types, deck_names = _legacy_schema(legacy[0], legacy[1])
        else:
            note_types, deck_names = _modern_schema(db)
        rows = db.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")
        note_rows: list[_NoteRow] = rows.fetchall()
        # A card in a filtered deck keeps its home deck in odid. SQLite takes
        # the bare columns from the row holding MIN(ord).
        cards = db.execute(
            "SELECT nid, CASE WHEN odid != 0 THEN odid ELSE did END, MIN(ord) "
            "FROM cards GROUP BY nid"
        )
        deck_of = {int(nid): int(did) for nid, did, _ in cards}
    finally:
        db.close()
    return note_types, deck_names, note_rows, deck_of


def _build_report(
    path: Path,
    member: str,
    media: int,
    note_rows: list[_NoteRow],
    note_types: dict[int, NoteType],
    deck_names: dict[int, str],
    deck_of: dict[int, int],
) -> AnkiPackageReport:
    by_deck: dict[str, list[CardSpec]] = {}
    by_type: Counter[CardType] = Counter()
    custom = 0
    skipped: list[str] = []
    seen: set[str] = set()
    for note_id, guid, mid, tags, fields in note_rows:
        bad = _bad_note_row(guid, tags, fields, seen)
        if bad:
            skipped.append(f"note {str(note_id)[:20]}: {bad}")
            continue
        seen.add(guid)
        note_type = note_types.get(mid)
        if note_type is None:
            skipped.append(f"note {note_id}: unknown note type {mid}")
            continue
        if note_id not in deck_of:
            skipped.append(f"note {note_id}: has no cards")
            continue
        card_id = card_id_for_guid(guid)
        spec, problem = map_note(note_type, card_id, fields.split("\x1f"), tags.split())
        if spec is None:
            skipped.append(f"note {note_id} ({note_type.name}): {problem}")
            continue
        by_type[spec.type] += 1
        custom += not note_type.is_standard
        name = deck_names.get(deck_of[note_id], f"Anki deck {deck_of[note_id]}")
        by_deck.setdefault(name, []).append(spec)
    decks = _make_decks(by_deck, path)
    if not decks and skipped:
        raise PackageError(
            f"{path}: none of its {len(note_rows)} notes can be read "
            f"(first: {skipped[0]}); export it again from Anki"
        )
    return AnkiPackageReport(
        decks=decks,
        collection=member,
        notes=len(note_rows),
        by_type=dict(by_type),
        custom_notes=custom,
        skipped=tuple(skipped),
        media_files=media,
    )


def _bad_note_row(guid: object, tags: object, fields: object, seen: set[str]) -> str:
    """Why a note row cannot be read (wrong types, a repeated guid), or ''."""
    if not isinstance(guid, str) or not guid:
        return "no guid (the package is damaged)"
    if guid in seen:
        return "repeats the guid of an earlier note"
    if not isinstance(fields, str) or not isinstance(tags, str):
        return "fields or tags are not text (the package is damaged)"
    return ""


def _make_decks(by_deck: dict[str, list[CardSpec]], path: Path) -> tuple[Deck, ...]:
    decks: list[Deck] = []
    used: set[str] = set()
    for name in sorted(by_deck):
        deck_id = base = deck_id_for_name(name)
        number = 1
        while deck_id in used:
            number += 1
            deck_id = f"{base}-{number}"
        used.add(deck_id)
        decks.append(
            Deck(id=deck_id, title=name, cards=tuple(by_deck[name]), path=str(path))
        )
    return tuple(decks)


def _legacy_schema(
    models_json: str, decks_json: str
) -> tuple[dict[int, NoteType], dict[int, str]]:
    """Note types and deck names from the JSON in the ``col`` table (schema 11)."""
    note_types: dict[int, NoteType] = {}
    for model in json.loads(models_json).values():
        fields = sorted(model["flds"], key=lambda f: int(f["ord"]))
        templates = sorted(model["tmpls"], key=lambda t: int(t["ord"]))
        note_types[int(model["id"])] = note_type(
            str(model["name"]),
            is_cloze=int(model.get("type", 0)) == 1,
            fields=tuple(str(f["name"]) for f in fields),
            templates=tuple(str(t["qfmt"]) for t in templates),
        )
    decks = {int(d["id"]): str(d["name"]) for d in json.loads(decks_json).values()}
    return note_types, decks


def _modern_schema(
    db: sqlite3.Connection,
) -> tuple[dict[int, NoteType], dict[int, str]]:
    """Note types and deck names from the tables of schema 18 (protobuf configs)."""
    fields: dict[int, list[str]] = {}
    for ntid, name in db.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(str(name))
    templates: dict[int, list[str]] = {}
    rows = db.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord")
    for ntid, config in rows:
        qfmt = protobuf_fields(bytes(config)).get(1, [b""])[0]
        templates.setdefault(ntid, []).append(_text(qfmt))
    note_types: dict[int, NoteType] = {}
    for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes"):
        kind = protobuf_fields(bytes(config)).get(1, [0])[0]
        note_types[ntid] = note_type(
            str(name),
            is_cloze=kind == 1,
            fields=tuple(fields.get(ntid, ())),
            templates=tuple(templates.get(ntid, ())),
        )
    decks = {
        int(deck_id): str(name).replace("\x1f", "::")
        for deck_id, name in db.execute("SELECT id, name FROM decks")
    }
    return note_types, decks


def _text(value: int | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""
