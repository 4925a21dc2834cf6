"""Domain errors: a message a person can read and, where it fits, the form field it belongs to.

A message given as `Words` (a catalogue key and its values) can be said in the reader's language by the page that
shows it (`in_language`): the use cases of the public pages (sign in, reset a password, accept an invitation) do
not know who reads; the page does, from the browser. `message` is always the English."""

from __future__ import annotations

from prm_app.platform.i18n import Words


class DomainError(Exception):
    def __init__(self, message: str | Words, field: str | None = None):
        self.words = message if isinstance(message, Words) else None
        self.message = message.english if isinstance(message, Words) else message
        super().__init__(self.message)
        self.field = field

    def in_language(self, language: str) -> str:
        """The message in `language` when it was given as Words, else as written (English)."""
        return self.words.say(language) if self.words is not None else self.message


class ValidationError(DomainError):
    """Input that breaks a rule; shown next to `field`."""


class FormInvalid(ValidationError):
    """Several fields at once: `errors` maps field name to message, so every message shows beside its field."""

    def __init__(self, errors: dict[str, str]):
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, first_field)
        self.errors = errors


class NotFound(DomainError):
    """The record does not exist *for this actor* (we never say whether it exists for someone else)."""

    def __init__(self, what: str | Words = "record"):
        super().__init__(what if isinstance(what, Words) else f"{what.capitalize()} not found.")


class PermissionDenied(DomainError):
    def __init__(self, message: str = "You are not allowed to do that."):
        super().__init__(message)


class AuthError(DomainError):
    """Login failed; the message never says whether the email or the password was wrong."""


class NotAuthenticated(DomainError):
    def __init__(self) -> None:
        super().__init__("Please sign in again.")
