"""Plumbing shared by both sides of the benchmark: child processes, memory, stats.

Every measurement runs in a child process of its own (``python SIDE.py COMMAND
JSON``) so that memory, caches and imports of one measurement never leak into
the next. A child prints one JSON object as the last line of its stdout.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
#: Seconds a single child may run before the harness gives up on it.
DEFAULT_TIMEOUT = 1800.0


class ChildError(RuntimeError):
    """A measurement child failed; the message carries its stderr."""


def child_env() -> dict[str, str]:
    """Environment for children: the repository root importable, no .pyc noise."""
    env = dict(os.environ)
    paths = [str(REPO_ROOT), str(BENCH_DIR)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def run_child(
    script: Path, command: str, args: dict[str, Any], timeout: float | None = None
) -> dict[str, Any]:
    """Run ``script command args`` in a fresh interpreter and return its JSON.

    The result gets ``spawn_to_exit_s`` (wall time of the whole child) and
    ``spawned_at`` (the parent's ``perf_counter`` just before the spawn; it is
    the same monotonic clock in the child on Linux, so a child can report how
    long after its spawn something happened).
    """
    args = {**args, "spawned_at": time.perf_counter()}
    t0 = args["spawned_at"]
    proc = subprocess.run(
        [sys.executable, str(script), command, json.dumps(args)],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=timeout or DEFAULT_TIMEOUT,
        check=False,
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise ChildError(
            f"{script.name} {command} exited with {proc.returncode}:\n{proc.stderr}"
        )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if not lines:
        raise ChildError(f"{script.name} {command} printed nothing:\n{proc.stderr}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["spawned_at"] = t0
    result["spawn_to_exit_s"] = elapsed
    return result


def child_main(commands: dict[str, Callable[[dict[str, Any]], dict[str, Any]]]) -> None:
    """Entry point of a side module run as a child: dispatch and print JSON."""
    command, raw = sys.argv[1], sys.argv[2]
    result = commands[command](json.loads(raw))
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


def emit_and_die(result: dict[str, Any]) -> None:
    """Print the result, then end the process at once: no close, no atexit.

    This simulates a crash right after an operation returned, to check that
    what it wrote is on disk.
    """
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MiB (VmHWM, else ru_maxrss)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":  # bytes there
        kib //= 1024
    return kib / 1024


def file_bytes(path: Path) -> int:
    """Size of an SQLite database with its -wal and -journal files, if any."""
    total = 0
    for suffix in ("", "-wal", "-journal"):
        p = Path(str(path) + suffix)
        if p.exists():
            total += p.stat().st_size
    return total


def ms(seconds: float) -> float:
    return seconds * 1000.0


def summarize(values: Sequence[float]) -> dict[str, float]:
    """Median, min, max and count of a list of timings."""
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "p90": sorted(values)[int(0.9 * (len(values) - 1))],
        "n": len(values),
    }


#: The review ratings used by both sides, cycled per answer (1 again ... 4 easy):
#: mostly Good, some Again and Hard, a few Easy.
RATINGS = (3, 3, 1, 3, 3, 2, 3, 4, 3, 3)


def rating_for(i: int) -> int:
    return RATINGS[i % len(RATINGS)]
