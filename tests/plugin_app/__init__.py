"""A minimal app that plugs into renda without any central edit (tests/test_plugins.py)."""
