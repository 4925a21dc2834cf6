"""Notices for partner organizations."""
