"""Command-line entry points: python -m prm_app.cli seed."""
