"""Building classes, students and answers on the real test server."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from studyapp.core.classroom.config import load_config
from studyapp.core.classroom.publish import publish
from studyapp.core.classroom.server import create_class, create_invitation
from studyapp.core.classroom.student import join, pull
from studyapp.core.library import Library
from studyapp.core.model import Rating

from ..conftest import MINI_DECK, ROOT
from .conftest import PASSWORD, ClassDb


def two_classes(db: ClassDb) -> None:
    """bio taught by alice, chem by bob; both publish the mini deck."""
    create_class(
        db.admin, "bio", title="Biology", instructor="alice", password=PASSWORD
    )
    create_class(
        db.admin, "chem", title="Chemistry", instructor="bob", password=PASSWORD
    )
    publish(db.login("alice"), "bio", [MINI_DECK])
    publish(db.login("bob"), "chem", [MINI_DECK])


def invitation(db: ClassDb, class_id: str, instructor: str) -> str:
    return create_invitation(db.login(instructor), class_id, valid=timedelta(days=7))


@dataclass
class Student:
    data_dir: Path
    library: Library

    @property
    def student_id(self) -> str:
        config = load_config(self.data_dir)
        assert config is not None
        return config.student_id

    def url(self, db: ClassDb) -> str:
        config = load_config(self.data_dir)
        assert config is not None
        return db.login(config.role, config.password)


def enrol(
    db: ClassDb, folder: Path, class_id: str, instructor: str, now: datetime
) -> Student:
    join(folder, invitation(db, class_id, instructor))
    library = Library.open(folder)
    pull(library, folder, now=now)
    return Student(folder, library)


def answer(
    library: Library, count: int, now: datetime, rating: Rating = Rating.GOOD
) -> int:
    """Answer up to ``count`` cards one minute apart; returns how many.

    Siblings are not buried and same-passage cards not held back here, so
    every card of a small deck can be answered in one go.
    """
    library.save_settings(
        replace(library.settings(), bury_siblings=False, separate_passages=False)
    )
    done = 0
    for step in range(count):
        at = now + timedelta(minutes=step)
        queue = library.review_queue(now=at)
        if queue.next_card(at) is None:
            break
        queue.answer(rating, now=at)
        done += 1
    return done


def deck_copy(folder: Path) -> Path:
    """The mini deck and its source text in a folder of their own, to edit."""
    target = folder / "mini.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(MINI_DECK, target)
    text = folder / "resources" / "sources" / "pedersen-2019.txt"
    text.parent.mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "sources" / "pedersen-2019.txt", text)
    return target
