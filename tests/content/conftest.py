"""The content tests' stores: the library's file stores moved to a temporary folder for each test."""

from __future__ import annotations

import pytest

from prm_app.content import storage


@pytest.fixture
def stores(tmp_path, monkeypatch):
    monkeypatch.setattr(storage.CONTENT_FILES, "folder", tmp_path / "content")
    monkeypatch.setattr(storage.RENDERS, "folder", tmp_path / "renders")
    return tmp_path
