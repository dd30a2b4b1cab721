"""Finding 5: ``sources[].text`` cannot read files outside the deck's folder."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.hostile.sandbox import assert_clear_refusal, fingerprint, run_cli

DECK = """deck:
  id: sneaky
  title: Sneaky
sources:
  - id: s
    title: S
    text: {text}
cards:
  - id: a
    front: f
    back: b
    source: {{ref: s, section: x, quote: "root:x:0:0"}}
"""


def _targets(attack_dir: Path, outside: Path) -> dict[str, str]:
    secret = outside / "secret.txt"
    secret.write_text("root:x:0:0 the secret\n")
    (attack_dir / "link.txt").symlink_to(secret)
    (attack_dir / "dirlink").symlink_to(outside, target_is_directory=True)
    depth = "../" * len(attack_dir.parts)
    return {
        "absolute": str(secret),
        "climbing": f"{depth}{str(secret).lstrip('/')}",
        "relative-up": f"../outside/{secret.name}",
        "symlink": "link.txt",
        "dir-symlink": f"dirlink/{secret.name}",
        "etc-passwd": "/etc/passwd",
        "etc-relative": "etc/passwd",
        "proc-environ": "/proc/self/environ",
    }


@pytest.mark.parametrize(
    "shape",
    [
        "absolute",
        "climbing",
        "relative-up",
        "symlink",
        "dir-symlink",
        "etc-passwd",
        "etc-relative",
        "proc-environ",
    ],
)
def test_source_text_outside_the_deck_is_not_read(
    shape: str, data_dir: Path, attack_dir: Path
) -> None:
    outside = attack_dir.parent / "outside"
    outside.mkdir(exist_ok=True)
    text = _targets(attack_dir, outside)[shape]
    deck = attack_dir / "sneaky.yaml"
    deck.write_text(DECK.format(text=f'"{text}"'))
    before = fingerprint(data_dir)
    run = run_cli(["import", str(deck)], data_dir=data_dir, allowed=[attack_dir])
    assert_clear_refusal(run, f"{deck}:", "deck's folder")
    assert "quote not found" not in run.err  # no oracle on the file's content
    assert fingerprint(data_dir) == before
    conn = sqlite3.connect(data_dir / "studyapp.sqlite3")
    texts = [t for (t,) in conn.execute("SELECT text FROM sources")]
    conn.close()
    assert not any("root:x:0:0" in t for t in texts)
