"""Run the StudyApp command line on a hostile file, fenced in.

Each run is a subprocess with an address-space cap (``resource.setrlimit``)
and a time limit. An audit hook inside it records every file opened,
created, renamed or removed outside the places a command may touch (the
data folder, the file's own folder, Python and StudyApp themselves), and
TMPDIR points at an empty folder that must stay empty.
"""

from __future__ import annotations

import hashlib
import os
import resource
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 1536 * 1024**2  # bytes of address space
TIME_LIMIT = 60.0  # seconds

# The audit hook; argv: log path, allowed roots (':'-joined), then the CLI's.
_RUNNER = r"""
import os, sys
log_path, roots = sys.argv[1], [r for r in sys.argv[2].split(os.pathsep) if r]
system = ("/usr/", "/lib", "/etc/localtime", "/etc/ld.so", "/dev/null",
          "/proc/self/fd", "/sys/devices/system/cpu")
log = open(log_path, "w", buffering=1)
def hook(event, args):
    if event == "open":
        path, mode = args[0], args[1]
        if not isinstance(path, (str, bytes, os.PathLike)):
            return
        kind = "write" if mode and any(c in str(mode) for c in "wax+") else "read"
        flags = args[2] if isinstance(args[2], int) else 0
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            kind = "write"
    elif event in ("os.mkdir", "os.rename", "os.remove", "os.symlink"):
        path, kind = args[0], "write"
    elif event == "sqlite3.connect":
        path, kind = args[0], "write"
    else:
        return
    path = os.fsdecode(path) if not isinstance(path, str) else path
    if path in (":memory:", "") or path.startswith("file:"):
        return
    full = os.path.realpath(os.path.abspath(path))
    if any(full == r or full.startswith(r + os.sep) for r in roots):
        return
    if kind == "read" and full.startswith(system):
        return
    log.write(f"{kind} {full}\n")
sys.addaudithook(hook)
del sys.argv[1:3]
from studyapp.cli import main
code = main(sys.argv[1:])
log.close()
sys.exit(code)
"""


@dataclass(frozen=True)
class Run:
    """What one fenced run did."""

    code: int
    out: str
    err: str
    seconds: float
    outside: tuple[str, ...]  # "read /x" / "write /y" outside the fence
    temp_left: tuple[str, ...]  # files left in TMPDIR

    @property
    def timed_out(self) -> bool:
        return self.code == -9999


def run_cli(
    args: Sequence[str],
    *,
    data_dir: Path,
    allowed: Sequence[Path] = (),
    memory: int = MEMORY_CAP,
    timeout: float = TIME_LIMIT,
    stdin: str = "",
    file_size: int | None = None,
    work: Path | None = None,
) -> Run:
    """Run ``studyapp --data-dir data_dir *args`` fenced; never raises on failure."""
    work = work or data_dir.parent / f".fence-{data_dir.name}"
    temp = work / "tmp"
    temp.mkdir(parents=True, exist_ok=True)
    log = work / "outside.log"
    roots = [ROOT, Path(sys.prefix), Path(sys.base_prefix), data_dir, work]
    roots += list(allowed)
    real_roots = os.pathsep.join(os.path.realpath(r) for r in roots)
    env = {
        **os.environ,
        "TMPDIR": str(temp),
        "HOME": str(work),
        "PYTHONDONTWRITEBYTECODE": "1",
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("STUDYAPP_DATA_DIR", None)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if file_size is not None:  # writes beyond it fail as on a full disk
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    command = [sys.executable, "-c", _RUNNER, str(log), real_roots]
    command += ["--data-dir", str(data_dir), *args]
    started = time.monotonic()
    try:
        done = subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            preexec_fn=limit,
            cwd=str(work),
            errors="replace",
        )
        code, out, err = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as expired:
        code = -9999
        out = _text(expired.stdout)
        err = _text(expired.stderr)
    seconds = time.monotonic() - started
    outside = tuple(log.read_text().splitlines()) if log.exists() else ()
    left = tuple(str(p) for p in temp.rglob("*"))
    return Run(code, out, err, seconds, outside, left)


def _text(value: bytes | str | None) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value or ""


def assert_clear_refusal(run: Run, *words: str) -> None:
    """A non-zero exit with a short message, no traceback, nothing outside."""
    assert not run.timed_out, f"ran past the time limit: {run.err[-500:]}"
    assert run.code not in (0, -9999), (run.code, run.out[-500:], run.err[-500:])
    assert_no_crash(run)
    for word in words:
        assert word.lower() in (run.err + run.out).lower(), (word, run.err[-800:])


def assert_no_crash(run: Run) -> None:
    """No traceback, no signal death, a bounded message, nothing outside the fence."""
    assert not run.timed_out, f"ran past the time limit: {run.err[-500:]}"
    assert run.code >= 0, f"killed by signal {-run.code}: {run.err[-500:]}"
    assert "Traceback" not in run.err, run.err[-2000:]
    assert "Traceback" not in run.out, run.out[-2000:]
    assert len(run.err) < 20_000, f"message of {len(run.err)} chars"
    assert not run.outside, run.outside
    assert not run.temp_left, run.temp_left


def fingerprint(data_dir: Path) -> str:
    """A digest of the collection's rows (every table, in key order)."""
    path = data_dir / "studyapp.sqlite3"
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for line in conn.iterdump():
            digest.update(line.encode())
        return digest.hexdigest()
    finally:
        conn.close()


def cli_env() -> dict[str, str]:
    """The environment for an unfenced helper run."""
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def setup_collection(data_dir: Path) -> None:
    """A collection with the bundled decks, made by the real command line."""
    done = subprocess.run(
        [sys.executable, "-m", "studyapp", "--data-dir", str(data_dir), "due"],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
