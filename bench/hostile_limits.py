"""Measure the worst hostile file of each class: time and peak memory.

Each file is imported (or validated) by the real command line in a child
process of its own; wall time and the child's peak resident memory (from
``wait4``) are recorded, with whether it was refused and the first line of
its message. Writes docs/hostile-limits.md (SECURITY.md quotes it).

usage: python bench/hostile_limits.py [--out docs/hostile-limits.md]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile import make_yaml  # noqa: E402
from tests.hostile.make_anki import ENDLESS, make_apkg  # noqa: E402
from tests.hostile.make_text import own_header, short_rows_csv  # noqa: E402

Maker = Callable[[Path], tuple[list[str], Path]]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _tiny_cards(path: Path, size: int, head: str = "") -> Path:
    with path.open("w") as out:
        out.write(f"{head}deck:\n  id: tiny\n  title: Tiny\ncards:\n")
        written = number = 0
        while written < size - 100:
            line = f"  - {{id: c{number}, front: a, back: b}}\n"
            out.write(line)
            written += len(line)
            number += 1
    return path


def _max_cards(path: Path, width: int = 100, head: str = "") -> Path:
    with path.open("w") as out:
        out.write(f"{head}deck:\n  id: maxd\n  title: Max\ncards:\n")
        for n in range(200_000):
            out.write(f'  - id: c{n}\n    front: "{"f" * width}{n}"\n')
            out.write(f'    back: "{"b" * width}"\n')
    return path


def _one_card(path: Path) -> Path:
    # Written a megabyte at a time: a 127 MiB string in this process would
    # show in the child's peak memory too (fork counts shared pages).
    with path.open("w") as out:
        out.write("deck: {id: one, title: One}\ncards:\n  - id: a\n    front: ")
        for _ in range(127):
            out.write("x" * 1024**2)
        out.write("\n    back: b\n")
    return path


def _wide_csv(path: Path, char: str, width: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(200_000):
            out.write(f"q{n} {char * width},{char * width}\n")
    return path


def cases(folder: Path) -> dict[str, tuple[str, Maker]]:
    def imp(path: Path) -> tuple[list[str], Path]:
        return ["import", str(path)], path

    return {
        "settings: #studyapp header with learning_steps 'abc'": (
            "1",
            lambda f: imp(
                _write(
                    f / "poison.txt",
                    "#separator:tab\n"
                    + own_header({"id": "p", "settings": {"learning_steps": "abc"}})
                    + "\na\tb\n",
                )
            ),
        ),
        ".apkg: notes as an endless recursive view": (
            "2",
            lambda f: imp(make_apkg(f / "view.apkg", notes_view=ENDLESS)),
        ),
        "YAML: billion laughs (10^9 items) as a card type": (
            "3",
            lambda f: imp(
                _write(f / "bomb.yaml", make_yaml.billion_laughs(used_as="type"))
            ),
        ),
        "YAML: 200,000 aliases of a 100 kB text (900 kB file)": (
            "3",
            lambda f: imp(
                _write(f / "many.yaml", make_yaml.many_aliases_of_big_text())
            ),
        ),
        "YAML: 100,000 nested brackets": (
            "3",
            lambda f: imp(_write(f / "deep.yaml", make_yaml.deeply_nested())),
        ),
        "special file: x.yaml -> /dev/zero": ("4", _dev_zero),
        "special file: FIFO x.yaml": ("4", _fifo),
        "sources[].text: /etc/passwd": (
            "5",
            lambda f: imp(
                _write(
                    f / "sneaky.yaml",
                    "deck: {id: s, title: S}\nsources:\n  - {id: s, title: S, "
                    "text: /etc/passwd}\ncards:\n  - id: a\n    front: f\n    back: b\n"
                    "    source: {ref: s, section: x, quote: root}\n",
                )
            ),
        ),
        "text: 100 MB CSV of short rows": (
            "16",
            lambda f: imp(short_rows_csv(f / "short.csv", 100 * 1024**2)),
        ),
        "text: 200,000 rows, 256 MiB of ASCII (largest accepted)": (
            "16",
            lambda f: imp(_wide_csv(f / "wide.csv", "x", 665)),
        ),
        "text: 200,000 rows, 246 MiB of 4-byte characters (accepted)": (
            "16",
            lambda f: imp(_wide_csv(f / "emoji.csv", "\U0001f600", 160)),
        ),
        "YAML: 48 MiB of the shortest cards (1.35 million)": (
            "16",
            lambda f: imp(_tiny_cards(f / "tiny.yaml", 48 * 1024**2)),
        ),
        "YAML: 48 MiB of the shortest cards after a directive (read whole)": (
            "21",
            lambda f: imp(
                _tiny_cards(f / "whole.yaml", 48 * 1024**2, "%YAML 1.1\n---\n")
            ),
        ),
        "YAML: 200,000 cards, 47 MiB": (
            "16",
            lambda f: imp(_max_cards(f / "max.yaml")),
        ),
        "YAML: 128 MiB of the shortest cards (3.6 million)": (
            "21",
            lambda f: imp(_tiny_cards(f / "tiny.yaml", 128 * 1024**2)),
        ),
        "YAML: 200,000 cards, 128 MiB (largest accepted)": (
            "21",
            lambda f: imp(_max_cards(f / "max.yaml", 310)),
        ),
        "YAML: one card of 127 MiB": ("21", lambda f: imp(_one_card(f / "one.yaml"))),
        "YAML: 128 MiB behind a YAML tag (cannot be read in chunks)": (
            "21",
            lambda f: imp(_max_cards(f / "tag.yaml", 310, "%YAML 1.1\n---\n")),
        ),
    }


def _dev_zero(folder: Path) -> tuple[list[str], Path]:
    sub = folder / "zero"
    sub.mkdir()
    (sub / "x.yaml").symlink_to("/dev/zero")
    return ["import", str(sub)], sub


def _fifo(folder: Path) -> tuple[list[str], Path]:
    sub = folder / "fifo"
    sub.mkdir()
    os.mkfifo(sub / "x.yaml")
    return ["import", str(sub)], sub


def measure(seed: Path, args: list[str], work: Path) -> dict[str, object]:
    data = work / "data"
    shutil.copytree(seed, data)
    command = [sys.executable, "-m", "studyapp", "--data-dir", str(data), *args]
    out_path, err_path = work / "out.txt", work / "err.txt"
    started = time.monotonic()
    with out_path.open("w") as out, err_path.open("w") as err:
        child = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    text = err_path.read_text().strip() or out_path.read_text().strip()
    message = text.replace(f"{work}/", ".../").splitlines()
    return {
        "seconds": round(seconds, 1),
        "peak_mib": round(usage.ru_maxrss / 1024),
        "code": code,
        "message": message[0][:160] if message else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "hostile-limits.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        seed = base / "seed"
        subprocess.run(
            [sys.executable, "-m", "studyapp", "--data-dir", str(seed), "due"],
            check=True,
            capture_output=True,
        )
        for number, (name, (finding, maker)) in enumerate(cases(base).items()):
            work = base / f"case{number}"
            work.mkdir()
            command, made = maker(work)
            result = measure(seed, command, work)
            size = _size(made)
            rows.append({"case": name, "finding": finding, "bytes": size, **result})
            print(json.dumps(rows[-1]), flush=True)
            shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(_report(rows), encoding="utf-8")


def _size(path: Path) -> int:
    if path.is_dir():
        return 0
    return path.stat().st_size


def _report(rows: list[dict[str, object]]) -> str:
    lines = [
        "# Hostile files: time and memory of the worst of each class",
        "",
        "Written by `python bench/hostile_limits.py` (issue 20). Each file is",
        "imported by the real command line in a child process into a copy of a",
        "collection holding the bundled decks; peak memory is the child's maximum",
        "resident set (`wait4`), time is wall time including start-up (about 1 s).",
        "",
        "| finding | file | size | result | time (s) | peak (MiB) | message |",
        "| --- | --- | ---: | --- | ---: | ---: | --- |",
    ]
    for row in rows:
        result = "refused" if row["code"] else "imported"
        size = f"{int(str(row['bytes'])) / 1024**2:.1f} MiB" if row["bytes"] else "-"
        message = str(row["message"]).replace("|", "\\|")
        lines.append(
            f"| {row['finding']} | {row['case']} | {size} | {result} | "
            f"{row['seconds']} | {row['peak_mib']} | {message} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
