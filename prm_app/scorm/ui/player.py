"""The SCORM player component: assets/scorm_player.jsx (scorm-again's runtime and an iframe), for any page.

    scorm_player(LessonState.package_id, "lesson:" + LessonState.lesson_id.to_string())

It launches over HTTP (runtime_http.py), so nothing of the run-time passes through the Reflex event socket, and
the server decides who may launch what in which context (service.may_launch).
"""

from __future__ import annotations

import reflex as rx

# scorm-again 3.x: commits are synchronous by default, so a package's Commit returns the server's real answer.
SCORM_AGAIN = "scorm-again@3.4.3"


class ScormPlayer(rx.NoSSRComponent):
    """The React component in assets/scorm_player.jsx (copied to .web/public by Reflex)."""

    library = "$/public/scorm_player.jsx"
    tag = "ScormPlayer"
    lib_dependencies: list[str] = [SCORM_AGAIN]

    package_id: rx.Var[int]
    context: rx.Var[str]
    title: rx.Var[str]
    height: rx.Var[str]


def scorm_player(
    package_id: rx.Var[int] | int, context: rx.Var[str] | str, title: rx.Var[str] | str = "SCORM content"
) -> rx.Component:
    """The package `package_id` running in `context` ("preview" for managers, "lesson:42" for a lesson whose
    area registered a launch check); `title` names the frame for screen readers. A new package id or context
    finishes the running launch and opens a new one."""
    return rx.box(
        ScormPlayer.create(package_id=package_id, context=context, title=title, height="70vh"),
        width="100%",
    )
