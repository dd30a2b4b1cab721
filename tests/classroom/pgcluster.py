"""A throwaway PostgreSQL cluster from Debian's `postgresql` package, for tests.

Started for real (initdb + pg_ctl), as the `postgres` user when run as root
(CI runs as root; PostgreSQL refuses to). Local socket connections as the
`postgres` superuser are trusted; every TCP login checks a password
(scram-sha-256), so the tests use real roles with real passwords.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BINDIR_ENV = "STUDYAPP_PG_BINDIR"


class ClusterError(RuntimeError):
    """PostgreSQL could not be found or started."""


def find_bindir() -> Path:
    """Where initdb and pg_ctl are ($STUDYAPP_PG_BINDIR, Debian's, or $PATH)."""
    if os.environ.get(BINDIR_ENV):
        return Path(os.environ[BINDIR_ENV])
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]),
    )
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise ClusterError(
        "PostgreSQL's initdb was not found: install Debian's postgresql package "
        "(apt-get install -y postgresql; .ci/run does) or set " + BINDIR_ENV
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Cluster:
    """A running server: its folder, port, and how to reach it."""

    folder: Path
    port: int

    def admin_url(self, dbname: str = "postgres") -> str:
        """The superuser over the local socket (trusted)."""
        return (
            f"postgresql:///{dbname}?host={self.folder}&port={self.port}&user=postgres"
        )

    def tcp_url(self, dbname: str) -> str:
        """The server over TCP, without a user (each test logs in as a role)."""
        return f"postgresql://127.0.0.1:{self.port}/{dbname}"


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        raise ClusterError("running as root needs runuser to start PostgreSQL")
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def running_cluster(*, durable: bool = False, settings: str = "") -> Iterator[Cluster]:
    """Start a fresh cluster in a temporary folder; stop and delete it after.

    Tests run without fsync (nothing to keep); ``durable`` keeps PostgreSQL's
    defaults, for benchmarks. ``settings`` adds server options (-c k=v ...).
    """
    bindir = find_bindir()
    folder = Path(tempfile.mkdtemp(prefix="studyapp-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    run = _as_postgres
    try:
        subprocess.run(
            run(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "-A",
                    "scram-sha-256",
                    "--auth-local=trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                    "--locale=C",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 {settings}"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            run(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "-l",
                    str(folder / "server.log"),
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        log = folder / "server.log"
        detail = getattr(error, "stderr", b"") or b""
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise ClusterError(
            f"PostgreSQL did not start: {error}\n{detail.decode(errors='replace')}"
            f"\n{tail}"
        ) from None
    try:
        yield Cluster(folder, port)
    finally:
        subprocess.run(
            run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
