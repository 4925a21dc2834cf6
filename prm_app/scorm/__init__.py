"""SCORM 1.2 and 2004 packages: safe import of a zip (manifest parsed with defusedxml; zip-slip, symlinks, XXE,
entity bombs and oversized archives refused with nothing written), files served to signed-in people who may
launch the package, and a server-kept run-time: the whole CMI per attempt (person, package, context), resume
only after exit=suspend, time summed across launches, idempotent commits.

The area's public API: other areas import from here only (the player component from `prm_app.scorm.ui`).
- `ScormPackage`: the table `scorm_package` (id, title, version, ...).
- `package_choices(session, actor)`: [(id, title)] for a SCORM admin or a lesson editor (MANAGE_TRAINING)
  picking a package. Everything else here (import, list, detail, preview) is MANAGE_SCORM: admins only, since a
  package's script runs on the app's origin as whoever opens it.
- `register_launch_check(fn)`: `fn(session, actor, package_id, context) -> bool` lets others than SCORM admins
  launch in the contexts it vouches for ("lesson:42"). Without one, and always for "preview", only they launch.
- `register_completion_listener(fn)`: `fn(session, user_id, context, completed, passed, score)` runs in the
  commit's transaction when an attempt first becomes completed or passed (score 0-100 or None).
- A package of several SCOs runs each in its own context, "<context>/<n>" for SCO n after the first
  (`sco_context`, `split_context`), each with its own attempt; `sco_progress(session, user_id, package_id, base)`
  says which the person completed, in the manifest's order.

"""

from prm_app.scorm.models import ScormAttempt, ScormPackage
from prm_app.scorm.queries import package_choices
from prm_app.scorm.rules import sco_context, split_context
from prm_app.scorm.service import (
    CompletionListener,
    LaunchCheck,
    ScoProgress,
    import_package,
    may_launch,
    register_completion_listener,
    register_launch_check,
    sco_progress,
)

__all__ = [
    "CompletionListener",
    "LaunchCheck",
    "ScoProgress",
    "ScormAttempt",
    "ScormPackage",
    "import_package",
    "may_launch",
    "package_choices",
    "register_completion_listener",
    "register_launch_check",
    "sco_context",
    "sco_progress",
    "split_context",
]
