"""File → Import takes Anki packages whole; their images show in review."""

import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QImage, QTextDocument
from PySide6.QtWidgets import QFileDialog, QLabel, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from studyapp.core.interop.anki_media import list_media
from studyapp.core.library import Library
from studyapp.gui.card_text import CardTextView
from studyapp.gui.import_dialog import IMPORT_FILTER, ProblemsDialog, SummaryDialog
from studyapp.gui.main_window import MainWindow

from .conftest import FakeClock, show_window

INTEROP = Path(__file__).resolve().parents[1] / "data" / "interop"
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)  # after the package's reviews
PNG = bytes.fromhex(  # 2x2, red
    "89504e470d0a1a0a0000000d494844520000000200000002080600000072b60d24000000"
    "1149444154789c63f8cfc0f01f8419600c0047ca07f967596eb70000000049454e44ae426082"
)


@pytest.fixture
def anki_window(
    qtbot: QtBot, tmp_path: Path, qsettings: QSettings
) -> Iterator[MainWindow]:
    library = Library.open(tmp_path / "collection")
    window = show_window(qtbot, MainWindow(library, qsettings, FakeClock(NOW)))
    yield window
    window.close()
    library.close()


def import_by_menu(
    qtbot: QtBot, window: MainWindow, path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[int, int, str]]:
    """Choose File → Import… and pick ``path``; returns the progress seen."""
    offered: list[str] = []

    def choose(*args: object) -> tuple[list[str], str]:
        offered.append(str(args[3]))
        return [str(path)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", choose)
    action = next(a for a in window.findChildren(QAction) if a.text() == "&Import…")
    progress: list[tuple[int, int, str]] = []
    original = window.importer._on_task_progressed

    def record(done: int, steps: int, text: str) -> None:
        progress.append((done, steps, text))
        original(done, steps, text)

    monkeypatch.setattr(window.importer, "_on_task_progressed", record)
    action.trigger()
    assert offered == [IMPORT_FILTER]
    return progress


def test_the_import_dialog_offers_every_supported_type_in_one_filter() -> None:
    everything = IMPORT_FILTER.split(";;")[0]
    for suffix in ("yaml", "yml", "apkg", "colpkg", "txt", "tsv", "csv"):
        assert f"*.{suffix}" in everything


def test_file_import_brings_a_package_whole_with_progress_and_summary(
    qtbot: QtBot, anki_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = anki_window
    with qtbot.waitSignal(window.importer.import_finished, timeout=60_000):
        progress = import_by_menu(
            qtbot, window, INTEROP / "anki-modern-1.apkg", monkeypatch
        )
    texts = " | ".join(text for _, _, text in progress)
    for stage in ("Reading", "Replaying the review history", "Writing", "Done"):
        assert stage in texts
    assert [done for done, _, _ in progress] == sorted(d for d, _, _ in progress)
    assert window.importer.last_progress[0] == window.importer.last_progress[1]
    dialog = window.importer.dialog
    assert isinstance(dialog, SummaryDialog)
    qtbot.addWidget(dialog)
    headline = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "200 notes, 280 cards, 50 reviews and 1 media files added" in headline
    assert "20 cards scheduled from their history" in dialog.text.toPlainText()
    tree = window.home.decks
    root = tree.invisibleRootItem()
    assert root is not None
    parent = find_item(root, "Heldout 1")
    assert parent is not None
    assert [parent.child(i).text(0) for i in range(parent.childCount())] == ["Sub"]
    assert parent.data(0, Qt.ItemDataRole.UserRole) == ["heldout-1", "heldout-1-sub"]
    dialog.reject()


def find_item(root: QTreeWidgetItem, text: str) -> QTreeWidgetItem | None:
    for i in range(root.childCount()):
        child = root.child(i)
        assert child is not None
        if child.text(0) == text:
            return child
        if (found := find_item(child, text)) is not None:
            return found
    return None


def test_a_damaged_package_imports_nothing_and_says_why(
    qtbot: QtBot,
    anki_window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    damaged = tmp_path / "damaged.apkg"
    with (
        zipfile.ZipFile(INTEROP / "anki-legacy-1.apkg") as source,
        zipfile.ZipFile(damaged, "w") as out,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "collection.anki21":
                data = data[: len(data) // 3]  # cut short
            out.writestr(info.filename, data)
    window = anki_window
    with qtbot.waitSignal(window.importer.import_failed, timeout=60_000) as failed:
        import_by_menu(qtbot, window, damaged, monkeypatch)
    assert "damaged.apkg" in str(failed.args[0][0])
    assert isinstance(window.importer.dialog, ProblemsDialog)
    qtbot.addWidget(window.importer.dialog)
    labels = window.importer.dialog.findChildren(QLabel)
    assert "Nothing was imported" in " ".join(label.text() for label in labels)
    assert window.library.deck_counts(now=NOW) == []


def with_valid_image(tmp_path: Path) -> Path:
    """The legacy package with its image replaced by a PNG that decodes.

    The shared packages' dot.png has a bad IDAT checksum: it arrives
    byte-identical, but no image decoder shows it.
    """
    package = tmp_path / "valid-image.apkg"
    with (
        zipfile.ZipFile(INTEROP / "anki-legacy-1.apkg") as source,
        zipfile.ZipFile(package, "w") as out,
    ):
        for info in source.infolist():
            data = PNG if info.filename == "0" else source.read(info)
            out.writestr(info.filename, data)
    return package


def test_the_image_of_an_imported_note_renders_in_the_review_view(
    qtbot: QtBot, anki_window: MainWindow, tmp_path: Path
) -> None:
    window = anki_window
    window.library.import_package(with_valid_image(tmp_path), now=NOW)
    (media,) = list_media(window.library.media_dir)
    view = window.start_review(["heldout-1"])  # the parent studies its child
    answer = next(
        v for v in view.findChildren(CardTextView) if v.accessibleName() == "Answer"
    )
    for _ in range(40):
        card = view.current_card
        assert card is not None, "the card with the image never came up"
        qtbot.keyClick(view, Qt.Key.Key_Space)
        if "<img" in card.back:
            break
        qtbot.keyClick(view, Qt.Key.Key_4)
    image = answer.document().resource(
        QTextDocument.ResourceType.ImageResource.value, QUrl(media.name)
    )
    assert isinstance(image, QImage)
    assert (image.width(), image.height()) == (2, 2)
    assert image.pixelColor(0, 0).name() == "#ff0000"
    assert window.library.media_dir is not None
    assert QImage(str(window.library.media_dir / media.name)) == image


def test_card_text_loads_only_stored_images_from_the_media_folder(
    qtbot: QtBot, tmp_path: Path
) -> None:
    media = tmp_path / "media"
    media.mkdir()
    name = "a" * 64 + ".png"
    (media / name).write_bytes(PNG)
    (tmp_path / "outside.png").write_bytes(PNG)
    view = CardTextView("Answer", media_dir=media)
    qtbot.addWidget(view)
    image = QTextDocument.ResourceType.ImageResource.value
    assert isinstance(view.loadResource(image, QUrl(name)), QImage)
    for refused in (
        f"http://example.com/{name}",
        f"file://{media / name}",
        "../outside.png",
        "javascript:alert(1)",
        str(tmp_path / "outside.png"),
    ):
        assert view.loadResource(image, QUrl(refused)) is None
    assert view.loadResource(image, refused) is None
    assert CardTextView("Answer").loadResource(image, QUrl(name)) is None
