"""The idle-timeout warning on every signed-in page: before the session's idle timeout (PRM_SESSION_IDLE_MINUTES)
a banner says "You'll be signed out in N minutes" with a "Stay signed in" button; if the time runs out the person is
sent to sign in and comes back to the page they were on (a long form's draft is still there: identity/drafts.py).

The countdown runs in the browser (assets/idle_warning.jsx) from what the server says is left, so it costs no
traffic while it runs; the server stays the judge: asking how long is left is not activity (an open page never
keeps a session alive), "Stay signed in" is, and the end is decided by the session's own record.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import no_args_event_spec

from prm_app.identity import SessionTimeLeft, keep_signed_in, session_time_left
from prm_app.platform.errors import NotAuthenticated
from prm_app.web.session_cookie import session_token_hash
from prm_app.web.state import AuthState


class IdleWarning(rx.NoSSRComponent):
    """The React component in assets/idle_warning.jsx (copied to .web/public by Reflex)."""

    library = "$/public/idle_warning.jsx"
    tag = "IdleWarning"

    remaining_ms: rx.Var[int]  # the session's time left when the server answered
    stamp: rx.Var[int]  # new with every answer: the countdown re-anchors to it
    warn_ms: rx.Var[int]  # how long before the end the banner shows
    extendable: rx.Var[bool]  # False: the session ends at its absolute limit, which nothing moves
    on_check: rx.EventHandler[no_args_event_spec]
    on_stay: rx.EventHandler[no_args_event_spec]
    on_lapse: rx.EventHandler[no_args_event_spec]


class IdleState(AuthState):
    remaining_ms: int = 0
    stamp: int = 0
    warn_ms: int = 0
    extendable: bool = True

    def _show(self, left: SessionTimeLeft) -> None:
        self.remaining_ms = int(left.remaining.total_seconds() * 1000)
        self.warn_ms = int(left.warn_before.total_seconds() * 1000)
        self.extendable = left.idle
        self.stamp += 1

    def _browser(self) -> str:
        return session_token_hash(self.router.headers.raw_headers)

    @rx.event
    def check(self) -> None:
        """How long this browser's session has left (asked again while the banner shows, and when the tab becomes
        visible). Not activity; a session that has ended sends the browser to sign in and back here (the front door
        raises SignInAgain). A tab nobody has been signed in on yet (the guard has not named anyone) is left to its
        guard, which sends it to sign in itself: answering it too raced the guard's redirect (a sign-in address that
        pointed back at itself)."""
        try:
            self._show(self._run_unattended(session_time_left, self._browser()))
        except NotAuthenticated:
            if self.user_role:
                raise

    @rx.event
    def opened(self) -> None:
        """Part of every signed-in page's opening (`AuthState.open_page`, just after the guard let the page open):
        the time left, in the opening's own unit of work and event, so the banner need not ask as the page opens
        (a round trip every page load paid, after the page's data)."""
        self._show(self._run_unattended(session_time_left, self._browser()))

    @rx.event
    def lapse(self) -> None:
        """The countdown reached the end: the same question, whose answer signs the person out when it is over."""
        self._show(self._run_unattended(session_time_left, self._browser()))

    @rx.event
    def stay(self) -> None:
        """ "Stay signed in": activity, recorded at once; the countdown starts again from the new time left."""
        self._show(self._run(keep_signed_in, self._browser()))


def idle_warning() -> rx.Component:
    """The banner and its countdown, for the signed-in app shell (prm_app/web/layout.py)."""
    return IdleWarning.create(
        remaining_ms=IdleState.remaining_ms,
        stamp=IdleState.stamp,
        warn_ms=IdleState.warn_ms,
        extendable=IdleState.extendable,
        on_check=IdleState.check,
        on_stay=IdleState.stay,
        on_lapse=IdleState.lapse,
    )
