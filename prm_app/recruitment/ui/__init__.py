"""Recruitment's pages: the public application form and its resubmit link, the queue, one application, the
programs and scoring settings, and the funnel. Importing this package registers them."""

from prm_app.recruitment.ui import application, apply, funnel, programs, queue, resubmit

__all__ = ["application", "apply", "funnel", "programs", "queue", "resubmit"]
