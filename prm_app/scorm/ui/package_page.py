"""One SCORM package for managers (/training/scorm/<id>): what its manifest says, its SCOs, and a preview launch
that runs it as a learner would (the manager's own "preview" attempt: it resumes like any other)."""

from __future__ import annotations

import reflex as rx

from prm_app.identity import with_zone
from prm_app.platform.errors import NotFound
from prm_app.scorm.queries import package_detail
from prm_app.scorm.ui.display import Fact, ScoRow, package_facts, preview_facts
from prm_app.scorm.ui.player import scorm_player
from prm_app.web.components.profile import fact
from prm_app.web.components.tables import data_table
from prm_app.web.record import RecordActions
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


class ScormPackageState(RecordActions, AuthState):
    found: bool = True
    package_id: int = 0
    title: str = ""
    facts: list[Fact] = []
    scos: list[ScoRow] = []
    preview: list[Fact] = []
    previewing: bool = False
    errors: dict[str, str] = {}
    _record_id: int = 0

    def _reload(self) -> None:
        try:
            detail, zone = self._run(with_zone, package_detail, self._record_id)
        except NotFound:
            self.found, self.title, self.package_id = False, "", 0
            return
        self.found, self.package_id, self.title = True, detail.row.id, detail.row.title
        self.facts = package_facts(detail, zone)
        self.scos = [ScoRow(s.identifier, s.title, s.href) for s in detail.scos]
        self.preview = preview_facts(detail, zone)

    @rx.event
    def load(self):
        self.previewing = False
        self._open_record()

    @rx.event
    def start_preview(self):
        self._reload()  # checks the actor again; the launch itself is checked by the runtime's endpoint
        self.previewing = self.found

    @rx.event
    def stop_preview(self):
        self.previewing = False
        self._reload()  # shows what the preview saved


def _facts(facts: rx.Var, label: str) -> rx.Component:
    return rx.grid(
        rx.foreach(facts, lambda f: fact(f.label, f.value)),
        columns=rx.breakpoints(initial="1", sm="2", md="3"),
        spacing="3",
        width="100%",
        role="group",
        aria_label=label,
    )


def _sco(s: rx.Var[ScoRow]) -> rx.Component:
    return rx.table.row(rx.table.row_header_cell(s.title), rx.table.cell(s.identifier), rx.table.cell(s.href))


def _preview() -> rx.Component:
    s = ScormPackageState
    return rx.card(
        rx.vstack(
            rx.heading("Preview", size="4", as_="h2"),
            rx.cond(
                s.previewing,
                rx.vstack(
                    scorm_player(s.package_id, "preview", title=s.title),
                    rx.button("Close preview", on_click=s.stop_preview, variant="soft"),
                    width="100%",
                ),
                rx.vstack(
                    rx.text(
                        "Runs the package as a learner would. Your preview attempt is kept: leave it and come back, "
                        "and the package resumes where you left it if it suspended.",
                        size="2",
                    ),
                    rx.cond(s.preview.length() > 0, _facts(s.preview, "Your preview attempt")),
                    rx.button("Launch preview", on_click=s.start_preview),
                    width="100%",
                ),
            ),
            width="100%",
        ),
        width="100%",
    )


@page("/training/scorm/[package_id]", title="SCORM package", audience=Audience.INTERNAL, on_load=ScormPackageState.load)
def scorm_package_page() -> rx.Component:
    s = ScormPackageState
    return rx.cond(
        s.found,
        rx.vstack(
            rx.link("All SCORM packages", href="/training/scorm", size="2"),
            rx.heading(s.title, size="6", as_="h1"),
            _facts(s.facts, "Package facts"),
            rx.heading("SCOs", size="4", as_="h2"),
            data_table(["Title", "Identifier", "File"], s.scos, _sco, label="SCOs in this package"),
            _preview(),
            spacing="4",
            width="100%",
        ),
        rx.vstack(
            rx.text("There is no such package."),
            rx.link("All SCORM packages", href="/training/scorm"),
        ),
    )
