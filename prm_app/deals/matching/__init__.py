"""Conflict matching: pure scoring rules, their word lists, and the thin database adapter."""
