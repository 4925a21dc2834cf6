"""Domain errors: a message a person can read and, where it fits, the form field it belongs to."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


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

    def __init__(self, what: str = "record"):
        super().__init__(f"{what.capitalize()} not found.")


class PermissionDenied(DomainError):
    def __init__(self, message: str = "You are not allowed to do that."):
        super().__init__(message)


class AuthError(DomainError):
    """Login failed; the message never says whether the email or the password was wrong."""


class NotAuthenticated(DomainError):
    def __init__(self) -> None:
        super().__init__("Please sign in again.")
