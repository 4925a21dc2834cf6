"""The import contracts are written from the list of areas: a new area is covered without editing them."""

from __future__ import annotations

import tomllib

from tools.import_contracts import as_toml, contracts


def _by_type(items, kind):
    return [c for c in items if c["type"] == kind]


def test_a_new_area_is_layered_above_the_others_and_protected_behind_its_init():
    items = contracts(("identity", "partners", "training"))

    (layers,) = _by_type(items, "layers")
    assert layers["layers"] == ["prm_app.training", "prm_app.partners", "prm_app.identity"]
    protected = {c["protected_modules"][0]: c["allowed_importers"] for c in _by_type(items, "protected")}
    assert protected["prm_app.training.*"] == ["prm_app.training", "prm_app.app", "prm_app.cli"]
    (cycles,) = _by_type(items, "acyclic_siblings")
    assert "prm_app.training" in cycles["ancestors"]
    platform = next(c for c in _by_type(items, "forbidden") if c["source_modules"] == ["prm_app.platform"])
    assert "prm_app.training" in platform["forbidden_modules"]


def test_the_generated_configuration_is_valid_toml_with_every_contract():
    items = contracts()

    parsed = tomllib.loads(as_toml(items))

    assert parsed["tool"]["importlinter"]["root_packages"] == ["prm_app"]
    assert parsed["tool"]["importlinter"]["contracts"] == items
