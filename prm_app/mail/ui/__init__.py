"""The mail area's pages; importing this package registers them."""

from prm_app.mail.ui import outbox  # noqa: F401
