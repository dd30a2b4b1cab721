"""Student side: joining with an invitation link and pulling the class decks.

Pulled decks are written under ``classes/<class>/`` in the data folder and
imported through the Library like any deck file, so an edited deck updates
the cards in place and keeps their review history.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from studyapp.core.classroom.config import ClassConfig, load_config, save_config
from studyapp.core.classroom.server import ClassError, session, split_invitation
from studyapp.core.decks.reader import load_deck
from studyapp.core.errors import DeckError
from studyapp.core.library import Library
from studyapp.core.model import ImportSummary

CLASSES_DIR = "classes"
#: A published deck and its texts are bounded (untrusted server data).
MAX_DECK_BYTES = 64 * 1024 * 1024
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


@dataclass(frozen=True, slots=True)
class PullResult:
    """Decks updated by a pull, and the ones already up to date."""

    imported: list[ImportSummary]
    unchanged: list[str]


def join(data_dir: Path, link: str) -> ClassConfig:
    """Redeem an invitation link; the collection becomes a member of the class."""
    if load_config(data_dir) is not None:
        raise ClassError(
            "this collection already belongs to a class; leave it first "
            "(studyapp class leave)"
        )
    url, token = split_invitation(link)
    with session(url) as conn:
        row = conn.execute(
            "SELECT class_id, student_id, role_name, password"
            " FROM studyapp.join_class(%s)",
            (token,),
        ).fetchone()
    assert row is not None  # join_class returns one row or raises
    class_id, student_id, role, password = row
    config = ClassConfig(
        url=_without_credentials(url),
        class_id=class_id,
        student_id=str(student_id),
        role=role,
        password=password,
    )
    save_config(data_dir, config)
    return config


def _without_credentials(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


def student_session(config: ClassConfig) -> Any:
    """A connection to the server as this student's own role."""
    return session(config.url, user=config.role, password=config.password)


def set_sharing(data_dir: Path, on: bool) -> ClassConfig:
    """Switch sharing on or off; off means pushes send nothing."""
    config = load_config(data_dir)
    if config is None:
        raise ClassError("this collection has joined no class")
    config = replace(config, sharing=on)
    save_config(data_dir, config)
    return config


def pull(
    library: Library,
    data_dir: Path,
    *,
    now: datetime,
    connect: Callable[[ClassConfig], Any] = student_session,
) -> PullResult:
    """Fetch the class's latest deck versions and import the changed ones.

    All changed decks are imported together, all or nothing; the hashes of
    what was imported are remembered so an unchanged deck is not fetched again.
    """
    config = load_config(data_dir)
    if config is None:
        raise ClassError("this collection has joined no class")
    with connect(config) as conn:
        rows = conn.execute(
            "SELECT DISTINCT ON (deck_id) deck_id, content_hash, yaml, sources"
            " FROM studyapp.deck_versions WHERE class_id = %s"
            " ORDER BY deck_id, version DESC",
            (config.class_id,),
        ).fetchall()
    folder = data_dir / CLASSES_DIR / config.class_id
    files, hashes, unchanged = [], dict(config.decks), []
    for deck_id, content_hash, yaml, sources in rows:
        if config.decks.get(deck_id) == content_hash and (folder / deck_id).is_dir():
            unchanged.append(deck_id)
            continue
        files.append(_write_deck(folder, deck_id, yaml, sources))
        hashes[deck_id] = content_hash
    imported = library.import_paths(files, now=now) if files else []
    save_config(data_dir, replace(config, decks=hashes))
    return PullResult(imported, unchanged)


def _write_deck(folder: Path, deck_id: str, yaml: str, sources: Any) -> Path:
    """Write one published deck and its texts; refuse anything unsafe."""
    where = f"published deck {deck_id!r}"
    if not _SAFE_ID.match(deck_id):
        raise ClassError(f"{where}: the id is not a safe file name")
    if not isinstance(sources, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in sources.items()
    ):
        raise ClassError(f"{where}: the source texts are malformed")
    size = len(yaml.encode()) + sum(len(text.encode()) for text in sources.values())
    if size > MAX_DECK_BYTES:
        raise ClassError(f"{where}: {size} bytes is more than a deck may have")
    deck_dir = folder / deck_id
    deck_dir.mkdir(parents=True, exist_ok=True)
    for name, text in sources.items():
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise ClassError(f"{where}: source path {name!r} leaves the deck folder")
        target = deck_dir.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    path = deck_dir / "deck.yaml"
    path.write_text(yaml, encoding="utf-8")
    try:
        deck = load_deck(path)
    except DeckError as error:
        raise ClassError(f"{where} is not a valid deck:\n{error}") from None
    if deck.id != deck_id:
        raise ClassError(f"{where}: the file says it is deck {deck.id!r}")
    for source in deck.sources:
        if source.text_path and source.text_path not in sources:
            raise ClassError(
                f"{where}: source text {source.text_path!r} was not published"
            )
    return path
