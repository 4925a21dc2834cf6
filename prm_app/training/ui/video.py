"""The player's video (assets/training_video.jsx): a native <video> that starts at the last second watched and
posts its position to the server every few seconds and when the person leaves (ui/media_http.py)."""

from __future__ import annotations

import reflex as rx


class TrainingVideo(rx.NoSSRComponent):
    library = "$/public/training_video.jsx"
    tag = "TrainingVideo"

    src: rx.Var[str]
    start_at: rx.Var[int]
    position_url: rx.Var[str]
    label: rx.Var[str]

    on_ended: rx.EventHandler[rx.event.no_args_event_spec]


training_video = TrainingVideo.create
