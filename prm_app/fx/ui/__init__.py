"""FX pages: the admins' rates page."""

from prm_app.fx.ui import rates_page as rates_page
