"""What the content library plugs into the areas below it. Imported by prm_app.areas."""

import prm_app.content.dashboard_panel  # noqa: F401  (registers the content panel of the dashboards)
