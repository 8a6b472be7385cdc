"""Models: see the issue contract."""
