"""This collection's class membership, kept in ``class.json`` in the data folder.

The file holds the server address, the student's own login and where the
last push stopped. It is written atomically and readable by its owner only.
No file, or sharing switched off, means nothing is ever sent.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from studyapp.core.classroom.server import ClassError

CONFIG_NAME = "class.json"


@dataclass(frozen=True, slots=True)
class Cursor:
    """The newest local row already on the server: (time in ms, row id)."""

    at_ms: int = 0
    row_id: int = 0


@dataclass(frozen=True, slots=True)
class ClassConfig:
    """A student's membership of one class."""

    url: str  # the server, without credentials
    class_id: str
    student_id: str
    role: str
    password: str
    sharing: bool = True
    decks: dict[str, str] = field(default_factory=dict)  # deck id -> content hash
    reviews: Cursor = Cursor()
    exams: Cursor = Cursor()

    def with_cursors(self, *, reviews: Cursor, exams: Cursor) -> ClassConfig:
        """The same membership with the push cursors moved."""
        return replace(self, reviews=reviews, exams=exams)


def config_path(data_dir: Path) -> Path:
    """Where a collection's class membership is kept."""
    return data_dir / CONFIG_NAME


def load_config(data_dir: Path) -> ClassConfig | None:
    """The membership of this collection, or None when it has joined no class."""
    path = config_path(data_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return ClassConfig(
            url=str(raw["url"]),
            class_id=str(raw["class_id"]),
            student_id=str(raw["student_id"]),
            role=str(raw["role"]),
            password=str(raw["password"]),
            sharing=bool(raw.get("sharing", True)),
            decks={str(k): str(v) for k, v in dict(raw.get("decks", {})).items()},
            reviews=Cursor(*_pair(raw.get("reviews"))),
            exams=Cursor(*_pair(raw.get("exams"))),
        )
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ClassError(
            f"{path}: the class settings are damaged ({error}); delete the file "
            "and join the class again"
        ) from None


def _pair(value: Any) -> tuple[int, int]:
    at_ms, row_id = value if value is not None else (0, 0)
    return int(at_ms), int(row_id)


def save_config(data_dir: Path, config: ClassConfig) -> None:
    """Write the membership atomically, readable by the owner only."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = config_path(data_dir)
    values = asdict(config)
    values["reviews"] = [config.reviews.at_ms, config.reviews.row_id]
    values["exams"] = [config.exams.at_ms, config.exams.row_id]
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        json.dump(values, file, indent=2)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def forget_config(data_dir: Path) -> bool:
    """Leave the class on this machine (the server keeps what was sent)."""
    try:
        config_path(data_dir).unlink()
    except FileNotFoundError:
        return False
    return True


def what_is_shared(config: ClassConfig) -> str:
    """The plain-words description shown beside the sharing switch."""
    decks = ", ".join(sorted(config.decks)) or "no decks yet"
    if not config.sharing:
        return (
            f"Sharing with class {config.class_id} is off: nothing is sent. "
            "Decks published to the class are still pulled."
        )
    return (
        f"Sharing with class {config.class_id} is on. For the class decks only "
        f"({decks}), each answer is sent: which card, when, the rating, how long "
        "it took and the card's memory state after it, and each practice exam "
        "answer's score. They are sent under a random id, not your name; your "
        "instructor sees class averages only. Nothing from other decks is sent."
    )
