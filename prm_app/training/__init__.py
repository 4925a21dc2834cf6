"""Training and certification: courses of modules of lessons (reading, video, PDF, SCORM, quiz) authored by
managers and shown to the partners their audience rule lets in; a course player that resumes at the last lesson
and, for video, at the last second; quizzes graded on the server; certifications whose certificates are issued to
people, expire (with reminders), renew and verify publicly at /verify/<code>.

The area's public API: other areas import from here only. `certified_headcount(session, organization_id, code)`
counts a partner's people holding a live certificate (for tiering and routing); the "certifications" audience
fact source (reactions.py) says which certifications a partner's people hold. Tiering registers which
certifications a partner's tiers ask for with `register_required_certifications` (the catalogue's "required for my
tier")."""

from prm_app.training.certificates import (
    CertificateView,
    ReminderRun,
    certification_holders,
    certification_names,
    certified_headcount,
    certified_people,
    remind_expiring,
    remind_expiring_certificates,
    verify_certificate,
    verify_url,
)
from prm_app.training.models import Certificate, Certification, CertificationCourse, Course
from prm_app.training.requirements import register_required_certifications
from prm_app.training.rules import CertificateStatus, LessonKind, add_months, certificate_status
from prm_app.training.visibility import visible_courses

__all__ = [
    "Certificate",
    "CertificateStatus",
    "CertificateView",
    "Certification",
    "CertificationCourse",
    "Course",
    "LessonKind",
    "ReminderRun",
    "add_months",
    "certificate_status",
    "certification_holders",
    "certification_names",
    "certified_headcount",
    "certified_people",
    "register_required_certifications",
    "remind_expiring",
    "remind_expiring_certificates",
    "verify_certificate",
    "verify_url",
    "visible_courses",
]
