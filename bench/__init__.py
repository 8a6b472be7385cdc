"""Benchmarks for renda at district scale (issue 5): the data generator, the scenarios of
``make bench`` and the results writer. See bench/README.md."""
