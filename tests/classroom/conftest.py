"""A real PostgreSQL server for the class tests, started once per session.

If it cannot be started the tests fail (they are never skipped), so CI
notices a machine without PostgreSQL.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

import psycopg
import pytest

from studyapp.core.classroom.server import init_server

from .pgcluster import Cluster, ClusterError, running_cluster

PASSWORD = "correct horse battery staple"
_numbers = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    try:
        with running_cluster() as cluster:
            yield cluster
    except ClusterError as error:
        pytest.fail(f"the class tests need a real PostgreSQL server: {error}")


class ClassDb:
    """A fresh database with the class schema; two classes, two instructors."""

    def __init__(self, cluster: Cluster, name: str) -> None:
        self.cluster = cluster
        self.name = name
        self.admin = cluster.admin_url(name)
        self.url = cluster.tcp_url(name)

    def login(self, role: str, password: str = PASSWORD) -> str:
        """A connection URL for a login role over TCP (password checked)."""
        return self.url.replace("://", f"://{role}:{password.replace(' ', '%20')}@")


@pytest.fixture
def class_db(pg_cluster: Cluster) -> ClassDb:
    name = f"classes_{next(_numbers)}"
    with psycopg.connect(pg_cluster.admin_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db = ClassDb(pg_cluster, name)
    init_server(db.admin, today=date(2026, 3, 1))
    return db
