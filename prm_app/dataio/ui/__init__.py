"""The dataio area's pages; importing this package registers them."""

from prm_app.dataio.ui import data_import  # noqa: F401
