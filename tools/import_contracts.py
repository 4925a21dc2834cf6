"""The architecture's import contracts, written from the one list of areas and checked with import-linter.

`make lint` runs `python -m tools.import_contracts`. The contracts are built here rather than typed into
pyproject.toml so that a new area is covered the moment its name is added to `prm_app/areas.py`: nobody has to
remember to copy it into nine lists. The few sanctioned exceptions are data below, each with its reason.

`python -m tools.import_contracts --print` shows the generated configuration.
"""

from __future__ import annotations

import json
import sys
import tempfile
from importlib.util import find_spec
from pathlib import Path

from importlinter.cli import lint_imports

from prm_app.areas import AREAS

# Where a page composes an area above its own (the layers contract would otherwise forbid it).
UPWARD_FROM_PAGES = {
    "prm_app.deals.ui.** -> prm_app.leads": "the deal form registers a deal from an accepted lead",
    "prm_app.partners.ui.** -> prm_app.nps": "the portal home lists the surveys waiting for an answer",
    "prm_app.partners.ui.** -> prm_app.onboarding": "the portal home shows the onboarding journey and its next step",
    "prm_app.partners.ui.** -> prm_app.tiering.ui.tier_card": "the portal home shows the partner's tier card",
    # mail sits below identity (identity emails reset links); its one page stands on the web layer's front door,
    # which resolves sessions through identity. The page, not the mail area, reaches up.
    "prm_app.mail.ui.** -> prm_app.web.state": "the Outbox page uses the front door, which resolves sessions",
    "prm_app.mail.ui.** -> prm_app.identity": "the Outbox page shows its times in the reader's zone (with_zone)",
}
# Reaching past another area's __init__.
PAST_INIT = {
    "prm_app.nps.seed -> prm_app.partners.seed": "demo surveys are answered by the demo partners' people",
    "prm_app.content.ui.asset_form -> prm_app.audience.ui": "the audience editor (a component) lives in audience.ui",
    "prm_app.training.ui.** -> prm_app.audience.ui": "the course editor embeds the audience editor",
    "prm_app.training.ui.** -> prm_app.scorm.ui": "the course player embeds the SCORM player",
    "prm_app.incentives.ui.** -> prm_app.audience.ui": "the rebate and SPIFF forms embed the audience editor",
    "prm_app.partners.ui.portal_home -> prm_app.tiering.ui.tier_card": "the portal home embeds the tier card",
}
EDGE = ("prm_app.web", "prm_app.runtime", "prm_app.cli", "prm_app.app")  # what sits above every area
# Modules that hold pure rules besides each area's rules.py (they may import sqlmodel indirectly, never use it).
PURE_MODULES = (
    "deals.matching.rules",
    "leads.routing",
    "leads.routing_model",
    "leads.intake",
    "incentives.rebate_rules",
    "incentives.mdf_rules",
)


def _exists(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def contracts(areas: tuple[str, ...] = AREAS) -> list[dict[str, object]]:
    """The contracts for these areas (lowest first), as import-linter's TOML configuration would hold them."""
    pkgs = [f"prm_app.{a}" for a in areas]
    pure = [m for m in (*(f"{p}.rules" for p in pkgs), *(f"prm_app.{m}" for m in PURE_MODULES)) if _exists(m)]
    listed = [
        {
            "name": "platform is the ground: it imports no area, page, job or Reflex",
            "type": "forbidden",
            "source_modules": ["prm_app.platform"],
            "forbidden_modules": [*pkgs, *EDGE, "prm_app.areas", "reflex"],
        },
        {
            "name": "Areas stand in one order: a lower area never imports a higher one (only the listed pages compose)",
            "type": "layers",
            "layers": list(reversed(pkgs)),
            "ignore_imports": list(UPWARD_FROM_PAGES),
        },
        {
            "name": "Rules, use cases, queries and models never import pages, the web edge or Reflex",
            "type": "forbidden",
            "source_modules": [*pkgs, "prm_app.runtime", "prm_app.cli"],
            "forbidden_modules": ["prm_app.web", "prm_app.app", "reflex"],
            "ignore_imports": [
                f"{p}.ui.** -> {target}" for p in pkgs if _exists(f"{p}.ui") for target in ("prm_app.web.**", "reflex")
            ],
        },
        *(
            {
                "name": f"Other areas use {p} only through its __init__",
                "type": "protected",
                "protected_modules": [f"{p}.*"],
                "allowed_importers": [p, "prm_app.app", "prm_app.cli"],
                "ignore_imports": [rule for rule in PAST_INIT if rule.split(" -> ")[1].startswith(f"{p}.")],
            }
            for p in pkgs
        ),
        {
            "name": "No import cycles between the modules of an area, the platform or the web edge",
            "type": "acyclic_siblings",
            "ancestors": [*pkgs, "prm_app.platform", "prm_app.web"],
        },
        {
            "name": "Rules are pure: no database, no session, no I/O",
            "type": "forbidden",
            "source_modules": pure,
            "forbidden_modules": ["sqlmodel", "sqlalchemy", "prm_app.platform.db"],
            "allow_indirect_imports": True,
        },
    ]
    return [{k: v for k, v in c.items() if v != []} for c in listed]


def as_toml(items: list[dict[str, object]]) -> str:
    """import-linter's configuration in TOML (JSON strings, lists and booleans are valid TOML values)."""
    lines = ["[tool.importlinter]", 'root_packages = ["prm_app"]', "include_external_packages = true"]
    for contract in items:
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{key} = {json.dumps(value)}" for key, value in contract.items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = as_toml(contracts())
    if "--print" in argv:
        print(text)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "importlinter.toml"
        config.write_text(text)
        return lint_imports(config_filename=str(config), no_logo=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
