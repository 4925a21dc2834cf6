"""The agreement gate (registered with the front door, web/state.py): a partner organization that has not signed
an agreement it owes past its due date sees only the agreement page, and the account page for its own password and
sign-out; every other page sends its people there, every other use case is refused, and uploads and files answer
403. Within a grace period every page shows when it must be signed, with a link.

Checked on every use case of a partner's person, so it is a few small indexed queries (agreements.agreement_gate).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from prm_app.agreements import agreement_gate, my_agreements, sign_agreement
from prm_app.identity import (
    change_password,
    keep_signed_in,
    my_profile,
    my_time_zone,
    session_time_left,
    viewer_zone,
    with_zone,
)
from prm_app.platform.access import Actor
from prm_app.web.format import day
from prm_app.web.header_state import header_counts
from prm_app.web.registry import url_for
from prm_app.web.state import Gate, register_gate

AGREEMENT_PAGE = "/agreement"  # the partner's agreement page (ui/sign_page.py)

# What stays open while held: the agreement page's own use cases, and the account page's reads, password change and
# signing out (the person's own sessions); the header's counts and the idle timer, which every page runs.
_OPEN: frozenset[Callable[..., Any]] = frozenset(
    {
        my_agreements,
        sign_agreement,
        with_zone,
        my_profile,
        my_time_zone,
        change_password,
        session_time_left,
        keep_signed_in,
        header_counts,
    }
)
_OWN_SESSIONS = "prm_app.identity.sessions"  # listing and signing out one's own browsers: signing out


def _allowed(use_case: Callable[..., Any]) -> bool:
    return use_case in _OPEN or getattr(use_case, "__module__", "") == _OWN_SESSIONS


HELD = "Your organization must sign the partner agreement first. Until then only the agreement page is available."


@register_gate
def agreement_hold(session: Session, actor: Actor) -> Gate | None:
    """Held while something is overdue; a notice with the due day while within its grace period; None otherwise
    (and always for the vendor's people)."""
    if not actor.is_partner or actor.organization_id is None:
        return None
    gate = agreement_gate(session, actor.organization_id)
    if gate.due_at is None:
        return None
    if gate.held:
        return Gate(HELD, (AGREEMENT_PAGE, url_for("account_page")), held=True, allows=_allowed)
    due = day(gate.due_at, viewer_zone(session, actor))
    return Gate(f"The {gate.template} must be signed by {due}.", (AGREEMENT_PAGE,), held=False)
