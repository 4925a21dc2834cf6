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
from prm_app.identity.password import (
    RESET_PATH,
    RESET_SENT,
    change_password,
    check_reset_link,
    rename_self,
    request_password_reset,
    reset_password,
)
from prm_app.identity.rules import LOGIN_PATH, login_url, safe_next_path
from prm_app.identity.time_zones import adopt_browser_zone, my_time_zone, set_my_time_zone, viewer_zone, with_zone

__all__ = [
    "DEMO_PASSWORD",
    "LOGIN_PATH",
    "RESET_PATH",
    "RESET_SENT",
    "SignedIn",
    "User",
    "adopt_browser_zone",
    "change_password",
    "check_new_password",
    "check_reset_link",
    "end_sessions",
    "log_in",
    "log_in_off_loop",
    "log_out",
    "login_url",
    "my_time_zone",
    "normalize_email",
    "rename_self",
    "request_password_reset",
    "reset_password",
    "resolve_session",
    "safe_next_path",
    "set_my_time_zone",
    "viewer_zone",
    "with_zone",
]
