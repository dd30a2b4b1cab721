"""Media of an Anki package: images and audio, checked by content, never trusted.

Files are kept under content-addressed names (SHA-256 of the bytes and a
suffix for the type found in them), so a name from the package never picks
a path. Only the files notes refer to are read: ``<img src=...>`` for
images and ``[sound:...]`` for audio. A reference that cannot be kept is
replaced by a visible placeholder saying why, never dropped silently.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import zstandard

from studyapp.core.decks.richtext import MEDIA_NAME
from studyapp.core.errors import PackageError
from studyapp.core.interop.anki_wire import protobuf_fields

MAX_MEDIA_BYTES = 20 * 1024**2  # one file
MAX_MEDIA_TOTAL = 512 * 1024**2  # every file of a package
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(["']?)([^"'\s>]+)\2""", re.I)
SOUND = re.compile(r"\[sound:([^\]]+)\]")
#: A stored media file's name: what the review view agrees to load.
STORED_NAME = MEDIA_NAME
_IMAGE_SUFFIXES = ("png", "jpg", "gif", "webp")


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A file to keep: its stored name, the package's name for it, its bytes."""

    name: str
    original: str
    kind: str  # "image" or "audio"
    mime: str
    data: bytes


@dataclass(slots=True)
class MediaSet:
    """The media a package's notes use: what is kept, and what is not and why."""

    files: dict[str, MediaFile] = field(default_factory=dict)  # by original name
    refused: dict[str, str] = field(default_factory=dict)  # original name -> why
    unused: int = 0  # files in the package that no note refers to

    def rewrite(self, text: str) -> str:
        """Point a field's media references at the stored names, or at a note."""
        if "<img" not in text and "[sound:" not in text:
            return text
        return SOUND.sub(self._sound, IMG_SRC.sub(self._image, text))

    def _image(self, match: re.Match[str]) -> str:
        original = html.unescape(match.group(3))
        kept = self.files.get(original)
        if kept is not None and kept.kind == "image":
            return f'{match.group(1)}"{kept.name}"'
        why = self.refused.get(original, "not an image")
        return f'{match.group(1)}"" alt="image not imported: {html.escape(why)}"'

    def _sound(self, match: re.Match[str]) -> str:
        kept = self.files.get(match.group(1))
        if kept is not None and kept.kind == "audio":
            return f"[sound:{kept.name}]"
        why = self.refused.get(match.group(1), "not audio")
        return f"[audio not imported: {match.group(1)}: {why}]"


def image_type(data: bytes) -> tuple[str, str] | None:
    """(suffix, MIME type) of an image, from its first bytes; None if not one."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg", "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif", "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp", "image/webp"
    return None  # SVG too: it may carry scripts


def audio_type(data: bytes) -> tuple[str, str] | None:
    """(suffix, MIME type) of an audio file, from its first bytes."""
    if data.startswith(b"ID3") or data[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "mp3", "audio/mpeg"
    if data.startswith(b"OggS"):
        return "ogg", "audio/ogg"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav", "audio/wav"
    if data.startswith(b"fLaC"):
        return "flac", "audio/flac"
    if data[4:8] == b"ftyp":
        return "m4a", "audio/mp4"
    return None


def media_map(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], path: Path
) -> dict[str, str]:
    """The package's media file names, each with the zip member holding it."""
    info = members.get("media")
    if info is None:
        return {}
    raw = _read_member(archive, info, path, MAX_MEDIA_BYTES)
    try:
        if raw.startswith(_ZSTD_MAGIC):  # Anki 2.1.50+: protobuf MediaEntries
            return _modern_map(_unzstd(raw, MAX_MEDIA_BYTES))
        entries = json.loads(raw.decode("utf-8") or "{}")
        return {str(name): str(member) for member, name in entries.items()}
    except (ValueError, AttributeError, zstandard.ZstdError) as error:
        raise PackageError(f"{path}: damaged media list: {error}") from error


def _modern_map(raw: bytes) -> dict[str, str]:
    names: dict[str, str] = {}
    for index, entry in enumerate(protobuf_fields(raw).get(1, [])):
        if not isinstance(entry, bytes):
            raise ValueError("media entry is not a message")
        fields = protobuf_fields(entry)
        name = fields.get(1, [b""])[0]
        member = fields.get(4, [str(index).encode()])[0]
        if isinstance(name, bytes) and isinstance(member, bytes):
            names[name.decode("utf-8", "replace")] = member.decode("utf-8", "replace")
    return names


def referenced(fields_text: str) -> tuple[set[str], set[str]]:
    """(image names, sound names) one note's fields refer to."""
    images = {html.unescape(m.group(3)) for m in IMG_SRC.finditer(fields_text)}
    return images, set(SOUND.findall(fields_text))


def collect_media(
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    path: Path,
    wanted: tuple[set[str], set[str]],
    *,
    accept: bool = True,
) -> MediaSet:
    """Read, check and name the media the notes refer to.

    Args:
        archive: The open package.
        members: Its checked members by name.
        path: The package, for messages.
        wanted: The image and sound names the notes use.
        accept: False when the collection has no media folder: every
            reference is then refused, with that reason.
    """
    names = media_map(archive, members, path)
    images, sounds = wanted
    result = MediaSet(unused=len(set(names) - images - sounds))
    total = 0
    for original, kind, check in [
        *((name, "image", image_type) for name in sorted(images)),
        *((name, "audio", audio_type) for name in sorted(sounds)),
    ]:
        info = members.get(names.get(original, ""))
        if info is None or not accept:
            why = "no media folder" if not accept else "missing from the package"
            result.refused[original] = why
            continue
        if info.file_size > MAX_MEDIA_BYTES:
            result.refused[original] = f"larger than {MAX_MEDIA_BYTES} bytes"
            continue
        data = _media_bytes(archive, info, path)
        total += len(data)
        if total > MAX_MEDIA_TOTAL:
            raise PackageError(f"{path}: media exceed {MAX_MEDIA_TOTAL} bytes in all")
        kept = _keep(original, kind, check, data)
        if isinstance(kept, str):
            result.refused[original] = kept
        else:
            result.files[original] = kept
    return result


def _keep(
    original: str,
    kind: str,
    check: Callable[[bytes], tuple[str, str] | None],
    data: bytes,
) -> MediaFile | str:
    if len(data) > MAX_MEDIA_BYTES:
        return f"larger than {MAX_MEDIA_BYTES} bytes"
    found = check(data)
    if found is None:
        wanted = "PNG, JPEG, GIF or WebP" if kind == "image" else "MP3, Ogg, WAV, FLAC"
        return f"content is not {wanted}"
    suffix, mime = found
    name = f"{hashlib.sha256(data).hexdigest()}.{suffix}"
    return MediaFile(name=name, original=original, kind=kind, mime=mime, data=data)


def _media_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> bytes:
    raw = _read_member(archive, info, path, MAX_MEDIA_BYTES + 1)
    if raw.startswith(_ZSTD_MAGIC):  # modern packages compress each file
        try:
            return _unzstd(raw, MAX_MEDIA_BYTES + 1)
        except zstandard.ZstdError as error:
            raise PackageError(f"{path}: damaged media file: {error}") from error
    return raw


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, cap: int
) -> bytes:
    try:
        with archive.open(info) as member:
            return member.read(cap)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:
        raise PackageError(f"{path}: cannot read {info.filename}: {error}") from error


def _unzstd(raw: bytes, cap: int) -> bytes:
    reader = zstandard.ZstdDecompressor().stream_reader(raw)
    chunks, size = [], 0
    while size < cap and (chunk := reader.read(min(cap - size, 1024**2))):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def save_media(files: list[MediaFile], folder: Path) -> list[Path]:
    """Write files not yet in ``folder``; returns those written (for undoing)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for item in files:
        target = folder / item.name
        if target.exists() and target.stat().st_size == len(item.data):
            continue
        partial = target.with_suffix(".part")
        partial.write_bytes(item.data)
        partial.replace(target)
        written.append(target)
    return written


class KeptMedia(NamedTuple):
    """A file in the media folder: its stored name, kind and size."""

    name: str
    kind: str  # "image" or "audio"
    size: int


def list_media(folder: Path | None) -> list[KeptMedia]:
    """The media files kept in ``folder``, images first, by name."""
    if folder is None or not folder.is_dir():
        return []
    kept = []
    for path in folder.iterdir():
        match = STORED_NAME.match(path.name)
        if match is not None and path.is_file():
            kind = "image" if match.group(1) in _IMAGE_SUFFIXES else "audio"
            kept.append(KeptMedia(path.name, kind, path.stat().st_size))
    return sorted(kept, key=lambda item: (item.kind != "image", item.name))
