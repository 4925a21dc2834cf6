"""What every "one record from the URL, with actions on it" page shares: reading the id from /things/<id>,
running an action as the actor with the error kept beside its field, then reloading.

A plain mixin (methods only): each page's State keeps its own vars `found`, `errors`, `_record_id` and its
own `_reload()`; `_run` comes from the base state (the front door).
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from prm_app.platform.errors import DomainError, NotAuthenticated, PermissionDenied


class RecordActions:
    def _open_record(self) -> None:
        """Take the id from the URL's last segment and load; a non-number is simply not found."""
        self.errors = {}
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        if not raw.isdigit():
            self.found = False
            return
        self._record_id = int(raw)
        self._reload()

    def _act(self, fn: Callable, *args, success: str, **kwargs):
        """Run `fn` through the front door; a DomainError lands in `errors` under its field. Not being signed
        in or not being allowed is no form error: those go to the app's handler (sign-in page, error toast)."""
        try:
            self._run(fn, *args, **kwargs)
        except (NotAuthenticated, PermissionDenied):
            raise
        except DomainError as exc:
            # In the reader's language where the use case gave its message as Words (English otherwise).
            self.errors = {exc.field or "action": exc.in_language(getattr(self, "language", "en"))}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success(success)
