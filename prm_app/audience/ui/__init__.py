"""The audience area's pages (partner groups) and the audience editor other areas' forms embed; importing this
package registers the pages."""

from prm_app.audience.ui import groups_page  # noqa: F401
from prm_app.audience.ui.editor import audience_editor

__all__ = ["audience_editor"]
