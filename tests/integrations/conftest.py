"""The API tests' database: one engine shared by threads, as the app's workers share theirs, on SQLite and
PostgreSQL; the API's units of work open on it."""

from __future__ import annotations

import pytest

from prm_app.platform import db
from tests.conftest import SHARED_BACKENDS, shared_database


@pytest.fixture(params=SHARED_BACKENDS)
def engine(request, tmp_path, monkeypatch):
    with shared_database(request.param, tmp_path, request.module.__name__.rsplit(".", 1)[-1]) as engine:
        monkeypatch.setattr(db, "get_engine", lambda: engine)  # the API's units of work open on this database
        yield engine
