"""Shared UI: the base state (the front door), layout, components."""
