"""The network's page: a distributor's "Your resellers". Importing this package registers it."""

from prm_app.network.ui import resellers_page

__all__ = ["resellers_page"]
