"""A file drop zone with a visible name: Reflex gives no way to label the upload's hidden file input directly, so a
<label> goes around the zone, and clicks reach the input through the label (the zone's own click handler is off, or
a click would open the file dialog twice)."""

from __future__ import annotations

from typing import Any

import reflex as rx


def drop_zone(
    upload_id: str,
    heading: str | rx.Var[str],
    accept: dict[str, list[str]],
    *,
    compact: bool = False,
    **upload_props: Any,
) -> rx.Component:
    """One file at most; `heading` names the field (with its types and size), the chosen file's name shows below."""
    return rx.el.label(
        rx.upload(
            rx.vstack(
                rx.text(heading, weight="medium", **({"size": "2"} if compact else {})),
                rx.text.span("Choose a file or drop it here", class_name="upload-cta"),
                rx.text(rx.selected_files(upload_id).join(", "), size="2"),
            ),
            id=upload_id,
            accept=accept,
            max_files=1,
            multiple=False,
            no_click=True,
            border="1px dashed var(--gray-7)",
            padding="0.75rem" if compact else "1rem",
            width="100%",
            **upload_props,
        ),
        width="100%",
    )
