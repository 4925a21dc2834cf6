"""The onboarding pages: the partner's checklist, the managers' board, a partner's checklist for its manager, and
the template editor. The portal home's journey card is drawn by partners/ui/portal_home.py from display.py."""

from prm_app.onboarding.ui import board, checklist, partner_checklist, request_access, template_editor, templates

__all__ = ["board", "checklist", "partner_checklist", "request_access", "template_editor", "templates"]
