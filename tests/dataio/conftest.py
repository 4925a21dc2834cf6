"""The import tests' database and upload folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from prm_app.platform.import_files import FolderStorage
from tests.conftest import SHARED_BACKENDS, shared_database


@pytest.fixture(params=SHARED_BACKENDS, ids=["sqlite", "pg"])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """One database file (or PostgreSQL schema) the page and the job consumers open sessions on: it overrides the
    in-memory one, which another connection would not see."""
    with shared_database(request.param, tmp_path, "dataio") as engine:
        yield engine


@pytest.fixture
def storage(tmp_path) -> FolderStorage:
    return FolderStorage(tmp_path / "record-imports")
