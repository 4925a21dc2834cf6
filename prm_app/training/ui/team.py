"""A partner admin's view of their people's training at /learn/team: who is on which course and who finished,
and their certificates, the ones expiring first."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from prm_app.identity import with_zone
from prm_app.training.queries import team_training
from prm_app.training.rules import STATUS_LABELS, CertificateStatus
from prm_app.web import format as fmt
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class Row:
    cells: list[str]


class TeamTrainingState(AuthState):
    courses: list[Row] = []
    certificates: list[Row] = []

    @rx.event
    def load(self):
        (lines, certs), zone = self._run(with_zone, team_training)
        self.courses = [
            Row([x.person, x.course, ("Completed " if x.state == "completed" else "Started ") + fmt.day(x.when, zone)])
            for x in lines
        ]
        self.certificates = [
            Row([c.person, c.certification, fmt.day(c.expires_at, zone), STATUS_LABELS[CertificateStatus(c.status)]])
            for c in certs
        ]


def _row(r: rx.Var[Row]) -> rx.Component:
    return rx.table.row(rx.table.row_header_cell(r.cells[0]), rx.foreach(r.cells[1:], lambda c: rx.table.cell(c)))


@page("/learn/team", title="Your team's training", audience=Audience.PARTNER, on_load=TeamTrainingState.load)
def team_training_page() -> rx.Component:
    s = TeamTrainingState
    return rx.vstack(
        rx.link("Back to Learning", href="/learn"),
        rx.heading("Certificates", as_="h2", size="5"),
        rx.cond(
            s.certificates.length() > 0,
            data_table(
                ["Person", "Certification", "Valid until", "Status"], s.certificates, _row, label="Certificates"
            ),
            rx.text("Nobody on your team holds a certificate yet."),
        ),
        rx.heading("Courses", as_="h2", size="5"),
        rx.cond(
            s.courses.length() > 0,
            data_table(["Person", "Course", "Progress"], s.courses, _row, label="Courses"),
            rx.text("Nobody on your team has started a course yet."),
        ),
        width="100%",
        spacing="4",
    )
