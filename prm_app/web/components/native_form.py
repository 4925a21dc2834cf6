"""A form the browser submits itself: a real POST to `action`, which answers with a redirect.

Reflex's `rx.el.form` always installs a submit handler that prevents the browser's own submission (to send the
fields over the event socket instead). The session endpoints need the browser to post: only the HTTP answer can
set an HttpOnly cookie, and the password then never travels through the event socket or the state.
"""

from __future__ import annotations

from reflex_base.vars.base import Var
from reflex_components_core.el.elements.base import BaseHTML


class NativeForm(BaseHTML):
    """`<form method=post action=...>` without Reflex's submit handler."""

    tag = "form"

    action: Var[str]
    method: Var[str]
    no_validate: Var[bool]


native_form = NativeForm.create
