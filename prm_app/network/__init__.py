"""A distributor's network: what a distributor or master agent reads of the partners below it (their tiers,
certifications and the pipeline they share with it), as views over their own records. Above training and deals,
whose public functions it reads; nothing below imports it."""

from prm_app.network.queries import ResellerSummary, my_resellers

__all__ = ["ResellerSummary", "my_resellers"]
