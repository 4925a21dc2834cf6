"""Who signs in: users, server-side sessions, sign-in with throttling."""

from prm_app.identity.auth import (
    SignedIn,
    end_sessions,
    log_in,
    log_in_off_loop,
    log_out,
    normalize_email,
    resolve_session,
)
from prm_app.identity.demo import DEMO_PASSWORD, check_new_password
from prm_app.identity.models import User

__all__ = [
    "DEMO_PASSWORD",
    "SignedIn",
    "User",
    "check_new_password",
    "end_sessions",
    "log_in",
    "log_in_off_loop",
    "log_out",
    "normalize_email",
    "resolve_session",
]
