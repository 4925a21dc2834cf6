"""Who signs in: users, server-side sessions, sign-in with throttling."""

from prm_app.identity.auth import end_sessions, log_out, normalize_email, resolve_session
from prm_app.identity.models import User

__all__ = [
    "User",
    "end_sessions",
    "log_out",
    "normalize_email",
    "resolve_session",
]
