"""Benchmarks of the store and the window at scale: `python benchmarks/run.py`."""
