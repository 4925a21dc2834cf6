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
from prm_app.identity.drafts import FormDraft, SavedDraft, discard_form_draft, form_draft, save_form_draft
from prm_app.identity.languages import adopt_browser_language, mail_reader, my_language, set_my_language
from prm_app.identity.models import User
from prm_app.identity.password import (
    RESET_PATH,
    RESET_SENT,
    change_password,
    check_reset_link,
    request_password_reset,
    reset_password,
)
from prm_app.identity.profile import my_profile, update_my_profile
from prm_app.identity.rules import (
    LOGIN_PATH,
    ProfileFields,
    check_profile,
    idle_warning_lead,
    login_url,
    safe_next_path,
)
from prm_app.identity.sessions import SessionTimeLeft, keep_signed_in, session_time_left
from prm_app.identity.time_zones import adopt_browser_zone, my_time_zone, set_my_time_zone, viewer_zone, with_zone

__all__ = [
    "DEMO_PASSWORD",
    "LOGIN_PATH",
    "RESET_PATH",
    "RESET_SENT",
    "FormDraft",
    "ProfileFields",
    "SavedDraft",
    "SessionTimeLeft",
    "SignedIn",
    "User",
    "adopt_browser_language",
    "adopt_browser_zone",
    "change_password",
    "check_new_password",
    "check_profile",
    "check_reset_link",
    "discard_form_draft",
    "end_sessions",
    "form_draft",
    "idle_warning_lead",
    "keep_signed_in",
    "log_in",
    "log_in_off_loop",
    "log_out",
    "login_url",
    "mail_reader",
    "my_language",
    "my_profile",
    "my_time_zone",
    "normalize_email",
    "request_password_reset",
    "reset_password",
    "resolve_session",
    "safe_next_path",
    "save_form_draft",
    "session_time_left",
    "set_my_language",
    "set_my_time_zone",
    "update_my_profile",
    "viewer_zone",
    "with_zone",
]
