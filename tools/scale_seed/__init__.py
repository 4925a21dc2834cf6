"""`python -m tools.scale_seed`: a large program (5k partners, 1M deals, 200k leads, 5M events) for the dashboards."""
