"""Reflex looks for `app` in prm_app/prm_app.py; the app itself is built in prm_app/app.py."""

from prm_app.app import app  # noqa: F401
