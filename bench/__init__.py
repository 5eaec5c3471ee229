"""Benchmarks: every figure is a median over repeated runs, reported as a ratio to a baseline
measured in the same run (the machines are shared and noisy). Run with ``make bench``."""
