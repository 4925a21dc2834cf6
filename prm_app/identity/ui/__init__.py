"""The identity area's pages; importing this package registers them."""

from prm_app.identity.ui import account, login, password_pages  # noqa: F401
